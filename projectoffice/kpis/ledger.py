"""The ledger: plan and fact per indicator and quarter, cumulative, forecast, status; frozen report snapshots."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import queue
import threading
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection
from django.utils import timezone

from projectoffice.accounts.rules import AnyUser
from projectoffice.events import rules as event_rules
from projectoffice.kpis.methods import QUARTERS, RECORDS, RecordRef
from projectoffice.kpis.models import Direction, Indicator, QuarterlyReport, Target
from projectoffice.kpis.periods import elapsed_share

ON_TRACK, AT_RISK = Decimal("1.0"), Decimal("0.8")
STATUS_RULE = (
    "в графике — прогноз на конец года не ниже плана; под угрозой — 80–100 % плана; "
    "отстаёт — ниже 80 % (для показателей «меньше — лучше» — наоборот)"
)


@dataclass
class Row:
    indicator: Indicator
    year: int
    target_year: Decimal | None
    targets: dict[int, Decimal]
    facts: dict[int, Decimal]
    forecast: Decimal | None = None
    status: str = "no_target"
    cumulative: list[Decimal] = field(default_factory=list)

    @property
    def fact_year(self) -> Decimal:
        return sum(self.facts.values(), Decimal(0))

    @property
    def percent(self) -> Decimal | None:
        if not self.target_year:
            return None
        return (self.fact_year * 100 / self.target_year).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def status_label(self) -> str:
        return {"on_track": "в графике", "at_risk": "под угрозой", "behind": "отстаёт", "no_target": "нет плана"}[
            self.status
        ]


def _round(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), ROUND_HALF_UP)


def dashboard(*, year: int, indicators: list[Indicator] | None = None, today: dt.date | None = None) -> list[Row]:
    """One row per indicator for one year."""
    return dashboard_years(years=[year], indicators=indicators, today=today)[year]


def dashboard_years(
    *,
    years: list[int],
    indicators: list[Indicator] | None = None,
    today: dt.date | None = None,
    parallel: bool | None = None,
) -> dict[int, list[Row]]:
    """Rows for several years at once: each computed method runs once for the whole range (indicators that
    share a method and parameter share the result), so the number of queries depends on the methods in use,
    not on the number of records."""
    indicators = indicators if indicators is not None else list(Indicator.objects.all())
    targets: dict[tuple[int, int], dict[int | None, Decimal]] = {}
    for target in Target.objects.filter(year__in=years, indicator__in=indicators):
        targets.setdefault((target.indicator_id, target.year), {})[target.quarter] = target.value
    keys: dict[Key, Indicator] = {}
    for indicator in indicators:
        keys.setdefault(
            (indicator.method, indicator.method_param, indicator.pk if indicator.method == "manual" else None),
            indicator,
        )
    computed = _compute(keys, years, parallel=parallel)
    result: dict[int, list[Row]] = {year: [] for year in years}
    for indicator in indicators:
        key = (indicator.method, indicator.method_param, indicator.pk if indicator.method == "manual" else None)
        for year in years:
            result[year].append(
                _row(indicator, year, computed[key].get(year, {}), targets.get((indicator.pk, year), {}), today)
            )
    return result


Key = tuple[str, str, int | None]


def _compute(
    keys: dict[Key, Indicator], years: list[int], *, parallel: bool | None
) -> dict[Key, dict[int, dict[int, Decimal]]]:
    """Run each distinct method once. On PostgreSQL, outside a transaction, the methods run side by side on
    separate connections (they only read), which halves the wall time on two cores; otherwise in turn."""
    if parallel is None:
        parallel = connection.vendor == "postgresql" and not connection.in_atomic_block
    if not parallel or len(keys) < 2:
        return {key: QUARTERS[indicator.method](indicator, years) for key, indicator in keys.items()}  # type: ignore[index]

    pending = queue.SimpleQueue[tuple[Key, Indicator]]()
    for item in sorted(keys.items(), key=lambda item: SLOW_FIRST.get(item[1].method, 9)):
        pending.put(item)
    results: dict[Key, dict[int, dict[int, Decimal]]] = {}
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            while True:
                try:
                    key, indicator = pending.get_nowait()
                except queue.Empty:
                    return
                results[key] = QUARTERS[indicator.method](indicator, years)  # type: ignore[index]
        except BaseException as exc:  # re-raised in the caller's thread
            errors.append(exc)
        finally:
            connection.close()  # this worker's own connection, opened once for all its methods

    threads = [threading.Thread(target=worker) for _ in range(min(PARALLEL_WORKERS, len(keys)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


PARALLEL_WORKERS = 4
SLOW_FIRST = {"trained": 0, "engaged": 1, "participants": 2, "prepared": 3, "supported": 4}


def _row(
    indicator: Indicator, year: int, quarters: dict[int, Decimal], own: dict[int | None, Decimal], today: dt.date | None
) -> Row:
    share = Decimal(str(elapsed_share(year, today)))
    facts = {q: _round(Decimal(v)) for q, v in quarters.items() if 1 <= q <= 4}
    row = Row(indicator, year, own.get(None), {q: v for q, v in own.items() if q}, facts)
    running = Decimal(0)
    for quarter in range(1, 5):
        running += facts.get(quarter, Decimal(0))
        row.cumulative.append(running)
    if share > 0:
        row.forecast = _round(row.fact_year / share) if share < 1 else row.fact_year
    if row.target_year and row.forecast is not None:
        ratio = row.forecast / row.target_year
        if indicator.direction == Direction.DOWN:
            ratio = row.target_year / row.forecast if row.forecast else Decimal(99)
        row.status = "on_track" if ratio >= ON_TRACK else "at_risk" if ratio >= AT_RISK else "behind"
    return row


def records_for(indicator: Indicator, year: int, quarter: int | None) -> list[RecordRef]:
    return RECORDS[indicator.method](indicator, year, quarter)  # type: ignore[index]


def records_seen_by(user: AnyUser, indicator: Indicator, year: int, quarter: int | None) -> list[RecordRef]:
    """The records as this user may read them: people's names only for the office."""
    records = records_for(indicator, year, quarter)
    return records if event_rules.can_manage(user) else [r.discreet() for r in records]


def canonical(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def sha256(data: Any) -> str:
    return hashlib.sha256(canonical(data)).hexdigest()


def build_snapshot(report: QuarterlyReport) -> dict[str, Any]:
    """Everything the report shows, with the records behind each figure, as plain JSON (amounts as strings)."""
    rows = dashboard(year=report.year)
    indicators = []
    for row in rows:
        quarter_fact = row.facts.get(report.quarter, Decimal(0))
        cumulative = row.cumulative[report.quarter - 1]
        target_quarter = row.targets.get(report.quarter)
        indicators.append(
            {
                "code": row.indicator.code,
                "name": row.indicator.name,
                "unit": row.indicator.get_unit_display(),
                "target_year": None if row.target_year is None else str(row.target_year),
                "target_quarter": None if target_quarter is None else str(target_quarter),
                "fact_quarter": str(_round(quarter_fact)),
                "fact_cumulative": str(_round(cumulative)),
                "percent": None
                if not row.target_year
                else str((cumulative * 100 / row.target_year).quantize(Decimal("0.1"), ROUND_HALF_UP)),
                "comment": report.comments.get(row.indicator.code, ""),
                # The report goes to the grantor: records about people carry no names.
                "records": [r.discreet().as_dict() for r in records_for(row.indicator, report.year, report.quarter)],
            }
        )
    return {
        "year": report.year,
        "quarter": report.quarter,
        "generated_at": timezone.now().isoformat(),
        "columns": report.columns,
        "indicators": indicators,
    }


def verify(report: QuarterlyReport) -> bool:
    """True when the stored snapshot still matches the hash taken at submission."""
    return bool(report.snapshot) and sha256(report.snapshot) == report.sha256


def divergences(report: QuarterlyReport) -> dict[str, tuple[str, str]]:
    """Indicator code → (frozen cumulative, today's cumulative) where they differ."""
    if not report.snapshot:
        return {}
    today = {row.indicator.code: row.cumulative[report.quarter - 1] for row in dashboard(year=report.year)}
    out = {}
    for item in report.snapshot["indicators"]:
        now = today.get(item["code"])
        if now is not None and Decimal(item["fact_cumulative"]) != now:
            out[item["code"]] = (item["fact_cumulative"], str(_round(now)))
    return out
