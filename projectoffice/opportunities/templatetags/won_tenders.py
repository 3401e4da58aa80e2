"""`{% won_tenders organisation %}`: the purchases an organisation won, on its page in the registry.

The registry (organisations) sits below opportunities and never imports it: its page loads this tag, and the
procurement data decides what the card shows. Won purchases are public procurement data.
"""

from __future__ import annotations

from typing import Any

from django import template

from projectoffice.opportunities.selectors import won_tenders as won_tenders_of
from projectoffice.organisations.models import Organisation

register = template.Library()
SHOWN = 10


@register.inclusion_tag("opportunities/_won_tenders.html")
def won_tenders(organisation: Organisation) -> dict[str, Any]:
    won = won_tenders_of(organisation.inn)
    return {"won": won[:SHOWN], "total": len(won), "more": max(0, len(won) - SHOWN)}
