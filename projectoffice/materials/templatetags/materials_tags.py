from __future__ import annotations

from typing import Any

from django import template

from projectoffice.materials import rules

register = template.Library()


@register.filter
def materials_visible_to(project: Any, user: Any) -> bool:
    """The project card links to the materials only for those who may read them."""
    return rules.can_view_materials(user, project)
