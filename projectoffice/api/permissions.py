"""DRF permissions that delegate to the apps' authorisation rules (the same ones the UI uses)."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from projectoffice.applications import rules as application_rules
from projectoffice.organisations import rules as organisation_rules
from projectoffice.projects import rules as project_rules


class OrganisationAccess(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return organisation_rules.can_view_registry(request.user)
        if request.method == "POST" and getattr(view, "action", None) == "create":
            return organisation_rules.can_create(request.user)
        return organisation_rules.can_view_registry(request.user)  # edits are checked per object

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return organisation_rules.can_edit(request.user, obj)


class ProjectAccess(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method == "POST" and getattr(view, "action", None) == "create":
            return project_rules.can_create(request.user)
        return project_rules.can_list(request.user)

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True  # the queryset is already scoped to what the user may see
        if getattr(view, "action", None) == "move":
            return project_rules.can_move_stage(request.user, obj)
        return project_rules.can_edit(request.user, obj)


class ApplicationAccess(BasePermission):
    """Applications, as in the UI: only those who may list applications reach them (the rest is per object)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return application_rules.can_list(request.user)
