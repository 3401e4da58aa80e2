"""Template flags for the navigation, computed from the same rules the views use."""

from __future__ import annotations

from django.http import HttpRequest

from projectoffice.accounts import rules


def roles(request: HttpRequest) -> dict[str, bool]:
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"is_office_staff": rules.is_staff(user), "can_oversee": rules.can_oversee(user)}
