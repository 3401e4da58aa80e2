"""The user's own page (role, memberships, API tokens) and logging out."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from projectoffice.accounts import signup as signups
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


def signup(request: HttpRequest) -> HttpResponse:
    """Self sign-up of a community participant: the account works once its address is confirmed."""
    if request.user.is_authenticated:
        return redirect("profile")
    form = signups.SignupForm(request.POST or None)
    if request.method == "POST":
        if signups.SIGNUP_LIMIT.refused(request):
            form.is_valid()
            form.add_error(None, signups.SIGNUP_LIMIT.refusal)
            return render(request, "accounts/signup.html", {"form": form}, status=429)
        if form.is_valid():
            signups.signup(data=form.cleaned_data)
            signups.SIGNUP_LIMIT.hit(request)
            return render(
                request,
                "accounts/signup_sent.html",
                {"email": form.cleaned_data["email"], "hours": settings.SIGNUP_LINK_HOURS},
            )
        return render(request, "accounts/signup.html", {"form": form}, status=400)
    return render(request, "accounts/signup.html", {"form": form})


def signup_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the letter: GET shows a button (mail scanners open links), POST confirms once."""
    if request.method != "POST":
        return render(request, "accounts/signup_confirm.html", {"token": token})
    try:
        signups.confirm(token=token[:500])
    except signups.LinkRefused as exc:
        return render(request, "accounts/signup_confirm.html", {"error": str(exc)}, status=400)
    messages.success(request, "Адрес подтверждён. Войдите, чтобы участвовать в обсуждениях.")
    return redirect("login")


class LogoutView(auth_views.LogoutView):
    """Logging out of the site also ends the user's API tokens: leaving means leaving everywhere."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            tokens.tokens_revoke_all(user=acting_user(request), reason="выход с сайта")
        return super().post(request, *args, **kwargs)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A forged or stale form post: a clear Russian message and nothing saved."""
    return render(request, "403_csrf.html", status=403)
