from __future__ import annotations

from projectoffice.accounts.rules import AnyUser, can_oversee, is_staff


def can_view(user: AnyUser) -> bool:
    """The dashboard, drill-downs and reports: the office and the grantor."""
    return can_oversee(user)


def can_edit(user: AnyUser) -> bool:
    return is_staff(user)
