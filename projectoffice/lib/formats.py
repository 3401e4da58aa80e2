"""How things look to a Russian reader: money, numbers, percentages, dates and times, plurals, names of people.

Pages (through the template filters of `projectoffice.lib.filters`), e-mails and DOCX/PDF documents all format
here, so a figure reads the same everywhere. The rules:

- digits are grouped by non-breaking spaces and the decimal separator is a comma: «150 000 000 ₽»,
  «12 345,67 ₽», «1 234,5»; a non-breaking space also joins a figure to its unit («46 %»), so neither wraps;
- dates are дд.мм.гггг; times are чч:мм in the configured time zone (TIME_ZONE, Europe/Samara by default),
  never in UTC: an aware datetime is converted before it is shown;
- a count agrees with its noun by one helper: 1 запись, 2 записи, 5 записей;
- a person is named by their full name, by the login only when no name is given.

Every function takes None and returns "" for it, so a template can add `|default:"—"`. Machine formats (iCal,
JSON, CSV for programs, file names) are not made here: they stay ISO where they are written.

XLSX cells hold real numbers and dates; the number formats below make Russian Excel show them with spaces,
commas and дд.мм.гггг while the values stay summable.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Protocol

from django.utils import timezone

NBSP = "\u00a0"
RUB = "₽"
MONTHS = (
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
)

# Number formats of XLSX cells: the codes are locale-neutral, Russian Excel shows «12 345,67» and «31.12.2026».
XLSX_DATE = "DD.MM.YYYY"
XLSX_DATETIME = "DD.MM.YYYY HH:MM"
XLSX_INTEGER = "#,##0"
XLSX_DECIMAL = "#,##0.00"
XLSX_MONEY = '#,##0.00 "₽"'
XLSX_PERCENT = '0.0 "%"'


ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?")


class Named(Protocol):
    username: str

    def get_full_name(self) -> str: ...


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def number(value: Any, places: int | None = None, *, up_to: int = 2) -> str:
    """«1 234 567», «1 234,5»: fixed `places` after the comma, or up to `up_to` with trailing zeros dropped."""
    amount = _decimal(value)
    if amount is None:
        return "" if value is None else str(value)
    if not amount.is_finite():
        return str(value)
    amount = amount.quantize(Decimal(1).scaleb(-(up_to if places is None else places)), ROUND_HALF_UP)
    if amount == 0:
        amount = abs(amount)  # no «-0»
    text = f"{amount:,f}"
    if places is None and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", NBSP).replace(".", ",")


def money(value: Any, *, kopecks: bool = False, currency: str = "RUB") -> str:
    """«150 000 000 ₽»; with `kopecks` «12 345,67 ₽»; another currency is named by its code («1 000 USD»)."""
    if _decimal(value) is None:
        return "" if value is None else str(value)
    unit = RUB if currency in ("RUB", "RUR", "") else currency
    return f"{number(value, 2 if kopecks else 0)}{NBSP}{unit}"


def millions(value: Any) -> str:
    """«604,8 млн ₽»: large sums in running text, one decimal at most."""
    amount = _decimal(value)
    if amount is None:
        return "" if value is None else str(value)
    return f"{number(amount / 1_000_000, up_to=1)}{NBSP}млн{NBSP}{RUB}"


def percent(value: Any, places: int | None = None) -> str:
    """«46 %», «12,5 %»: a value that is already in percent, not a fraction."""
    if _decimal(value) is None:
        return "" if value is None else str(value)
    return f"{number(value, places)}{NBSP}%"


def local(value: dt.datetime) -> dt.datetime:
    """An aware datetime in the configured time zone; a naive one is taken as already local."""
    return timezone.localtime(value) if timezone.is_aware(value) else value


Moment = dt.date | dt.datetime | str | None


def parse_iso(value: str) -> dt.date | dt.datetime | None:
    """A date or datetime from the ISO text of JSON snapshots and audit records; None for any other text."""
    if not ISO_MOMENT.fullmatch(value):
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment.date() if len(value) == 10 else moment


def _formatted(value: Moment, pattern: str, *, needs_time: bool = False) -> str:
    """`value` by a strftime pattern, in local time; ISO text is read first, any other text is kept as it is."""
    if value is None:
        return ""
    if isinstance(value, str):
        parsed = parse_iso(value)
        if parsed is None:
            return value
        value = parsed
    if isinstance(value, dt.datetime):
        value = local(value)
    elif needs_time:  # a bare date where a moment is expected: show the date alone
        pattern = "%d.%m.%Y"
    return f"{value:{pattern}}"


def date(value: Moment) -> str:
    """«31.12.2026»; a datetime is shown by its local date."""
    return _formatted(value, "%d.%m.%Y")


def day_month(value: Moment) -> str:
    """«31.12»: where the year is plain from the context (a programme, a calendar of one year)."""
    return _formatted(value, "%d.%m")


def month_year(value: Moment) -> str:
    """«декабрь 2026»: headings of calendars."""
    numbers = _formatted(value, "%m %Y")
    if not re.fullmatch(r"\d{2} \d{4}", numbers):
        return numbers
    month, year = numbers.split()
    return f"{MONTHS[int(month) - 1]} {year}"


def datetime(value: Moment) -> str:
    """«31.12.2026 08:00» in local time."""
    return _formatted(value, "%d.%m.%Y %H:%M", needs_time=True)


def time(value: dt.datetime | dt.time | str | None) -> str:
    """«08:00» in local time."""
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    return _formatted(value, "%H:%M", needs_time=True)


def plural_form(count: Any, one: str, few: str, many: str) -> str:
    """The noun form that agrees with `count`: запись / записи / записей."""
    amount = _decimal(count)
    if amount is None:
        return many
    if amount != amount.to_integral_value():
        return few  # 1,5 записи
    n = abs(int(amount))
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def plural(count: Any, one: str, few: str, many: str) -> str:
    """«1 запись», «2 записи», «5 записей», «1 000 записей»."""
    return f"{number(count)}{NBSP}{plural_form(count, one, few, many)}"


def person(user: Named | None) -> str:
    """A person's full name; the login only when they gave no name."""
    if user is None:
        return ""
    return user.get_full_name().strip() or user.username


def xlsx_value(value: Any) -> Any:
    """A value an XLSX cell can hold as itself: aware datetimes become local wall-clock time (XLSX has no zone)."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


INNER_QUOTES = str.maketrans({"«": "„", "»": "“"})


def quoted(text: str) -> str:
    """«Название» in Russian quotes; quotes inside become the inner kind, «Курс „Инженерия данных“»."""
    inner = re.sub(r'"([^"]*)"', "«\\1»", text.strip())  # straight quotes typed as Russian ones first
    return f"«{inner.translate(INNER_QUOTES)}»"
