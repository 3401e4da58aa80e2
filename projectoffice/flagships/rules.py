"""Who may see and change funders, flagships and deals."""

from __future__ import annotations

from projectoffice.accounts.models import User
from projectoffice.accounts.rules import AnyUser, can_oversee, is_staff
from projectoffice.flagships.models import Deal


def can_view_portfolio(user: AnyUser) -> bool:
    """The office and the grantor see the portfolio, the funders and the deal board."""
    return can_oversee(user)


def can_manage(user: AnyUser) -> bool:
    """Only the office marks flagships, keeps funder profiles and moves deals."""
    return is_staff(user)


def can_view_deal(user: AnyUser, deal: Deal) -> bool:
    """The office and the grantor see every deal; members of the project's lead organisation see its deals."""
    if can_oversee(user):
        return True
    return isinstance(user, User) and user.is_active and deal.project.lead_organisation_id in user.organisation_ids
