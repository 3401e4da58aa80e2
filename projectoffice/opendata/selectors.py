"""Reads of the open data: sources of a card's values, the discovery feed, the market figures for the ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import CharField, DecimalField, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Concat

from projectoffice.opendata.models import Company, CompanyStatus, FieldSource, ImportRun, Measure, YearFigure
from projectoffice.organisations.models import Organisation, OrganisationKind


def _current(organisation: Organisation, field: str) -> str:
    if field.startswith("headcount."):
        year = int(field.split(".")[1])
        figures = next((f for f in organisation.figures.all() if f.year == year), None)
        return "" if figures is None or figures.headcount is None else str(figures.headcount)
    if field == "main_okved":
        return organisation.main_okved.code if organisation.main_okved else ""
    if field == "extra_okveds":
        return ",".join(sorted(c.code for c in organisation.extra_okveds.all()))
    return str(getattr(organisation, field, "") or "")


def sources_shown(organisation: Organisation) -> dict[str, str]:
    """Field → «ФНС, реестр МСП на 10.02.2019» for the card's values that are still the import's own (a value
    changed by hand since is the office's, and shows no source)."""
    return {
        fs.field: fs.source
        for fs in FieldSource.objects.filter(organisation=organisation)
        if fs.value == _current(organisation, fs.field)
    }


def open_data_of(organisation: Organisation) -> dict[str, Any]:
    """What the open data say about a card: the SME registry entry and the yearly figures, each with its source."""
    company = Company.objects.filter(Q(organisation=organisation) | Q(inn=organisation.inn)).first()
    figures = list(YearFigure.objects.filter(inn=organisation.inn).order_by("-year", "measure"))
    years: dict[int, dict[str, YearFigure]] = {}
    for figure in figures:
        years.setdefault(figure.year, {})[figure.measure] = figure
    return {"company": company, "years": sorted(years.items(), reverse=True)}


# --- the discovery feed --------------------------------------------------------------------------------------


def discovered(*, filters: dict[str, Any] | None = None) -> QuerySet[Company]:
    """The region's companies the imports found, newest changes first: by default those the office has not
    decided on, and never individual entrepreneurs' names for anyone but the office (the views check the role)."""
    filters = filters or {}
    qs = Company.objects.select_related("organisation", "changed_run")
    status = filters.get("status") or CompanyStatus.NEW
    if status != "all":
        qs = qs.filter(status=status)
    for key, lookup in (("kind", "kind"), ("size", "category"), ("change", "change")):
        if filters.get(key):
            qs = qs.filter(**{lookup: filters[key]})
    if filters.get("okved"):
        qs = qs.filter(main_okved__startswith=filters["okved"].strip())
    if filters.get("municipality"):
        qs = qs.filter(municipality__icontains=filters["municipality"].strip())
    if filters.get("q"):
        qs = qs.filter(Q(name__icontains=filters["q"]) | Q(inn__startswith=filters["q"].strip()))
    return qs.order_by("-changed_run_id", "name", "pk")


def municipalities() -> list[str]:
    return list(Company.objects.exclude(municipality="").values_list("municipality", flat=True).distinct().order_by(
        "municipality"))  # fmt: skip


def latest_runs(limit: int = 10) -> QuerySet[ImportRun]:
    return ImportRun.objects.select_related("started_by").order_by("-started_at")[:limit]


# --- market figures for the KPI ledger -----------------------------------------------------------------------
# Each selector gives the records that count for a period of days [start, end) as a queryset annotated with
# `kpi_on` (the day the figure is as of) and `kpi_value` (what the record adds), as kpis/methods.py expects.


def it_companies(*, start: dt.date, end: dt.date, category: str = "") -> QuerySet[Company]:
    """IT companies of the region in the SME registry (or found large by their figures) as of a day in the
    period: one record per company, on the day of the registry state it was last seen in."""
    qs = Company.objects.filter(kind=OrganisationKind.IT_COMPANY, individual=False, sme_as_of__gte=start,
                                sme_as_of__lt=end)  # fmt: skip
    if category:
        qs = qs.filter(category=category)
    return qs.annotate(kpi_on=F("sme_as_of"), kpi_value=Value(Decimal(1), output_field=DecimalField()))


def it_figures(*, start: dt.date, end: dt.date, measure: str) -> QuerySet[YearFigure]:
    """Yearly figures (headcount or income) of the region's IT companies, on the day they are as of."""
    it_inns = Company.objects.filter(kind=OrganisationKind.IT_COMPANY, individual=False).values("inn")
    name = Company.objects.filter(inn=OuterRef("inn")).values("name")[:1]
    return (
        YearFigure.objects.filter(measure=measure, inn__in=it_inns, as_of__gte=start, as_of__lt=end)
        .annotate(kpi_on=F("as_of"), kpi_value=F("value"), company_name=Subquery(name))
        .annotate(kpi_label=Concat("company_name", Value(", ИНН "), "inn", output_field=CharField()))
    )


def company_page(inn: str) -> int | None:
    """The card of a company of the open data, when it has one."""
    return Company.objects.filter(inn=inn).values_list("organisation_id", flat=True).first()


MEASURE_LABELS = {Measure.HEADCOUNT: "численность", Measure.INCOME: "доходы"}


def demo_rewritten() -> bool:
    """True when the open data here are the demo's: real samples with the region code rewritten (pages say so)."""
    return ImportRun.objects.filter(demo=True).exists()


def latest_income(inn: str) -> YearFigure | None:
    """The latest yearly income («доходы», not revenue) the FNS open data give for this INN."""
    return YearFigure.objects.filter(inn=inn, measure=Measure.INCOME).order_by("-year").first()
