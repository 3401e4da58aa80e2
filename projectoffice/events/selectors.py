"""Figures the KPI ledger calls: events held, registrations, attendance, unique persons trained, feedback."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Avg, Count, Q
from django.db.models.functions import Lower

from projectoffice.events.models import (
    CheckIn,
    Event,
    EventKind,
    EventStatus,
    Feedback,
    Registration,
    RegistrationStatus,
    Session,
)


def events_held(*, start: dt.datetime, end: dt.datetime) -> dict[str, int]:
    """Published events that ended within [start, end), by kind."""
    rows = (
        Event.objects.filter(status=EventStatus.PUBLISHED, ends_at__gte=start, ends_at__lt=end)
        .values("kind")
        .annotate(n=Count("id"))
    )
    return {row["kind"]: row["n"] for row in rows}


def registrations(*, start: dt.datetime, end: dt.datetime) -> int:
    return Registration.objects.filter(
        event__ends_at__gte=start, event__ends_at__lt=end, status=RegistrationStatus.CONFIRMED
    ).count()


def attendance(*, start: dt.datetime, end: dt.datetime) -> int:
    """Registrations with at least one check-in, for events that ended in the period."""
    return (
        CheckIn.objects.filter(registration__event__ends_at__gte=start, registration__event__ends_at__lt=end)
        .values("registration")
        .distinct()
        .count()
    )


def trained_persons(*, start: dt.datetime, end: dt.datetime) -> list[str]:
    """Unique people (by e-mail) who completed a training course that ended in the period."""
    completed = Registration.objects.filter(
        event__kind=EventKind.COURSE,
        event__ends_at__gte=start,
        event__ends_at__lt=end,
        status=RegistrationStatus.CONFIRMED,
    ).annotate(attended=Count("checkins", filter=Q(checkins__session__isnull=False)))
    emails = set()
    for registration in completed.select_related("event"):
        needed = registration.event.min_sessions_for_certificate or registration.event.sessions.count()
        if needed and registration.attended >= needed:
            emails.add(registration.email.lower())
    return sorted(emails)


@dataclass(frozen=True)
class FeedbackScores:
    responses: int
    rating: float | None
    nps: float | None  # promoters % − detractors %


def feedback_scores(event: Event) -> FeedbackScores:
    answers = Feedback.objects.filter(registration__event=event)
    total = answers.count()
    if not total:
        return FeedbackScores(0, None, None)
    average = answers.aggregate(avg=Avg("rating"))["avg"]
    promoters = answers.filter(nps__gte=9).count()
    detractors = answers.filter(nps__lte=6).count()
    return FeedbackScores(total, round(average, 2), round(100 * (promoters - detractors) / total, 1))


def unique_participants(event: Event) -> int:
    return (
        Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED)
        .annotate(e=Lower("email"))
        .values("e")
        .distinct()
        .count()
    )


def checked_in_count(event: Event, session: Session | None = None) -> int:
    """People checked in: at this session when one is given, else at the event (at any of its check-ins)."""
    if session is not None:
        return CheckIn.objects.filter(session=session).count()
    return event.registrations.filter(checkins__isnull=False).distinct().count()
