"""Who may see and edit a project's materials, manage its data room and enter it.

- materials: staff and members of the lead organisation edit; the project's members (lead and partners), staff and
  the grantor read;
- data room: staff and members of the lead organisation manage it (documents, invitations, the log);
  a funder's representative enters only a room they hold a live invitation to (not expired, not revoked), and only
  after accepting the NDA.
"""

from __future__ import annotations

from typing import Any

from projectoffice.accounts.models import User
from projectoffice.accounts.rules import AnyUser, can_oversee, is_staff
from projectoffice.projects import rules as project_rules


def _orgs(user: AnyUser) -> frozenset[int]:
    return user.organisation_ids if isinstance(user, User) and user.is_active else frozenset()


def is_project_member(user: AnyUser, project: Any) -> bool:
    orgs = _orgs(user)
    if not orgs:
        return False
    return project.lead_organisation_id in orgs or project.partnerships.filter(organisation_id__in=orgs).exists()


def can_view_materials(user: AnyUser, project: Any) -> bool:
    return can_oversee(user) or is_project_member(user, project)


def can_edit_materials(user: AnyUser, project: Any) -> bool:
    return project_rules.can_edit(user, project)


def can_manage_room(user: AnyUser, project: Any) -> bool:
    return is_staff(user) or project.lead_organisation_id in _orgs(user)


def invitation_for(user: AnyUser, invitation: Any) -> bool:
    """The invitation is this user's: sent to their e-mail (or already taken by them)."""
    if not isinstance(user, User) or not user.is_active:
        return False
    if invitation.user_id is not None:
        return bool(invitation.user_id == user.pk)
    return bool(user.email) and invitation.email.strip().lower() == user.email.strip().lower()
