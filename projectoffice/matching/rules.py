"""Who sees matches and who marks them."""

from __future__ import annotations

from projectoffice.accounts.rules import AnyUser, can_oversee, is_staff
from projectoffice.matching.models import Subscription
from projectoffice.organisations import rules as organisation_rules
from projectoffice.organisations.models import Organisation
from projectoffice.projects import rules as project_rules
from projectoffice.projects.models import Project


def can_see_matches(user: AnyUser, *, organisation: Organisation, project: Project | None) -> bool:
    if project is not None:
        return project_rules.can_view(user, project)
    return organisation_rules.can_view_private(user, organisation)


def can_mark(user: AnyUser, *, organisation: Organisation, project: Project | None) -> bool:
    if project is not None:
        return project_rules.can_edit(user, project)
    return organisation_rules.can_edit(user, organisation)


def can_see_participants(user: AnyUser) -> bool:
    """Participants lists name projects, which are private: the office and the grantor only."""
    return can_oversee(user)


def can_pause_subscription(user: AnyUser, subscription: Subscription) -> bool:
    """Its owner pauses or resumes a digest; so does the office when a reader asks it to."""
    return is_staff(user) or (user.is_authenticated and subscription.user_id == user.pk)
