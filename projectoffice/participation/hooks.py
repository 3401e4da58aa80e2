"""What participation hears from the KPI ledger above it, through a hook the ledger fills in its AppConfig.ready
(participation never imports kpis: kpis counts participation's records)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

# An indicator's code → (this year's fact, this year's target), or None when there is no such indicator or target.
IndicatorFigures = Callable[[str], tuple[Decimal, Decimal] | None]


def _none(code: str) -> tuple[Decimal, Decimal] | None:
    return None


indicator_figures: IndicatorFigures = _none


def connect(figures: IndicatorFigures) -> None:
    global indicator_figures
    indicator_figures = figures
