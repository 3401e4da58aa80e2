"""The user's own page: role, memberships and API token."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from projectoffice.accounts.http import acting_user


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    memberships = acting_user(request).memberships.select_related("organisation")
    return render(request, "accounts/profile.html", {"memberships": memberships})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A forged or stale form post: a clear Russian message and nothing saved."""
    return render(request, "403_csrf.html", status=403)
