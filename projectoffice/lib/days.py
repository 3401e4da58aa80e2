"""Days as the office counts them: a day starts at local midnight in the configured time zone."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def day_start(day: dt.date) -> dt.datetime:
    """The moment the day begins in the current time zone (Europe/Samara unless configured otherwise)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
