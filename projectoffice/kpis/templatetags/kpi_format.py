"""`{{ value|kpi_value:indicator }}`: a plan, a fact or a forecast in the indicator's unit — roubles «182 000 000 ₽»
(whole roubles), percent «46 %», people and pieces whole «12 чел.» (a forecast of a count is rounded)."""

from __future__ import annotations

from typing import Any

from django import template

from projectoffice.kpis.models import Indicator, Unit
from projectoffice.lib import formats

register = template.Library()


@register.filter
def kpi_value(value: Any, indicator: Indicator) -> str:
    if value is None or value == "":
        return ""
    if indicator.unit == Unit.ROUBLES:
        return formats.money(value)
    if indicator.unit == Unit.PERCENT:
        return formats.percent(value)
    return f"{formats.number(value, 0)}{formats.NBSP}{indicator.get_unit_display()}"
