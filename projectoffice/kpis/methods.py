"""How each computed indicator is counted from the platform's records.

What counts is decided by the app that owns the records: a selector in its `selectors.py` gives the records
that count in a period of days [start, end) as a queryset annotated with `kpi_on` (the day or moment a record
counts on) and either `kpi_value` (what it adds, for a sum) or `kpi_key` (what is counted once, for a count of
unique things). This module only puts periods and arithmetic on top: it groups that one queryset by quarter for
the figure (a fixed number of aggregate queries, whatever the number of records) and lists the same queryset
as the records behind a period's figure (for the drill-down and the frozen report), so a figure is always the
sum of its records' values. Counts of unique things (projects, people, organisations) are assigned to the
quarter of their first occurrence in the year, so quarters add up to the year.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.db.models import Min, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.urls import reverse

from projectoffice.applications.selectors import (
    applications_of_organisations,
    prepared_applications,
    supported_applications,
)
from projectoffice.events.selectors import (
    attendance_by_organisation_name,
    course_completions,
    events_held,
    participants,
)
from projectoffice.flagships.models import ENGAGED_DEAL_STAGES
from projectoffice.flagships.selectors import FlagshipCard, flagships_meeting_promise
from projectoffice.kpis.models import EntryStatus, Indicator, ManualEntry, Method
from projectoffice.kpis.periods import bounds, local_day, quarter_of
from projectoffice.opendata.selectors import company_page, it_companies, it_figures
from projectoffice.organisations.models import OrganisationKind
from projectoffice.organisations.selectors import organisation_names, organisations_named
from projectoffice.participation.selectors import accepted_proposals, remarks_taken_into_account
from projectoffice.projects.selectors import investments_received, projects_led, projects_partnered

ZERO = Decimal(0)

Key = tuple[str, int]  # (model as "app_label.model_name", primary key)


@dataclass(frozen=True)
class RecordRef:
    """One record behind a figure: which row it is (`model`, `pk`), what it belongs to (`part_of`: the project of
    an application, the event of a registration) and how it is shown. A record about a person also has a
    discreet label (no name) and address, for everyone but the office (attendee lists are personal data)."""

    kind: str
    label: str
    url: str
    value: Decimal
    day: str
    model: str
    pk: int
    part_of: tuple[Key, ...] = ()
    discreet_label: str = ""
    discreet_url: str = ""

    def concerns(self, key: Key) -> bool:
        """True when the record is this object or a part of it."""
        return key == (self.model, self.pk) or key in self.part_of

    def discreet(self) -> RecordRef:
        if not self.discreet_label:
            return self
        return replace(self, label=self.discreet_label, url=self.discreet_url or self.url, discreet_label="")

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "label": self.label, "url": self.url, "value": str(self.value), "day": self.day}


YearQuarters = dict[int, dict[int, Decimal]]
Firsts = dict[tuple[Any, int], dt.date]  # (what is counted, year) → the day of its first occurrence that year
Describe = Callable[[Any, Decimal], RecordRef]  # a record's row and value → how it is shown


def _span(years: Iterable[int]) -> tuple[dt.date, dt.date]:
    years = list(years)
    return dt.date(min(years), 1, 1), dt.date(max(years) + 1, 1, 1)


def _key(row: Any) -> Key:
    return (row._meta.label_lower, row.pk)


# --- sums and counts of unique things, over any source --------------------------------------------------------


def _sum_quarters(*sources: QuerySet[Any]) -> YearQuarters:
    """Σ `kpi_value` by the quarter of `kpi_on`: summed per day (or moment) in the database, placed here."""
    out: YearQuarters = defaultdict(lambda: defaultdict(lambda: ZERO))
    for source in sources:
        for on, value in source.order_by().values("kpi_on").annotate(v=Sum("kpi_value")).values_list("kpi_on", "v"):
            day = local_day(on)
            out[day.year][quarter_of(day)] += Decimal(value or 0)
    return {y: dict(q) for y, q in out.items()}


def _sum_records(source: QuerySet[Any], describe: Describe) -> list[RecordRef]:
    return [describe(row, Decimal(row.kpi_value or 0)) for row in source.order_by("kpi_on", "pk")]


def _firsts(source: QuerySet[Any]) -> Firsts:
    """(`kpi_key`, year) → the first day it occurs that year, grouped in the database."""
    rows = (
        source.order_by()
        .annotate(kpi_year=ExtractYear("kpi_on"))
        .values("kpi_key", "kpi_year")
        .annotate(first=Min("kpi_on"))
        .values_list("kpi_key", "kpi_year", "first")
    )
    return {(key, int(year)): local_day(first) for key, year, first in rows}


def _earliest(into: Firsts, pairs: Iterable[tuple[tuple[Any, int], dt.date]]) -> Firsts:
    for key, day in pairs:
        if key not in into or day < into[key]:
            into[key] = day
    return into


def _count_quarters(firsts: Firsts) -> YearQuarters:
    out: YearQuarters = defaultdict(lambda: defaultdict(lambda: ZERO))
    for (_counted, year), day in firsts.items():
        out[year][quarter_of(day)] += 1
    return {y: dict(q) for y, q in out.items()}


def _first_records(source: QuerySet[Any], quarter: int | None, describe: Describe) -> list[RecordRef]:
    """The row of each thing's first occurrence in the source's year, kept when it falls in the quarter."""
    first: dict[Any, Any] = {}
    for row in source.order_by("kpi_on", "pk"):
        first.setdefault(row.kpi_key, row)
    return [describe(row, Decimal(1)) for row in first.values() if quarter is None or quarter_of(row.kpi_on) == quarter]


# --- how records look ----------------------------------------------------------------------------------------


def _application(kind: str) -> Describe:
    def describe(a: Any, value: Decimal) -> RecordRef:
        return RecordRef(
            kind,
            f"{a.project.title} — {a.opportunity.title}",
            reverse("applications:detail", args=[a.pk]),
            value,
            local_day(a.kpi_on).isoformat(),
            *_key(a),
            part_of=(_key(a.project),),
        )

    return describe


def _investment(i: Any, value: Decimal) -> RecordRef:
    return RecordRef(
        "инвестиция",
        f"{i.project.title}: {i.note or 'инвестиция'}",
        reverse("projects:detail", args=[i.project_id]),
        value,
        local_day(i.kpi_on).isoformat(),
        *_key(i),
        part_of=(_key(i.project),),
    )


def _event(e: Any, value: Decimal) -> RecordRef:
    return RecordRef(
        e.get_kind_display(),
        e.title,
        reverse("events:detail", args=[e.slug]),
        value,
        local_day(e.kpi_on).isoformat(),
        *_key(e),
    )


def _person(kind: str) -> Describe:
    def describe(r: Any, value: Decimal) -> RecordRef:
        return RecordRef(
            kind,
            f"{r.full_name} — {r.event.title}",
            reverse("events:attendees", args=[r.event.slug]),
            value,
            local_day(r.kpi_on).isoformat(),
            *_key(r),
            part_of=(_key(r.event),),
            discreet_label=f"участник № {r.pk} — {r.event.title}",
            discreet_url=reverse("events:detail", args=[r.event.slug]),
        )

    return describe


# --- investment ----------------------------------------------------------------------------------------------


def investment_quarters(indicator: Indicator, years: list[int]) -> YearQuarters:
    start, end = _span(years)
    return _sum_quarters(supported_applications(start=start, end=end), investments_received(start=start, end=end))


def investment_records(indicator: Indicator, year: int, quarter: int | None) -> list[RecordRef]:
    start, end = bounds(year, quarter)
    return _sum_records(supported_applications(start=start, end=end), _application("заявка")) + _sum_records(
        investments_received(start=start, end=end), _investment
    )


# --- flagship projects ---------------------------------------------------------------------------------------


def _flagship(c: FlagshipCard) -> RecordRef:
    assert c.engaged_on is not None
    engaged = ", ".join(sorted({d.funder_name for d in c.deals if d.stage in ENGAGED_DEAL_STAGES}))
    ready = ", ".join(r.label.lower() for r in c.readiness if r.complete)
    return RecordRef(
        "флагманский проект",
        f"{c.flagship.project.title}: наука — {', '.join(c.science)}; бизнес — {', '.join(c.business)}; "
        f"материалы готовы ({ready}); инвесторы — {engaged}",
        reverse("flagships:detail", args=[c.flagship.pk]),
        Decimal(1),
        c.engaged_on.isoformat(),
        "flagships.flagship",
        c.flagship.pk,
        part_of=(("projects.project", c.flagship.project_id),),
    )


def flagships_quarters(indicator: Indicator, years: list[int]) -> YearQuarters:
    start, end = _span(years)
    out: YearQuarters = defaultdict(lambda: defaultdict(lambda: ZERO))
    for c in flagships_meeting_promise(start=start, end=end):
        assert c.engaged_on is not None
        out[c.engaged_on.year][quarter_of(c.engaged_on)] += 1
    return {y: dict(q) for y, q in out.items()}


def flagships_records(indicator: Indicator, year: int, quarter: int | None) -> list[RecordRef]:
    start, end = bounds(year, quarter)
    return [_flagship(c) for c in flagships_meeting_promise(start=start, end=end)]


# --- projects prepared / supported -------------------------------------------------------------------------


def prepared_quarters(indicator: Indicator, years: list[int]) -> YearQuarters:
    return _count_quarters(_firsts(prepared_applications(start=_span(years)[0], end=_span(years)[1])))


def prepared_records(indicator: Indicator, year: int, quarter: int | None) -> list[RecordRef]:
    start, end = bounds(year, None)
    return _first_records(prepared_applications(start=start, end=end), quarter, _application("проект"))


def supported_quarters(indicator: Indicator, years: list[int]) -> YearQuarters:
    return _count_quarters(_firsts(supported_applications(start=_span(years)[0], end=_span(years)[1])))


def supported_records(indicator: Indicator, year: int, quarter: int | None) -> list[RecordRef]:
    start, end = bounds(year, None)
    return _first_records(supported_applications(start=start, end=end), quarter, _application("проект"))


# --- events, participants, persons trained -----------------------------------------------------------------


def events_quarters(indicator: Indicator, years: list[int]) -> YearQuarters:
    start, end = _span(years)
    return _sum_quarters(events_held(start=start, end=end, kind=indicator.method_param))


def events_records(indicator: Indicator, year: int, quarter: int | None) -> list[RecordRef]:
    start, end = bounds(year, quarter)
    return _sum_records(events_held(start=start, end=end, kind=indicator.method_param), _event)


def participants_quarters(indicator: Indicator, years: list[int]) -> YearQuarters:
    start, end = _span(years)
    return _sum_quarters(participants(start=start, end=end))


def participants_records(indicator: Indicator, year: int, quarter: int | None) -> list[RecordRef]:
    start, end = bounds(year, quarter)
    return _sum_records(participants(start=start, end=end), _person("участник"))


def trained_quarters(indicator: Indicator, years: list[int]) -> YearQuarters:
    return _count_quarters(_firsts(course_completions(start=_span(years)[0], end=_span(years)[1])))


def trained_records(indicator: Indicator, year: int, quarter: int | None) -> list[RecordRef]:
    start, end = bounds(year, None)
    return _first_records(course_completions(start=start, end=end), quarter, _person("обучен"))


# --- organisations engaged, enterprises digitalising ---------------------------------------------------------


def _organisation_firsts(years: list[int], kind: str, *, digitalisation: bool) -> Firsts:
    """(organisation, year) → the first day it counts that year: a project it leads or partners (for
    digitalisation, one the office has not declined), or else an application of its project or a check-in of
    someone who typed its name."""
    start, end = _span(years)
    firsts: Firsts = {}
    _earliest(firsts, _firsts(projects_led(start=start, end=end, kind=kind, declined=not digitalisation)).items())
    _earliest(firsts, _firsts(projects_partnered(start=start, end=end, kind=kind, declined=not digitalisation)).items())
    if not digitalisation:
        _earliest(firsts, _firsts(applications_of_organisations(start=start, end=end, kind=kind)).items())
        typed = _firsts(attendance_by_organisation_name(start=start, end=end))
        named = organisations_named({name for name, _year in typed}, kind=kind)
        _earliest(firsts, (((org, year), day) for (name, year), day in typed.items() for org in named.get(name, [])))
    return firsts


def _organisation_records(firsts: Firsts, quarter: int | None) -> list[RecordRef]:
    wanted = {org: day for (org, _year), day in firsts.items() if quarter is None or quarter_of(day) == quarter}
    names = organisation_names(wanted)
    return [
        RecordRef(
            "организация",
            names.get(org, str(org)),
            reverse("organisations:detail", args=[org]),
            Decimal(1),
            day.isoformat(),
            "organisations.organisation",
            org,
        )
        for org, day in sorted(wanted.items(), key=lambda item: (item[1], item[0]))
    ]


def engaged_quarters(indicator: Indicator, years: list[int]) -> YearQuarters:
    return _count_quarters(_organisation_firsts(years, OrganisationKind.IT_COMPANY, digitalisation=False))


def digitalisation_quarters(indicator: Indicator, years: list[int]) -> YearQuarters:
    return _count_quarters(_organisation_firsts(years, OrganisationKind.INDUSTRIAL, digitalisation=True))


def engaged_records(indicator: Indicator, year: int, quarter: int | None) -> list[RecordRef]:
    return _organisation_records(
        _organisation_firsts([year], OrganisationKind.IT_COMPANY, digitalisation=False), quarter
    )


def digitalisation_records(indicator: Indicator, year: int, quarter: int | None) -> list[RecordRef]:
    firsts = _organisation_firsts([year], OrganisationKind.INDUSTRIAL, digitalisation=True)
    return _organisation_records(firsts, quarter)


# --- proposals to the strategy --------------------------------------------------------------------------------


def _proposal(p: Any, value: Decimal) -> RecordRef:
    return RecordRef(
        "предложение",
        f"{p.title} — {p.process.title}",
        reverse("participation:proposal", args=[p.pk]),
        value,
        local_day(p.kpi_on).isoformat(),
        *_key(p),
        part_of=(_key(p.process),),
    )


def _remark(r: Any, value: Decimal) -> RecordRef:
    process = r.paragraph.version.draft.process
    return RecordRef(
        "замечание",
        f"п. {r.paragraph.number}: {r.text[:120]} ({r.get_disposition_display().lower()})",
        reverse("participation:register", args=[process.slug]) + f"#r{r.pk}",
        value,
        local_day(r.kpi_on).isoformat(),
        *_key(r),
        part_of=(_key(process),),
    )


def strategy_quarters(indicator: Indicator, years: list[int]) -> YearQuarters:
    start, end = _span(years)
    return _sum_quarters(accepted_proposals(start=start, end=end), remarks_taken_into_account(start=start, end=end))


def strategy_records(indicator: Indicator, year: int, quarter: int | None) -> list[RecordRef]:
    start, end = bounds(year, quarter)
    return _sum_records(accepted_proposals(start=start, end=end), _proposal) + _sum_records(
        remarks_taken_into_account(start=start, end=end), _remark
    )


# --- the region's digital economy market, from the FNS open data ---------------------------------------------


def _market_record(kind: str) -> Describe:
    def describe(row: Any, value: Decimal) -> RecordRef:
        card = company_page(row.inn)
        url = (
            reverse("organisations:detail", args=[card])
            if card
            else reverse("opendata:feed") + f"?status=all&q={row.inn}"
        )
        label = getattr(row, "kpi_label", "") or f"{row.short_name or row.name}, ИНН {row.inn}"
        return RecordRef(kind, label, url, value, local_day(row.kpi_on).isoformat(), *_key(row))

    return describe


def market_companies_quarters(indicator: Indicator, years: list[int]) -> YearQuarters:
    start, end = _span(years)
    return _sum_quarters(it_companies(start=start, end=end, category=indicator.method_param))


def market_companies_records(indicator: Indicator, year: int, quarter: int | None) -> list[RecordRef]:
    start, end = bounds(year, quarter)
    return _sum_records(it_companies(start=start, end=end, category=indicator.method_param), _market_record("компания"))


def market_headcount_quarters(indicator: Indicator, years: list[int]) -> YearQuarters:
    start, end = _span(years)
    return _sum_quarters(it_figures(start=start, end=end, measure="headcount"))


def market_headcount_records(indicator: Indicator, year: int, quarter: int | None) -> list[RecordRef]:
    start, end = bounds(year, quarter)
    return _sum_records(it_figures(start=start, end=end, measure="headcount"), _market_record("численность"))


def market_income_quarters(indicator: Indicator, years: list[int]) -> YearQuarters:
    start, end = _span(years)
    return _sum_quarters(it_figures(start=start, end=end, measure="income"))


def market_income_records(indicator: Indicator, year: int, quarter: int | None) -> list[RecordRef]:
    start, end = bounds(year, quarter)
    return _sum_records(it_figures(start=start, end=end, measure="income"), _market_record("доходы"))


# --- manual ---------------------------------------------------------------------------------------------------


def _approved(indicator: Indicator, years: list[int]) -> QuerySet[ManualEntry]:
    return ManualEntry.objects.filter(indicator=indicator, year__in=years, status=EntryStatus.APPROVED)


def manual_quarters(indicator: Indicator, years: list[int]) -> YearQuarters:
    out: YearQuarters = defaultdict(dict)
    rows = _approved(indicator, years).order_by().values("year", "quarter").annotate(v=Sum("value"))
    for year, quarter, value in rows.values_list("year", "quarter", "v"):
        out[year][quarter] = value
    return dict(out)


def manual_records(indicator: Indicator, year: int, quarter: int | None) -> list[RecordRef]:
    entries = _approved(indicator, [year]).filter(**({} if quarter is None else {"quarter": quarter}))
    return [
        RecordRef(
            "вручную",
            f"{e.comment or 'значение'} (внёс {e.entered_by}, утвердил {e.approved_by})",
            reverse("kpis:entry", args=[e.pk]),
            e.value,
            f"{e.quarter} кв. {e.year}",
            *_key(e),
        )
        for e in entries.select_related("entered_by", "approved_by").order_by("quarter", "pk")
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
    Method.STRATEGY: strategy_quarters,
    Method.FLAGSHIPS: flagships_quarters,
    Method.MARKET_COMPANIES: market_companies_quarters,
    Method.MARKET_HEADCOUNT: market_headcount_quarters,
    Method.MARKET_INCOME: market_income_quarters,
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
    Method.STRATEGY: strategy_records,
    Method.FLAGSHIPS: flagships_records,
    Method.MARKET_COMPANIES: market_companies_records,
    Method.MARKET_HEADCOUNT: market_headcount_records,
    Method.MARKET_INCOME: market_income_records,
    Method.MANUAL: manual_records,
}
