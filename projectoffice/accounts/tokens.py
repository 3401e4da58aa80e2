"""API tokens: issued per login with an expiry, stored hashed (django-rest-knox), revocable by their owner.

A token stops working when it expires (API_TOKEN_DAYS), when its owner revokes it, logs out of the site or
changes the password (see User.set_password), or when the account is switched off.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from knox.models import AuthToken

from projectoffice.accounts.models import User
from projectoffice.audit.services import audit_record


@transaction.atomic
def token_issue(*, user: User) -> tuple[AuthToken, str]:
    """A new token (the plain text is shown once); the oldest beyond the per-user limit are revoked."""
    instance, plain = AuthToken.objects.create(user=user)
    keep = settings.API_TOKENS_PER_USER
    stale = AuthToken.objects.filter(user=user).order_by("-created").values_list("digest", flat=True)[keep:]
    AuthToken.objects.filter(digest__in=list(stale)).delete()
    audit_record(actor=user, action="accounts.token_issued", instance=user, message=f"токен {instance.token_key[:8]}…")
    return instance, plain


def tokens_of(user: User) -> list[AuthToken]:
    return list(AuthToken.objects.filter(user=user).order_by("-created"))


@transaction.atomic
def token_revoke(*, user: User, token_key: str) -> int:
    """Revoke the user's own token(s) with this key; another user's token is never touched."""
    revoked, _ = AuthToken.objects.filter(user=user, token_key=token_key).delete()
    if revoked:
        audit_record(actor=user, action="accounts.token_revoked", instance=user, message=f"токен {token_key[:8]}…")
    return revoked


@transaction.atomic
def tokens_revoke_all(*, user: User, reason: str) -> int:
    revoked, _ = AuthToken.objects.filter(user=user).delete()
    if revoked:
        audit_record(actor=user, action="accounts.tokens_revoked", instance=user, message=reason)
    return revoked
