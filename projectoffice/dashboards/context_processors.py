"""Flags for the navigation of every page, from the same rules the views use (the menu spans the apps, so it sits
in the app above them, beside the home page)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.http import HttpRequest

from projectoffice.accounts import rules as account_rules
from projectoffice.applications import rules as application_rules
from projectoffice.materials import selectors as materials_selectors
from projectoffice.needs import rules as needs_rules
from projectoffice.projects import rules as project_rules


def roles(request: HttpRequest) -> dict[str, Any]:
    """A menu item shows only when its page would open for this user."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {
        "is_office_staff": account_rules.is_staff(user),
        "can_oversee": account_rules.can_oversee(user),
        "can_list_projects": project_rules.can_list(user),
        "can_list_applications": application_rules.can_list(user),
        "can_list_needs": needs_rules.can_list_needs(user),
        "has_needs_work": needs_rules.has_work(user),
        # a funder's representative holds invitations; the office manages rooms from the project pages. A callable:
        # the query runs only when the menu asks, once per page.
        "has_data_rooms": partial(materials_selectors.has_rooms, user),
    }
