"""`{% kpi_contributions object %}`: the card with what a project, an application or an event adds to its indicators.

Their pages belong to apps below kpis, which never import it: the page loads this tag, and kpis decides what the
card shows and to whom (those who may see the indicators).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.db import models

from projectoffice.kpis import rules
from projectoffice.kpis.contributions import contributions

register = template.Library()


@register.inclusion_tag("kpis/_contributions.html", takes_context=True)
def kpi_contributions(context: template.Context, instance: models.Model) -> dict[str, Any]:
    user = context["request"].user
    return {"contributions": contributions(instance) if rules.can_view(user) else []}
