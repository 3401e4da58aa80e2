"""Card completion by INN: DaData's party lookup (the `dadata` package), when a key is configured.

Without `DADATA_API_KEY` the lookup is off and the form shows no button. The answer is read into the form's
fields (name, short name, OGRN, founding date, address, status, main OKVED2); nothing is saved until the
person saves the form. The provider's address is a setting, so tests point it at a local stub.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import httpx
from dadata.sync import ClientBase, SuggestClient
from django.conf import settings

from projectoffice.organisations.completion import CompletionError

STATUSES = {
    "ACTIVE": "действующая",
    "LIQUIDATING": "ликвидируется",
    "LIQUIDATED": "ликвидирована",
    "BANKRUPT": "банкротство",
    "REORGANIZING": "в процессе присоединения",
}


@dataclass(frozen=True)
class Party:
    inn: str
    name: str
    short_name: str
    ogrn: str
    founded_on: dt.date | None
    address: str
    status: str
    main_okved: str

    def as_form(self) -> dict[str, str]:
        return {
            "name": self.name,
            "short_name": self.short_name,
            "ogrn": self.ogrn,
            "founded_on": self.founded_on.isoformat() if self.founded_on else "",
            "address": self.address,
            "status": self.status,
            "main_okved": self.main_okved,
        }


def enabled() -> bool:
    return bool(settings.DADATA_API_KEY)


class _Suggestions(SuggestClient):
    """DaData's suggestions client at the configured address."""

    def __init__(self) -> None:
        ClientBase.__init__(self, base_url=settings.DADATA_SUGGESTIONS_URL, token=settings.DADATA_API_KEY, timeout=5)


def _day(milliseconds: Any) -> dt.date | None:
    if not isinstance(milliseconds, int | float):
        return None
    return dt.datetime.fromtimestamp(milliseconds / 1000, tz=dt.UTC).date()


def party(data: dict[str, Any]) -> Party:
    """The fields of one `suggestions[].data` of a party answer."""
    name = data.get("name") or {}
    state = data.get("state") or {}
    address = data.get("address") or {}
    return Party(
        inn=str(data.get("inn") or ""),
        name=str(name.get("full_with_opf") or ""),
        short_name=str(name.get("short_with_opf") or ""),
        ogrn=str(data.get("ogrn") or ""),
        founded_on=_day(state.get("registration_date") or data.get("ogrn_date")),
        address=str(address.get("unrestricted_value") or address.get("value") or ""),
        status=STATUSES.get(str(state.get("status") or ""), str(state.get("status") or "")),
        main_okved=str(data.get("okved") or ""),
    )


def find_party(inn: str) -> Party | None:
    """The organisation with this INN (the head office), or None when the provider knows none."""
    if not enabled():
        raise CompletionError("Поиск по ИНН не настроен.")
    try:
        with _Suggestions() as client:
            found = client.find_by_id("party", inn, count=1, branch_type="MAIN")
    except httpx.HTTPStatusError as exc:
        raise CompletionError(f"Сервис DaData ответил ошибкой {exc.response.status_code}.") from None
    except (httpx.HTTPError, ValueError, KeyError) as exc:
        raise CompletionError(f"Сервис DaData недоступен: {type(exc).__name__}.") from None
    return party(found[0].get("data") or {}) if found else None


def find_party_values(inn: str) -> dict[str, str] | None:
    """For the organisation form: the found party's values, or None; a failure says why in Russian."""
    found = find_party(inn)
    return found.as_form() if found else None
