"""Who may use the open data pages: the discovery feed, imports and decisions are the office's."""

from __future__ import annotations

from projectoffice.accounts.rules import AnyUser, is_staff


def can_use_feed(user: AnyUser) -> bool:
    return is_staff(user)
