"""How each computed indicator is counted from the platform's records.

Every method answers two questions with the same filters: the values by quarter of a year (a fixed number
of aggregate queries, whatever the number of records) and the records behind a period's figure (for the
drill-down and the frozen report). Counts of unique things (projects, people, organisations) are assigned to
the quarter of their first occurrence in the year, so quarters add up to the year.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Min, Sum
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear
from django.urls import reverse
from django.utils import timezone

from projectoffice.applications.models import Application, ApplicationStatus
from projectoffice.applications.selectors import PREPARED_READINESS, SUBMITTED_OR_DECIDED
from projectoffice.events.models import CheckIn, Event, EventKind, EventStatus, Registration, RegistrationStatus
from projectoffice.kpis.models import EntryStatus, Indicator, ManualEntry, Method
from projectoffice.kpis.periods import aware, bounds, quarter_of
from projectoffice.organisations.models import Organisation, OrganisationKind
from projectoffice.projects.models import Project, ProjectInvestment

ZERO = Decimal(0)


@dataclass(frozen=True)
class RecordRef:
    """One record behind a figure. A record about a person also has a discreet label (no name) and address,
    for everyone but the office (attendee lists are personal data)."""

    kind: str
    label: str
    url: str
    value: Decimal
    day: str
    discreet_label: str = ""
    discreet_url: str = ""

    def discreet(self) -> RecordRef:
        if not self.discreet_label:
            return self
        return replace(self, label=self.discreet_label, url=self.discreet_url or self.url, discreet_label="")

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "label": self.label, "url": self.url, "value": str(self.value), "day": self.day}


YearQuarters = dict[int, dict[int, Decimal]]


def _by_year_month(rows: list[tuple[int, int, Any]]) -> YearQuarters:
    out: YearQuarters = defaultdict(lambda: defaultdict(lambda: ZERO))
    for year, month, value in rows:
        out[int(year)][(int(month) - 1) // 3 + 1] += Decimal(value or 0)
    return {y: dict(q) for y, q in out.items()}


def _first_by_year(rows: list[tuple[object, int, dt.date | dt.datetime]]) -> YearQuarters:
    """(key, year, first day in that year) rows → count of keys by the quarter of their first day, per year."""
    out: YearQuarters = defaultdict(lambda: defaultdict(lambda: ZERO))
    for _key, year, day in rows:
        out[int(year)][quarter_of(day)] += 1
    return {y: dict(q) for y, q in out.items()}


def _span(years: list[int]) -> tuple[dt.date, dt.date]:
    return dt.date(min(years), 1, 1), dt.date(max(years) + 1, 1, 1)


# --- investment --------------------------------------------------------------------------------------------


def _supported(year: int, quarter: int | None) -> Any:
    start, end = bounds(year, quarter)
    return Application.objects.filter(status=ApplicationStatus.SUPPORTED, outcome_on__gte=start, outcome_on__lt=end)


def _investments(year: int, quarter: int | None) -> Any:
    start, end = bounds(year, quarter)
    return ProjectInvestment.objects.filter(received_on__gte=start, received_on__lt=end)


def investment_quarters(indicator: Indicator, years: list[int]) -> YearQuarters:
    start, end = _span(years)
    amount = Coalesce(F("awarded_amount"), ZERO) + Coalesce(F("cofinancing_amount"), ZERO)
    supported = Application.objects.filter(
        status=ApplicationStatus.SUPPORTED, outcome_on__gte=start, outcome_on__lt=end
    )
    rows = list(
        supported.annotate(y=ExtractYear("outcome_on"), m=ExtractMonth("outcome_on"))
        .values("y", "m")
        .annotate(v=Sum(amount))
        .values_list("y", "m", "v")
    )
    invested = ProjectInvestment.objects.filter(received_on__gte=start, received_on__lt=end)
    rows += list(
        invested.annotate(y=ExtractYear("received_on"), m=ExtractMonth("received_on"))
        .values("y", "m")
        .annotate(v=Sum("amount"))
        .values_list("y", "m", "v")
    )
    return _by_year_month(rows)


def investment_records(indicator: Indicator, year: int, quarter: int | None) -> list[RecordRef]:
    records = [
        RecordRef(
            "заявка",
            f"{a.project.title} — {a.opportunity.title}",
            reverse("applications:detail", args=[a.pk]),
            (a.awarded_amount or ZERO) + (a.cofinancing_amount or ZERO),
            a.outcome_on.isoformat() if a.outcome_on else "",
        )
        for a in _supported(year, quarter).select_related("project", "opportunity").order_by("outcome_on", "pk")
    ]
    records += [
        RecordRef(
            "инвестиция",
            f"{i.project.title}: {i.note or 'инвестиция'}",
            reverse("projects:detail", args=[i.project_id]),
            i.amount,
            i.received_on.isoformat(),
        )
        for i in _investments(year, quarter).select_related("project").order_by("received_on", "pk")
    ]
    return records


# --- projects prepared / supported -------------------------------------------------------------------------


def _prepared(year: int, quarter: int | None) -> Any:
    start, end = bounds(year, quarter)
    return Application.objects.filter(
        status__in=SUBMITTED_OR_DECIDED,
        readiness_at_submission__gte=PREPARED_READINESS,
        submitted_on__gte=start,
        submitted_on__lt=end,
    )


def prepared_quarters(indicator: Indicator, years: list[int]) -> YearQuarters:
    start, end = _span(years)
    applications = Application.objects.filter(
        status__in=SUBMITTED_OR_DECIDED,
        readiness_at_submission__gte=PREPARED_READINESS,
        submitted_on__gte=start,
        submitted_on__lt=end,
    )
    rows = (
        applications.annotate(y=ExtractYear("submitted_on")).values("project", "y").annotate(first=Min("submitted_on"))
    )
    return _first_by_year(list(rows.values_list("project", "y", "first")))


def _unique_project_records(applications: Any, day_field: str) -> list[RecordRef]:
    seen: dict[int, RecordRef] = {}
    for a in applications.select_related("project", "opportunity").order_by(day_field, "pk"):
        if a.project_id not in seen:
            day = getattr(a, day_field)
            seen[a.project_id] = RecordRef(
                "проект",
                f"{a.project.title} — {a.opportunity.title}",
                reverse("applications:detail", args=[a.pk]),
                Decimal(1),
                day.isoformat() if day else "",
            )
    return list(seen.values())


def prepared_records(indicator: Indicator, year: int, quarter: int | None) -> list[RecordRef]:
    if quarter is None:
        return _unique_project_records(_prepared(year, None), "submitted_on")
    firsts = dict(
        _prepared(year, None).values("project").annotate(first=Min("submitted_on")).values_list("project", "first")
    )
    in_quarter = [p for p, day in firsts.items() if quarter_of(day) == quarter]
    return _unique_project_records(_prepared(year, quarter).filter(project__in=in_quarter), "submitted_on")


def supported_quarters(indicator: Indicator, years: list[int]) -> YearQuarters:
    start, end = _span(years)
    applications = Application.objects.filter(
        status=ApplicationStatus.SUPPORTED, outcome_on__gte=start, outcome_on__lt=end
    )
    rows = applications.annotate(y=ExtractYear("outcome_on")).values("project", "y").annotate(first=Min("outcome_on"))
    return _first_by_year(list(rows.values_list("project", "y", "first")))


def supported_records(indicator: Indicator, year: int, quarter: int | None) -> list[RecordRef]:
    firsts = dict(
        _supported(year, None).values("project").annotate(first=Min("outcome_on")).values_list("project", "first")
    )
    wanted = [p for p, day in firsts.items() if quarter is None or quarter_of(day) == quarter]
    return _unique_project_records(_supported(year, quarter).filter(project__in=wanted), "outcome_on")


# --- events -------------------------------------------------------------------------------------------------


def _events(indicator: Indicator, year: int, quarter: int | None) -> Any:
    start, end = bounds(year, quarter)
    events = Event.objects.filter(status=EventStatus.PUBLISHED, ends_at__gte=aware(start), ends_at__lt=aware(end))
    if indicator.method_param in EventKind.values:
        events = events.filter(kind=indicator.method_param)
    return events


def events_quarters(indicator: Indicator, years: list[int]) -> YearQuarters:
    start, end = _span(years)
    events = Event.objects.filter(status=EventStatus.PUBLISHED, ends_at__gte=aware(start), ends_at__lt=aware(end))
    if indicator.method_param in EventKind.values:
        events = events.filter(kind=indicator.method_param)
    rows = events.annotate(y=ExtractYear("ends_at"), m=ExtractMonth("ends_at")).values("y", "m").annotate(v=Count("id"))
    return _by_year_month(list(rows.values_list("y", "m", "v")))


def events_records(indicator: Indicator, year: int, quarter: int | None) -> list[RecordRef]:
    return [
        RecordRef(
            e.get_kind_display(),
            e.title,
            reverse("events:detail", args=[e.slug]),
            Decimal(1),
            e.ends_at.date().isoformat(),
        )
        for e in _events(indicator, year, quarter).order_by("ends_at", "pk")
    ]


def _participants(year: int, quarter: int | None) -> Any:
    start, end = bounds(year, quarter)
    return Registration.objects.filter(
        status=RegistrationStatus.CONFIRMED,
        event__status=EventStatus.PUBLISHED,
        event__ends_at__gte=aware(start),
        event__ends_at__lt=aware(end),
    )


def participants_quarters(indicator: Indicator, years: list[int]) -> YearQuarters:
    start, end = _span(years)
    events = dict(
        Event.objects.filter(
            status=EventStatus.PUBLISHED, ends_at__gte=aware(start), ends_at__lt=aware(end)
        ).values_list("pk", "ends_at")
    )
    # Confirmed registrations counted per event in the database, then placed in their event's quarter.
    per_event = (
        Registration.objects.filter(
            status=RegistrationStatus.CONFIRMED,
            event__status=EventStatus.PUBLISHED,
            event__ends_at__gte=aware(start),
            event__ends_at__lt=aware(end),
        )
        .values("event")
        .annotate(n=Count("id"))
        .values_list("event", "n")
    )
    rows = [(timezone.localtime(events[pk]).year, timezone.localtime(events[pk]).month, n) for pk, n in per_event]
    return _by_year_month(rows)


def participants_records(indicator: Indicator, year: int, quarter: int | None) -> list[RecordRef]:
    return [
        RecordRef(
            "участник",
            f"{r.full_name} — {r.event.title}",
            reverse("events:attendees", args=[r.event.slug]),
            Decimal(1),
            r.event.ends_at.date().isoformat(),
            discreet_label=f"участник № {r.pk} — {r.event.title}",
            discreet_url=reverse("events:detail", args=[r.event.slug]),
        )
        for r in _participants(year, quarter).select_related("event").order_by("event__ends_at", "pk")
    ]


def _trained(years: list[int]) -> dict[tuple[str, int], tuple[dt.datetime, int]]:
    """(e-mail, year) → (end of the first course completed that year, its registration id).

    One aggregate over session check-ins (grouped by registration, in order of the course's end) and one over
    the courses themselves; completion is decided from those results, with per-course values looked up once.
    """
    start, end = _span(years)
    courses = {
        pk: (ends, minimum or n, timezone.localtime(ends).year)
        for pk, ends, minimum, n in Event.objects.filter(
            kind=EventKind.COURSE, status=EventStatus.PUBLISHED, ends_at__gte=aware(start), ends_at__lt=aware(end)
        )
        .annotate(n=Count("sessions"))
        .values_list("pk", "ends_at", "min_sessions_for_certificate", "n")
    }
    attended = (
        CheckIn.objects.filter(
            session__isnull=False,
            registration__status=RegistrationStatus.CONFIRMED,
            registration__event__in=list(courses) or [0],
        )
        .values("registration", "registration__email", "registration__event")
        .annotate(n=Count("id"))
        .order_by("registration__event__ends_at", "registration")
        .values_list("registration", "registration__email", "registration__event", "n")
    )
    firsts: dict[tuple[str, int], tuple[dt.datetime, int]] = {}
    for registration, email, event, n in attended:
        ends, needed, year = courses[event]
        if needed and n >= needed:
            firsts.setdefault((email.lower(), year), (ends, registration))
    return firsts


def trained_quarters(indicator: Indicator, years: list[int]) -> YearQuarters:
    return _first_by_year([(key, key[1], ends) for key, (ends, _r) in _trained(years).items()])


def trained_records(indicator: Indicator, year: int, quarter: int | None) -> list[RecordRef]:
    chosen = {
        pk: ends
        for (_email, _y), (ends, pk) in _trained([year]).items()
        if quarter is None or quarter_of(ends) == quarter
    }
    registrations = Registration.objects.filter(pk__in=chosen).select_related("event")
    return sorted(
        (
            RecordRef(
                "обучен",
                f"{r.full_name} — {r.event.title}",
                reverse("events:attendees", args=[r.event.slug]),
                Decimal(1),
                timezone.localtime(chosen[r.pk]).date().isoformat(),
                discreet_label=f"участник № {r.pk} — {r.event.title}",
                discreet_url=reverse("events:detail", args=[r.event.slug]),
            )
            for r in registrations
        ),
        key=lambda record: (record.day, record.label),
    )


# --- organisations engaged, enterprises digitalising ---------------------------------------------------------


def _org_firsts(years: list[int], kind: str, *, digitalisation: bool) -> dict[tuple[int, int], dt.date]:
    """(organisation, year) → the first day it counts that year; grouped in the database, merged here."""
    start, end = aware(_span(years)[0]), aware(_span(years)[1])
    firsts: dict[tuple[int, int], dt.date] = {}

    def note(org_id: int | None, year: int, moment: dt.datetime) -> None:
        if org_id is None:
            return
        day = timezone.localtime(moment).date()
        key = (org_id, int(year))
        if key not in firsts or day < firsts[key]:
            firsts[key] = day

    projects = Project.objects.filter(created_at__gte=start, created_at__lt=end)
    if digitalisation:
        projects = projects.exclude(stage="declined")
    for org, year, first in (
        projects.filter(lead_organisation__kind=kind)
        .values("lead_organisation", y=ExtractYear("created_at"))
        .annotate(first=Min("created_at"))
        .values_list("lead_organisation", "y", "first")
    ):
        note(org, year, first)
    for org, year, first in (
        projects.filter(partnerships__organisation__kind=kind)
        .values("partnerships__organisation", y=ExtractYear("created_at"))
        .annotate(first=Min("created_at"))
        .values_list("partnerships__organisation", "y", "first")
    ):
        note(org, year, first)
    if not digitalisation:
        for org, year, first in (
            Application.objects.filter(created_at__gte=start, created_at__lt=end, project__lead_organisation__kind=kind)
            .values("project__lead_organisation", y=ExtractYear("created_at"))
            .annotate(first=Min("created_at"))
            .values_list("project__lead_organisation", "y", "first")
        ):
            note(org, year, first)
        attended = (
            CheckIn.objects.filter(checked_at__gte=start, checked_at__lt=end)
            .exclude(registration__organisation_name="")
            .values("registration__organisation_name", y=ExtractYear("checked_at"))
            .annotate(first=Min("checked_at"))
            .values_list("registration__organisation_name", "y", "first")
        )
        by_name: dict[str, list[tuple[int, dt.datetime]]] = defaultdict(list)
        for name, year, first in attended:
            by_name[name_key(name)].append((year, first))
        if by_name:
            for org_id, short, full in Organisation.objects.filter(kind=kind).values_list("pk", "short_name", "name"):
                for key in {name_key(short), name_key(full)} - {""}:
                    for year, first in by_name.get(key, []):
                        note(org_id, year, first)
    return firsts


LEGAL_FORM = re.compile(r"^(?:ооо|оао|зао|пао|ао|ип|ано|нко|фгбоу во|фгаоу во|фгбу|гбу|гку|мку|муп|гуп)\s+")


def name_key(name: str) -> str:
    """An organisation's name as people type it, for matching: no case (Cyrillic too), quotes or legal form."""
    key = " ".join(re.sub(r"[«»\"'“”„]", " ", name).casefold().split())
    return LEGAL_FORM.sub("", key)


def engaged_quarters(indicator: Indicator, years: list[int]) -> YearQuarters:
    return _first_by_year(
        [
            (key, key[1], day)
            for key, day in _org_firsts(years, OrganisationKind.IT_COMPANY, digitalisation=False).items()
        ]
    )


def digitalisation_quarters(indicator: Indicator, years: list[int]) -> YearQuarters:
    return _first_by_year(
        [
            (key, key[1], day)
            for key, day in _org_firsts(years, OrganisationKind.INDUSTRIAL, digitalisation=True).items()
        ]
    )


def _org_records(firsts: dict[tuple[int, int], dt.date], quarter: int | None) -> list[RecordRef]:
    wanted = {org: day for (org, _year), day in firsts.items() if quarter is None or quarter_of(day) == quarter}
    names = dict(Organisation.objects.filter(pk__in=wanted).values_list("pk", "name"))
    return [
        RecordRef(
            "организация",
            names.get(org, str(org)),
            reverse("organisations:detail", args=[org]),
            Decimal(1),
            day.isoformat(),
        )
        for org, day in sorted(wanted.items(), key=lambda item: (item[1], item[0]))
    ]


def engaged_records(indicator: Indicator, year: int, quarter: int | None) -> list[RecordRef]:
    return _org_records(_org_firsts([year], OrganisationKind.IT_COMPANY, digitalisation=False), quarter)


def digitalisation_records(indicator: Indicator, year: int, quarter: int | None) -> list[RecordRef]:
    return _org_records(_org_firsts([year], OrganisationKind.INDUSTRIAL, digitalisation=True), quarter)


# --- manual ---------------------------------------------------------------------------------------------------


def _manual(indicator: Indicator, year: int, quarter: int | None) -> Any:
    entries = ManualEntry.objects.filter(indicator=indicator, year=year, status=EntryStatus.APPROVED)
    return entries if quarter is None else entries.filter(quarter=quarter)


def manual_quarters(indicator: Indicator, years: list[int]) -> YearQuarters:
    out: YearQuarters = defaultdict(dict)
    rows = (
        ManualEntry.objects.filter(indicator=indicator, year__in=years, status=EntryStatus.APPROVED)
        .values("year", "quarter")
        .annotate(v=Sum("value"))
        .values_list("year", "quarter", "v")
    )
    for year, quarter, value in rows:
        out[year][quarter] = value
    return dict(out)


def manual_records(indicator: Indicator, year: int, quarter: int | None) -> list[RecordRef]:
    return [
        RecordRef(
            "вручную",
            f"{e.comment or 'значение'} (внёс {e.entered_by}, утвердил {e.approved_by})",
            reverse("kpis:entry", args=[e.pk]),
            e.value,
            f"{e.year} Q{e.quarter}",
        )
        for e in _manual(indicator, year, quarter).select_related("entered_by", "approved_by").order_by("quarter", "pk")
    ]


QUARTERS = {
    Method.INVESTMENT: investment_quarters,
    Method.PREPARED: prepared_quarters,
    Method.SUPPORTED: supported_quarters,
    Method.EVENTS: events_quarters,
    Method.PARTICIPANTS: participants_quarters,
    Method.TRAINED: trained_quarters,
    Method.ENGAGED: engaged_quarters,
    Method.DIGITALISATION: digitalisation_quarters,
    Method.MANUAL: manual_quarters,
}
RECORDS = {
    Method.INVESTMENT: investment_records,
    Method.PREPARED: prepared_records,
    Method.SUPPORTED: supported_records,
    Method.EVENTS: events_records,
    Method.PARTICIPANTS: participants_records,
    Method.TRAINED: trained_records,
    Method.ENGAGED: engaged_records,
    Method.DIGITALISATION: digitalisation_records,
    Method.MANUAL: manual_records,
}
