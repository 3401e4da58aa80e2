"""Who may see and change what in the registry."""

from __future__ import annotations

from projectoffice.accounts.rules import AnyUser, can_oversee, is_member_of, is_staff
from projectoffice.organisations.models import Organisation


def can_view_registry(user: AnyUser) -> bool:
    """Every logged-in user reads the public part of the registry."""
    return user.is_authenticated and user.is_active


def can_view_private(user: AnyUser, organisation: Organisation) -> bool:
    """Figures and contacts: staff, the grantor and the organisation's own members."""
    return can_oversee(user) or is_member_of(user, organisation.pk)


def can_create(user: AnyUser) -> bool:
    return is_staff(user)


def can_edit(user: AnyUser, organisation: Organisation) -> bool:
    """Staff edit any organisation; members edit their own."""
    return is_staff(user) or is_member_of(user, organisation.pk)


def can_import_export(user: AnyUser) -> bool:
    """Bulk import and export of the registry is a staff tool."""
    return is_staff(user)
