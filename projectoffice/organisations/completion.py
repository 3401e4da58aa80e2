"""Card completion by INN: a lookup provider fills the organisation form's empty fields.

The registry knows only this hook: the open-data app connects its provider (DaData's party lookup) in its
`AppConfig.ready`. Without a provider, or without its key, the form shows no «Заполнить по ИНН» button.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


class CompletionError(Exception):
    """The provider could not answer; the Russian message says why."""


@dataclass
class _Hooks:
    lookup: Callable[[str], dict[str, str] | None] | None = None  # INN → form values, or None when not found
    enabled: Callable[[], bool] = lambda: False


_hooks = _Hooks()

FILLED = ("name", "short_name", "ogrn", "founded_on", "address", "main_okved")


def connect(*, lookup: Callable[[str], dict[str, str] | None], enabled: Callable[[], bool]) -> None:
    _hooks.lookup, _hooks.enabled = lookup, enabled


def available() -> bool:
    return _hooks.lookup is not None and _hooks.enabled()


def complete(inn: str, values: dict[str, str]) -> tuple[dict[str, str], str]:
    """The form's values with the empty ones filled from the provider, and a line saying what was found."""
    if not available() or _hooks.lookup is None:
        raise CompletionError("Заполнение по ИНН не настроено.")
    if not (inn.isdigit() and len(inn) in (10, 12)):
        raise CompletionError("Введите ИНН: 10 или 12 цифр.")
    found = _hooks.lookup(inn)
    if found is None:
        raise CompletionError(f"По ИНН {inn} организация не найдена.")
    filled = dict(values)
    names = []
    for key in FILLED:
        if found.get(key) and not values.get(key):
            filled[key] = found[key]
            names.append(key)
    status = found.get("status") or "не указан"
    return filled, f"Найдено в DaData: статус — {status}; заполнено полей: {len(names)}."
