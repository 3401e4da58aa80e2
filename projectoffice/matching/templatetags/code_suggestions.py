"""`{% code_suggestions text ... %}`: the auto-coder's OKPD2 and OKVED2 codes for a text, on the pages of apps below
matching (projects, opportunities), which load this tag instead of importing the coder."""

from __future__ import annotations

from typing import Any

from django import template

from projectoffice.matching.suggestions import suggest_codes

register = template.Library()


@register.inclusion_tag("matching/_code_suggestions.html")
def code_suggestions(*texts: str) -> dict[str, Any]:
    return {"suggestions": suggest_codes(" ".join(text for text in texts if text))}
