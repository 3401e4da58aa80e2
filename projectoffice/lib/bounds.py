"""Bounds of numbers, money and dates that every database stores exactly and every page can show.

SQLite keeps decimals as 8-byte floats (15 significant digits): a larger value is saved, then cannot be
read back, and every page that lists the row fails. Money therefore stops below a trillion roubles (14
digits with kopecks), which no regional project, grant or tender reaches. Dates stay within years a person
could mean; what records something that has already happened may not be later than today (local date).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.deconstruct import deconstructible

from projectoffice.lib import formats

MONEY_MAX = Decimal("999999999999.99")  # 14 significant digits: exact on SQLite (REAL) and PostgreSQL
QUANTITY_MAX = Decimal("999999999.999")  # items of a tender: 12 significant digits
FIGURE_MAX = MONEY_MAX  # KPI plans and values: roubles or counts
COUNT_MAX = 10_000_000  # headcounts, seats and other counts of people
EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)
EARLIEST_YEAR, LATEST_YEAR = 1990, 2100  # figures, targets and plans of the platform's era


@deconstructible
class MoneyMinValidator(MinValueValidator):
    message = "Сумма не может быть отрицательной."

    def __init__(self) -> None:
        super().__init__(Decimal(0))


@deconstructible
class MoneyMaxValidator(MaxValueValidator):
    message = "Сумма не может быть больше 999 999 999 999,99 ₽."

    def __init__(self) -> None:
        super().__init__(MONEY_MAX)


@deconstructible
class PlausibleDateValidator:
    """Refuse a date (or date-time) outside 1900–2100: «0001-01-01» and «9999-12-31» are typing slips."""

    message = "Дата должна быть между 01.01.1900 и 31.12.2100."

    def __call__(self, value: datetime.date | datetime.datetime) -> None:
        if not EARLIEST_DATE.year <= value.year <= LATEST_DATE.year:
            raise ValidationError(self.message, code="date_range")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PlausibleDateValidator)

    def __hash__(self) -> int:
        return hash(type(self))


@deconstructible
class NotInFutureValidator:
    """Refuse a date (or date-time) later than today in the configured time zone."""

    message = "Дата не может быть позже сегодняшней (%(today)s)."

    def __call__(self, value: datetime.date | datetime.datetime) -> None:
        today = timezone.localdate()
        day = timezone.localtime(value).date() if isinstance(value, datetime.datetime) else value
        if day > today:
            raise ValidationError(self.message, code="future", params={"today": formats.date(today)})

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NotInFutureValidator)

    def __hash__(self) -> int:
        return hash(type(self))


def money_validators() -> list[Any]:
    """Non-negative and below MONEY_MAX."""
    return [MoneyMinValidator(), MoneyMaxValidator()]


def range_validators(minimum: int | Decimal, maximum: int | Decimal) -> list[Any]:
    return [MinValueValidator(minimum), MaxValueValidator(maximum)]


def year_validators() -> list[Any]:
    return range_validators(EARLIEST_YEAR, LATEST_YEAR)


def date_validators(*, past_only: bool = False) -> list[Any]:
    """From 1900 to 2100, and not after today when the date records something that has already happened."""
    return [PlausibleDateValidator(), NotInFutureValidator()] if past_only else [PlausibleDateValidator()]


def validate_fields(instance: Any, *names: str) -> None:
    """Run the model's own validators on these fields only (for services that set a few fields and save)."""
    others = [field.name for field in instance._meta.concrete_fields if field.name not in names]
    instance.clean_fields(exclude=others)
