"""Public pages are open, registration limited per address; attendee lists, check-in and exports are the office's."""

from __future__ import annotations

from projectoffice.accounts.rules import AnyUser, can_oversee, is_staff
from projectoffice.events.models import Event, EventStatus
from projectoffice.lib.rate_limits import RateLimit

# Registrations from one address, on the page and through the API together.
REGISTRATION_LIMIT = RateLimit(
    scope="events:register",
    setting="REGISTRATION_RATE_LIMIT",
    window=600,
    refusal="Слишком много регистраций с вашего адреса. Попробуйте через 10 минут.",
)


def can_view(user: AnyUser, event: Event) -> bool:
    return event.status != EventStatus.DRAFT or is_staff(user)


def can_manage(user: AnyUser) -> bool:
    """Attendee lists (personal data), check-in, approvals, exports."""
    return is_staff(user)


def can_see_results(user: AnyUser) -> bool:
    return can_oversee(user)
