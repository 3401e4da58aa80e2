"""`{% lead_projects organisation %}`: the projects an organisation leads, those the reader may see, on the
organisation's page (organisations sits below projects and never imports it)."""

from __future__ import annotations

from typing import Any

from django import template

from projectoffice.organisations.models import Organisation
from projectoffice.projects.selectors import projects_visible_to

register = template.Library()
SHOWN = 20


@register.inclusion_tag("projects/_lead_projects.html", takes_context=True)
def lead_projects(context: template.Context, organisation: Organisation) -> dict[str, Any]:
    visible = projects_visible_to(context["request"].user).filter(lead_organisation=organisation)
    return {"projects": visible.order_by("-updated_at")[:SHOWN]}
