"""Who may see and change opportunities: the catalogue is public, editing is the office's."""

from __future__ import annotations

from projectoffice.accounts.rules import AnyUser, is_staff
from projectoffice.opportunities.models import Opportunity, OpportunityStatus


def can_view(user: AnyUser, opportunity: Opportunity) -> bool:
    """Published and closed entries are public; drafts are the office's."""
    return opportunity.status != OpportunityStatus.DRAFT or is_staff(user)


def can_edit(user: AnyUser) -> bool:
    return is_staff(user)
