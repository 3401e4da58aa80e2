"""Public pages are open; attendee lists, check-in and exports are the office's."""

from __future__ import annotations

from projectoffice.accounts.rules import AnyUser, can_oversee, is_staff
from projectoffice.events.models import Event, EventStatus


def can_view(user: AnyUser, event: Event) -> bool:
    return event.status != EventStatus.DRAFT or is_staff(user)


def can_manage(user: AnyUser) -> bool:
    """Attendee lists (personal data), check-in, approvals, exports."""
    return is_staff(user)


def can_see_results(user: AnyUser) -> bool:
    return can_oversee(user)
