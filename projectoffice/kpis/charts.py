"""Small inline SVG charts (no JavaScript, no CDN): quarterly fact against the plan."""

from __future__ import annotations

from decimal import Decimal
from xml.sax.saxutils import escape

from projectoffice.kpis.ledger import Row

WIDTH, HEIGHT, PAD = 260, 90, 14


def quarter_chart(row: Row) -> str:
    """Cumulative fact by quarter (bars) and the year's plan (a dashed line)."""
    values = row.cumulative
    top = max([*values, row.target_year or Decimal(0), Decimal(1)])
    bar_w = (WIDTH - 2 * PAD) / 4 * 0.6
    parts = [
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT + 16}" class="chart" role="img" aria-label="{escape(row.indicator.name)}: факт по кварталам">'
    ]
    for q, value in enumerate(values):
        x = PAD + q * (WIDTH - 2 * PAD) / 4 + bar_w * 0.3
        h = float(value / top) * (HEIGHT - PAD)
        parts.append(
            f'<rect x="{x:.1f}" y="{HEIGHT - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" rx="2" class="bar-fact"><title>{q + 1} кв.: {value}</title></rect>'
        )
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{HEIGHT + 12}" text-anchor="middle" class="chart-label">{q + 1} кв</text>'
        )
    if row.target_year:
        y = HEIGHT - float(row.target_year / top) * (HEIGHT - PAD)
        parts.append(
            f'<line x1="{PAD}" x2="{WIDTH - PAD}" y1="{y:.1f}" y2="{y:.1f}" class="plan-line"><title>План: {row.target_year}</title></line>'
        )
    parts.append("</svg>")
    return "".join(parts)
