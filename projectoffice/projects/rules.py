"""Who may see and change projects."""

from __future__ import annotations

from projectoffice.accounts.models import User
from projectoffice.accounts.rules import AnyUser, can_oversee, is_staff
from projectoffice.projects.models import Project


def _member_org_ids(user: AnyUser) -> frozenset[int]:
    return user.organisation_ids if isinstance(user, User) and user.is_active else frozenset()


def can_list(user: AnyUser) -> bool:
    """Staff, the grantor, experts and organisation members have a projects page."""
    if not isinstance(user, User) or not user.is_active:
        return False
    return can_oversee(user) or user.is_expert or bool(_member_org_ids(user))


def can_view(user: AnyUser, project: Project) -> bool:
    """Staff, grantor and experts see every project; members see those of their organisations."""
    if can_oversee(user) or (isinstance(user, User) and user.is_expert):
        return True
    orgs = _member_org_ids(user)
    if not orgs:
        return False
    if project.lead_organisation_id in orgs:
        return True
    return project.partnerships.filter(organisation_id__in=orgs).exists()


def can_create(user: AnyUser) -> bool:
    return is_staff(user) or bool(_member_org_ids(user))


def can_lead_with(user: AnyUser, organisation_id: int) -> bool:
    """Staff may file a project for any organisation; members only for their own."""
    return is_staff(user) or organisation_id in _member_org_ids(user)


def can_edit(user: AnyUser, project: Project) -> bool:
    """Staff edit any project; members of the lead organisation edit theirs."""
    return is_staff(user) or project.lead_organisation_id in _member_org_ids(user)


def can_move_stage(user: AnyUser, project: Project) -> bool:
    """Only the office moves projects through the pipeline."""
    return is_staff(user)


def can_see_staff_notes(user: AnyUser) -> bool:
    return is_staff(user)
