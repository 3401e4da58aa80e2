"""Reads of events: feedback and check-in counts for the office, and the records behind the KPI figures.

The KPI selectors return what counts in a period of days [start, end), annotated as `kpis/methods.py` reads
every source (`kpi_on`, and `kpi_value` or `kpi_key`); the ledger makes both the figure and the list of records
behind it from that one queryset. Every figure counts only published events, by the moment they ended.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Avg, Count, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Lower, NullIf

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
from projectoffice.lib.days import day_start


def _ended(start: dt.date, end: dt.date, prefix: str = "") -> Q:
    """Published events that ended within [start, end); `prefix` reaches the event from a related row."""
    lookups = {"status": EventStatus.PUBLISHED, "ends_at__gte": day_start(start), "ends_at__lt": day_start(end)}
    return Q(**{prefix + lookup: value for lookup, value in lookups.items()})


def events_held(*, start: dt.date, end: dt.date, kind: str = "") -> QuerySet[Event]:
    """Published events that ended within [start, end), of this kind if it is an event kind, else of any."""
    events = Event.objects.filter(_ended(start, end))
    if kind in EventKind.values:
        events = events.filter(kind=kind)
    return events.annotate(kpi_on=F("ends_at"), kpi_value=Value(1))


def participants(*, start: dt.date, end: dt.date) -> QuerySet[Registration]:
    """Confirmed registrations for published events that ended within [start, end)."""
    return (
        Registration.objects.filter(_ended(start, end, "event__"), status=RegistrationStatus.CONFIRMED)
        .annotate(kpi_on=F("event__ends_at"), kpi_value=Value(1))
        .select_related("event")
    )


def course_completions(*, start: dt.date, end: dt.date) -> QuerySet[Registration]:
    """Confirmed registrations for published courses that ended within [start, end), whose person attended the
    sessions the course asks for a certificate (all of its sessions when it names no number); `kpi_key` is the
    person, by e-mail in any case (persons trained)."""
    sessions = Session.objects.filter(event=OuterRef("registration__event")).order_by().values("event")
    needed = Coalesce(
        NullIf("registration__event__min_sessions_for_certificate", Value(0)),
        Subquery(sessions.annotate(n=Count("pk")).values("n")),
    )
    # Counted over the check-ins at sessions (far fewer than the registrations), grouped by registration.
    completed = (
        CheckIn.objects.filter(
            _ended(start, end, "registration__event__"),
            session__isnull=False,
            registration__event__kind=EventKind.COURSE,
            registration__status=RegistrationStatus.CONFIRMED,
        )
        .order_by()
        .values("registration")
        .annotate(attended=Count("pk"), needed=needed)
        .filter(needed__gt=0, attended__gte=F("needed"))
    )
    return (
        Registration.objects.filter(pk__in=completed.values("registration"))
        .annotate(kpi_on=F("event__ends_at"), kpi_key=Lower("email"))
        .select_related("event")
    )


def attendance_by_organisation_name(*, start: dt.date, end: dt.date) -> QuerySet[CheckIn]:
    """Check-ins within [start, end) of people who typed the organisation they come from; `kpi_key` is the name
    as typed (organisations engaged, once matched to the registry)."""
    return (
        CheckIn.objects.filter(checked_at__gte=day_start(start), checked_at__lt=day_start(end))
        .exclude(registration__organisation_name="")
        .annotate(kpi_on=F("checked_at"), kpi_key=F("registration__organisation_name"))
    )


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


def checked_in_count(event: Event, session: Session | None = None) -> int:
    """People checked in: at this session when one is given, else at the event (at any of its check-ins)."""
    if session is not None:
        return CheckIn.objects.filter(session=session).count()
    return event.registrations.filter(checkins__isnull=False).distinct().count()
