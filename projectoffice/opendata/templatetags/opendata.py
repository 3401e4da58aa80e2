"""The open data's panels on pages of lower apps: sources beside a card's values, the FNS figures of a card."""

from __future__ import annotations

from typing import Any

from django import template

from projectoffice.opendata.selectors import open_data_of, sources_shown
from projectoffice.organisations.models import Organisation

register = template.Library()


@register.simple_tag
def field_sources(organisation: Organisation) -> dict[str, str]:
    """Field → its source, for the values of the card still as an import wrote them."""
    return sources_shown(organisation)


@register.inclusion_tag("opendata/_card_panel.html")
def fns_panel(organisation: Organisation, can_private: bool) -> dict[str, Any]:
    """What the FNS open data say about the card: SME category, licences and (for those who may see figures)
    headcount, income («доходы», not revenue) and taxes by year, each with its source."""
    data = open_data_of(organisation)
    return {**data, "can_private": can_private}


@register.filter
def year_source(sources: dict[str, str], year: int) -> str:
    """The source of a year's headcount on the card, when an import wrote it."""
    return sources.get(f"headcount.{year}", "")
