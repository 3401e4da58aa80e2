"""Small inline SVG charts (no JavaScript, no CDN): quarterly fact against the plan.

This module only computes the geometry; `kpis/_chart.html` renders it, so every text in the SVG (the
indicator's name, the values) goes through Django's escaping like the rest of the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from projectoffice.kpis.ledger import Row

WIDTH, HEIGHT, PAD = 260, 90, 14


@dataclass(frozen=True)
class Bar:
    period: int  # the quarter (1–4), or the year of a yearly chart
    value: Decimal
    x: float
    y: float
    width: float
    height: float

    @property
    def label_x(self) -> float:
        return round(self.x + self.width / 2, 1)


@dataclass(frozen=True)
class Chart:
    name: str
    bars: list[Bar]
    plan: Decimal | None
    plan_y: float | None
    width: int = WIDTH
    height: int = HEIGHT
    pad: int = PAD

    @property
    def view_height(self) -> int:
        return self.height + 16

    @property
    def label_y(self) -> int:
        return self.height + 12

    @property
    def plan_x2(self) -> int:
        return self.width - self.pad


def quarter_chart(row: Row) -> Chart:
    """Cumulative fact by quarter (bars) and the year's plan (a dashed line)."""
    values = row.cumulative
    top = max([*values, row.target_year or Decimal(0), Decimal(1)])
    bar_w = (WIDTH - 2 * PAD) / 4 * 0.6
    bars = []
    for q, value in enumerate(values):
        x = PAD + q * (WIDTH - 2 * PAD) / 4 + bar_w * 0.3
        h = float(value / top) * (HEIGHT - PAD)
        bars.append(Bar(q + 1, value, round(x, 1), round(HEIGHT - h, 1), round(bar_w, 1), round(h, 1)))
    plan_y = None
    if row.target_year:
        plan_y = round(HEIGHT - float(row.target_year / top) * (HEIGHT - PAD), 1)
    return Chart(row.indicator.name, bars, row.target_year or None, plan_y)


MARKET_METHODS = ("market_companies", "market_headcount", "market_income")
MARKET_YEARS = 10


@dataclass(frozen=True)
class YearChart:
    """The dynamics of a market figure: one bar per year (each opens the records behind it)."""

    code: str
    name: str
    unit: str
    bars: list[Bar]
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def view_height(self) -> int:
        return self.height + 16

    @property
    def label_y(self) -> int:
        return self.height + 12


def year_chart(code: str, name: str, unit: str, totals: dict[int, Decimal]) -> YearChart:
    years = sorted(totals)
    top = max([*totals.values(), Decimal(1)])
    step = (WIDTH - 2 * PAD) / max(len(years), 1)
    bars = []
    for index, year in enumerate(years):
        h = float(totals[year] / top) * (HEIGHT - PAD)
        x = PAD + index * step + step * 0.15
        bars.append(Bar(year, totals[year], round(x, 1), round(HEIGHT - h, 1), round(step * 0.7, 1), round(h, 1)))
    return YearChart(code, name, unit, bars)
