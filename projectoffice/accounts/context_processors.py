"""Template flags for the navigation, computed from the same rules the views use."""

from __future__ import annotations

from django.http import HttpRequest

from projectoffice.accounts import rules
from projectoffice.applications import rules as application_rules
from projectoffice.projects import rules as project_rules


def roles(request: HttpRequest) -> dict[str, bool]:
    """A menu item shows only when its page would open for this user."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {
        "is_office_staff": rules.is_staff(user),
        "can_oversee": rules.can_oversee(user),
        "can_list_projects": project_rules.can_list(user),
        "can_list_applications": application_rules.can_list(user),
    }
