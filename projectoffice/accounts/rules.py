"""Role-level authorisation rules shared by every app; object rules live in each app's rules.py."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from projectoffice.accounts.models import User

AnyUser = User | AnonymousUser


def is_staff(user: AnyUser) -> bool:
    """Office staff (and superusers) run everything."""
    return isinstance(user, User) and user.is_office_staff


def can_oversee(user: AnyUser) -> bool:
    """Staff and the grantor read everything that is not a staff-private note."""
    return isinstance(user, User) and (user.is_office_staff or user.is_grantor)


def is_member_of(user: AnyUser, organisation_id: int | None) -> bool:
    """True when the user belongs to the given organisation."""
    return isinstance(user, User) and user.is_active and organisation_id in user.organisation_ids


def can_view_audit(user: AnyUser) -> bool:
    """The action log is visible to office staff only."""
    return is_staff(user)
