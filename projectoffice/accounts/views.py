"""The user's own page (role, memberships, API tokens) and logging out."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from projectoffice.accounts import tokens
from projectoffice.accounts.http import acting_user


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    context = {"memberships": user.memberships.select_related("organisation"), "tokens": tokens.tokens_of(user)}
    return render(request, "accounts/profile.html", context)


@require_POST
@login_required
def token_revoke(request: HttpRequest) -> HttpResponse:
    """Revoke one of one's own API tokens (by its key), or all of them."""
    user = acting_user(request)
    key = request.POST.get("key", "")
    if key:
        revoked = tokens.token_revoke(user=user, token_key=key)
    else:
        revoked = tokens.tokens_revoke_all(user=user, reason="отозваны все токены на странице профиля")
    messages.success(request, "Токен отозван." if key and revoked else f"Отозвано токенов: {revoked}.")
    return redirect("profile")


class LogoutView(auth_views.LogoutView):
    """Logging out of the site also ends the user's API tokens: leaving means leaving everywhere."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            tokens.tokens_revoke_all(user=acting_user(request), reason="выход с сайта")
        return super().post(request, *args, **kwargs)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A forged or stale form post: a clear Russian message and nothing saved."""
    return render(request, "403_csrf.html", status=403)
