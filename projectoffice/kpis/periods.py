"""Quarters and years as half-open date and datetime ranges."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def quarter_start(year: int, quarter: int) -> dt.date:
    return dt.date(year, 3 * quarter - 2, 1)


def quarter_end(year: int, quarter: int) -> dt.date:
    """The first day after the quarter."""
    return dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)


def bounds(year: int, quarter: int | None) -> tuple[dt.date, dt.date]:
    if quarter is None:
        return dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    return quarter_start(year, quarter), quarter_end(year, quarter)


def local_day(moment: dt.date | dt.datetime) -> dt.date:
    """The day a date or a moment falls on in the current time zone."""
    if isinstance(moment, dt.datetime):
        return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
    return moment


def quarter_of(day: dt.date | dt.datetime) -> int:
    if type(day) is not dt.date:  # a moment; plain dates, the common case, are kept cheap
        day = local_day(day)
    return (day.month - 1) // 3 + 1


def elapsed_share(year: int, today: dt.date | None = None) -> float:
    """How much of the year has passed (0..1)."""
    today = today or timezone.localdate()
    if today.year < year:
        return 0.0
    if today.year > year:
        return 1.0
    start = dt.date(year, 1, 1)
    return ((today - start).days + 1) / ((dt.date(year + 1, 1, 1) - start).days)
