"""The catalogue's full-text search, reached without importing it: matching keeps the index and plugs in here.

matching sits above opportunities (it reads opportunities to rank them), so opportunities never imports it.
Instead it announces which records changed, after the transaction commits, and asks for the ids that match a
query; matching connects both hooks in its AppConfig.ready. Until then a search refuses loudly instead of
answering nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

Reindex = Callable[[list[int]], None]  # bring these records' entries up to date
Search = Callable[[str, int], list[int]]  # ids matching the query, most relevant first, at most `limit`


@dataclass
class _Hooks:
    reindex: Reindex | None = None
    search: Search | None = None
    in_transaction: Callable[[], bool] = lambda: False  # True: the index is written inside the record's transaction


_hooks = _Hooks()


def connect(*, reindex: Reindex, search: Search, in_transaction: Callable[[], bool] = lambda: False) -> None:
    """Called once by the app that keeps the index (matching) when Django starts."""
    _hooks.reindex, _hooks.search, _hooks.in_transaction = reindex, search, in_transaction


def reindex_on_commit(pks: Iterable[int]) -> None:
    """The index follows these records once the transaction commits (and not at all if it rolls back).

    An index kept in the database itself (the PostgreSQL engine) is written at once, inside the transaction:
    it commits with the records, so every server sees both together, or rolls back with them.
    """
    ids = list(dict.fromkeys(pks))
    if not ids:
        return
    reindex = _hooks.reindex
    if reindex is None:
        raise ImproperlyConfigured("Поисковый индекс не подключён: приложение projectoffice.matching не загружено.")
    if _hooks.in_transaction():
        reindex(ids)
    else:
        transaction.on_commit(lambda: reindex(ids))


def search(query: str, *, limit: int) -> list[int]:
    """Ids of the records matching the query, most relevant first."""
    if _hooks.search is None:
        raise ImproperlyConfigured("Поисковый индекс не подключён: приложение projectoffice.matching не загружено.")
    return _hooks.search(query, limit)
