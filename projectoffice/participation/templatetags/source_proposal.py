"""`{% source_proposal project %}`: on a project's page, the community proposal it was made from (the link back of
«Создать проект из предложения»). The projects app is below participation and never imports it."""

from __future__ import annotations

from typing import Any

from django import template

from projectoffice.participation.models import Proposal

register = template.Library()


@register.inclusion_tag("participation/_source_proposal.html")
def source_proposal(project: Any) -> dict[str, Any]:
    return {"proposal": Proposal.objects.shown().filter(project=project).select_related("process").first()}
