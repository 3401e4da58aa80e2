"""The KPI dashboard, drill-downs, manual entries, quarterly reports and the public indicators page."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from projectoffice.accounts.http import acting_user, error_text, require
from projectoffice.kpis import ledger, rules, services
from projectoffice.kpis.charts import MARKET_METHODS, MARKET_YEARS, YearChart, quarter_chart, year_chart
from projectoffice.kpis.documents import report_pdf, report_xlsx
from projectoffice.kpis.models import Indicator, ManualEntry, Method, QuarterlyReport, ReportStatus
from projectoffice.lib.upload_limits import upload_refusal
from projectoffice.opendata.selectors import demo_rewritten


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        raise Http404 from None
    if not 2000 <= year <= 2100:
        raise Http404
    return year


def _market(year: int, *, public: bool) -> list[YearChart]:
    """The dynamics of the region's digital economy market: each market indicator over the last years."""
    chosen = Indicator.objects.filter(method__in=MARKET_METHODS)
    indicators = list(chosen.filter(is_public=True) if public else chosen)
    if not indicators:
        return []
    years = list(range(year - MARKET_YEARS + 1, year + 1))
    table = ledger.dashboard_years(years=years, indicators=indicators)
    charts = []
    for indicator in indicators:
        totals = {y: next(r.fact_year for r in table[y] if r.indicator.pk == indicator.pk) for y in years}
        first = next((y for y in years if totals[y]), year)
        totals = {y: v for y, v in totals.items() if y >= first}
        charts.append(year_chart(indicator.code, indicator.name, indicator.get_unit_display(), totals))
    return charts


@require(rules.can_view)
def dashboard(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    rows = ledger.dashboard(year=year)
    reports = {r.quarter: r for r in QuarterlyReport.objects.filter(year=year)}
    frozen = {q: ledger.divergences(r) for q, r in reports.items() if r.status == ReportStatus.SUBMITTED}
    context = {
        "year": year,
        "rows": [(row, quarter_chart(row)) for row in rows],
        "rule": ledger.STATUS_RULE,
        "reports": reports,
        "frozen": frozen,
        "quarters": [1, 2, 3, 4],
        "market": _market(year, public=False),
        "demo_fns": demo_rewritten(),
    }
    return render(request, "kpis/dashboard.html", context)


@require(rules.can_view)
def records(request: HttpRequest, code: str, year: int, quarter: str) -> HttpResponse:
    indicator = get_object_or_404(Indicator, code=code)
    q = None if quarter == "year" else int(quarter) if quarter in {"1", "2", "3", "4"} else None
    if quarter not in {"year", "1", "2", "3", "4"}:
        raise Http404
    items = ledger.records_seen_by(request.user, indicator, year, q)
    total = sum((r.value for r in items), Decimal(0))
    return render(
        request,
        "kpis/records.html",
        {"indicator": indicator, "year": year, "quarter": q, "items": items, "total": total},
    )


@require(rules.can_view)
def entries(request: HttpRequest) -> HttpResponse:
    manual = Indicator.objects.filter(method=Method.MANUAL)
    if request.method == "POST":
        if not rules.can_edit(request.user):
            raise Http404
        try:
            refusal = upload_refusal(request)
            if refusal:
                raise ValidationError(refusal)
            indicator = get_object_or_404(manual, pk=request.POST.get("indicator") or 0)
            value = Decimal(request.POST.get("value", "").replace(",", ".").replace(" ", ""))
            services.manual_entry_add(
                actor=acting_user(request),
                indicator=indicator,
                year=int(request.POST.get("year", 0)),
                quarter=int(request.POST.get("quarter", 0)),
                value=value,
                comment=request.POST.get("comment", ""),
                evidence=request.FILES.get("evidence"),
            )
            messages.success(request, "Значение внесено и ждёт утверждения другим сотрудником.")
        except (ValidationError, InvalidOperation, ValueError) as exc:
            messages.error(request, "Не сохранено: " + error_text(exc, "проверьте число, год и квартал."))
        return redirect("kpis:entries")
    context = {
        "manual": manual,
        "entries": ManualEntry.objects.select_related("indicator", "entered_by", "approved_by").order_by("-created_at")[
            :200
        ],
        "year": timezone.localdate().year,
    }
    return render(request, "kpis/entries.html", context)


@require_POST
@require(rules.can_edit)
def entry_decide(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(ManualEntry, pk=pk)
    try:
        services.manual_entry_decide(
            actor=acting_user(request), entry=entry, approve=request.POST.get("approve") == "1"
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("kpis:entries")


@require(rules.can_view)
def entry(request: HttpRequest, pk: int) -> FileResponse:
    item = get_object_or_404(ManualEntry, pk=pk)
    name = (item.evidence.name or "evidence").rsplit("/", 1)[-1]
    return FileResponse(item.evidence.open("rb"), as_attachment=True, filename=name)


@require(rules.can_view)
def reports(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and rules.can_edit(request.user):
        try:
            report = services.report_get_or_create(
                year=int(request.POST.get("year", 0)), quarter=int(request.POST.get("quarter", 0))
            )
        except (ValidationError, ValueError) as exc:
            messages.error(request, error_text(exc, "Неверный период."))
            return redirect("kpis:reports")
        return redirect("kpis:report", pk=report.pk)
    return render(
        request, "kpis/reports.html", {"reports": QuarterlyReport.objects.all(), "year": timezone.localdate().year}
    )


@require(rules.can_view)
def report(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(QuarterlyReport, pk=pk)
    status = 200
    if request.method == "POST" and rules.can_edit(request.user):
        comments = {key[8:]: str(value) for key, value in request.POST.items() if key.startswith("comment-")}
        if request.POST.get("confirm") == "on" or item.status != ReportStatus.DRAFT:
            try:
                services.report_submit(actor=acting_user(request), report=item, comments=comments)
                messages.success(request, "Отчёт сдан и заморожен.")
            except ValidationError as exc:
                messages.error(request, error_text(exc))
            return redirect("kpis:report", pk=pk)
        # Submitting cannot be undone: without the explicit confirmation nothing is stored and the typed comments stay.
        messages.error(
            request, "Отчёт не сдан: подтвердите, что цифры и комментарии проверены — после сдачи их не изменить."
        )
        item.comments = {code: text.strip()[:2000] for code, text in comments.items()}
        status = 400
    preview = None if item.snapshot else ledger.build_snapshot(item)
    context = {
        "report": item,
        "data": item.snapshot or preview,
        "intact": ledger.verify(item) if item.snapshot else None,
        "divergences": ledger.divergences(item),
        "can_edit": rules.can_edit(request.user),
    }
    return render(request, "kpis/report.html", context, status=status)


@require(rules.can_view)
def report_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    item = get_object_or_404(QuarterlyReport, pk=pk, status=ReportStatus.SUBMITTED)
    snapshot: dict[str, Any] = item.snapshot or {}
    if fmt == "xlsx":
        content, kind = (
            report_xlsx(snapshot, item.sha256),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    elif fmt == "pdf":
        content, kind = report_pdf(snapshot, item.sha256), "application/pdf"
    else:
        raise Http404
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="kpi-{item.year}-q{item.quarter}.{fmt}"'
    return response


def _public_rows(year: int, table: list[Any]) -> list[dict[str, str | None]]:
    """The open data as programs read it (CSV, JSON): plain decimals with a dot, no grouping."""
    return [
        {
            "code": r.indicator.code,
            "name": r.indicator.name,
            "unit": r.indicator.get_unit_display(),
            "year": str(year),
            "target": None if r.target_year is None else str(r.target_year),
            "fact": str(r.fact_year),
            "percent": None if r.percent is None else str(r.percent),
        }
        for r in table
    ]


def public(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    fmt = request.GET.get("format", "")
    table = ledger.dashboard(year=year, indicators=list(Indicator.objects.filter(is_public=True)))
    rows = _public_rows(year, table)
    if fmt == "json":
        return JsonResponse({"year": year, "indicators": rows}, json_dumps_params={"ensure_ascii": False})
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(
            buffer, fieldnames=["code", "name", "unit", "year", "target", "fact", "percent"], delimiter=";"
        )
        writer.writeheader()
        writer.writerows(rows)
        response = HttpResponse(("\ufeff" + buffer.getvalue()).encode(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="kpi-{year}.csv"'
        return response
    return render(
        request,
        "kpis/public.html",
        {
            "table": table,
            "year": year,
            "json": json.dumps(rows, ensure_ascii=False),
            "market": _market(year, public=True),
            "demo_fns": demo_rewritten(),
        },
    )
