"""Digest subscriptions: saved by one service for the page and the API, sent only to confirmed addresses.

A digest goes to the account's own address, or to another address once its owner has opened the
confirmation link sent there: nobody can subscribe a stranger's mailbox.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from projectoffice.accounts.models import User
from projectoffice.audit.services import audit_record
from projectoffice.lib.links import absolute_url
from projectoffice.matching import rules
from projectoffice.matching.models import Subscription
from projectoffice.opportunities.models import OpportunityKind
from projectoffice.organisations.models import Organisation

CONFIRM_SALT = "matching.subscription-email"
EDITABLE = ("organisation", "query", "kinds", "email", "is_active")


class ConfirmationError(Exception):
    """A confirmation link that is forged, expired or names an address changed since."""


def _is_own_address(user: User, email: str) -> bool:
    return bool(user.email) and user.email.strip().casefold() == email.strip().casefold()


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _address_key(email: str) -> str:
    """The address in a link without spelling it out (links end up in logs and histories)."""
    return hashlib.sha256(email.encode()).hexdigest()[:20]


def confirmation_token(subscription: Subscription) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(f"{subscription.pk}-{_address_key(subscription.email)}")


@transaction.atomic
def subscription_save(*, actor: User, data: dict[str, Any], subscription: Subscription | None = None) -> Subscription:
    """Create or change the actor's subscription; a new address other than the account's must be confirmed."""
    if subscription is not None and subscription.user_id != actor.pk:
        raise PermissionDenied("Это чужая подписка.")
    subscription = subscription or Subscription(user=actor, email=actor.email)
    before = _editable(subscription) if subscription.pk else {}
    _apply(actor, subscription, data)
    subscription.full_clean()
    subscription.save()
    audit_record(
        actor=actor,
        action="matching.subscription_saved",
        instance=subscription,
        changes=_changes(before, _editable(subscription)),
    )
    if subscription.email_confirmed_at is None:
        saved = subscription
        transaction.on_commit(lambda: _send_confirmation(saved))
    return subscription


def _apply(actor: User, subscription: Subscription, data: dict[str, Any]) -> None:
    """Set what the data says on the subscription, refusing another's organisation and unknown kinds."""
    organisation: Organisation | None = data.get("organisation", subscription.organisation)
    if organisation is not None and not rules.can_mark(actor, organisation=organisation, project=None):
        raise PermissionDenied("Подписка по профилю чужой организации недоступна.")
    kinds = list(data.get("kinds", subscription.kinds) or [])
    unknown = [kind for kind in kinds if kind not in OpportunityKind.values]
    if unknown:
        raise ValidationError({"kinds": f"Неизвестные виды возможностей: {', '.join(map(str, unknown))}."})
    subscription.organisation = organisation
    subscription.query = " ".join(str(data.get("query", subscription.query) or "").split())
    subscription.kinds = kinds
    subscription.is_active = bool(data.get("is_active", subscription.is_active))
    _set_email(actor, subscription, str(data.get("email") or subscription.email or ""))
    if subscription.organisation is None and not subscription.query:
        raise ValidationError({"query": "Выберите организацию или задайте поисковый запрос."})


def _set_email(actor: User, subscription: Subscription, value: str) -> None:
    """A new address is confirmed at once when it is the account's own, otherwise by its owner's link."""
    email = value.strip().lower()
    if not email:
        raise ValidationError({"email": "Укажите адрес для дайджеста."})
    if email != subscription.email or subscription.pk is None:
        subscription.email = email
        subscription.email_confirmed_at = timezone.now() if _is_own_address(actor, email) else None


def _editable(subscription: Subscription) -> dict[str, Any]:
    return {name: getattr(subscription, name) for name in EDITABLE}


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, str | None]]:
    """The audit's before and after of each changed field, as text."""
    return {
        name: {"before": _text(before.get(name)), "after": _text(after[name])}
        for name in EDITABLE
        if before.get(name) != after[name]
    }


def _send_confirmation(subscription: Subscription) -> None:
    link = absolute_url(reverse("matching:subscription_confirm", args=[confirmation_token(subscription)]))
    hours = settings.CONFIRMATION_MAX_AGE_HOURS
    send_mail(
        subject="Подтвердите адрес для дайджеста возможностей",
        message=(
            f"Пользователь платформы проектного офиса «{subscription.user.get_full_name() or subscription.user}» "
            f"просит присылать на этот адрес дайджест новых мер поддержки и закупок.\n\n"
            f"Если это вы, подтвердите адрес в течение {hours} ч.: {link}\n\n"
            "Если вы ничего не просили, просто не открывайте ссылку: писем не будет."
        ),
        from_email=None,
        recipient_list=[subscription.email],
    )


@transaction.atomic
def subscription_confirm(token: str) -> Subscription:
    """Mark the address confirmed; the link works for the address it was sent to, within its lifetime."""
    try:
        value = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(
            token, max_age=dt.timedelta(hours=settings.CONFIRMATION_MAX_AGE_HOURS)
        )
    except signing.SignatureExpired:
        raise ConfirmationError(
            "Срок действия ссылки истёк: сохраните подписку ещё раз, придёт новое письмо."
        ) from None
    except signing.BadSignature:
        raise ConfirmationError("Ссылка недействительна.") from None
    pk, _, key = value.partition("-")
    subscription = Subscription.objects.select_for_update().filter(pk=pk).first()
    if subscription is None or _address_key(subscription.email) != key:
        raise ConfirmationError("Ссылка недействительна: адрес подписки с тех пор изменён.")
    if subscription.email_confirmed_at is None:
        subscription.email_confirmed_at = timezone.now()
        subscription.save(update_fields=["email_confirmed_at"])
        audit_record(actor=None, action="matching.subscription_confirmed", instance=subscription)
    return subscription


@transaction.atomic
def subscription_set_active(*, actor: User, subscription: Subscription, is_active: bool) -> Subscription:
    """Pause or resume a digest: its owner does, or the office on the reader's request."""
    if not rules.can_pause_subscription(actor, subscription):
        raise PermissionDenied("Это чужая подписка.")
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.is_active != is_active:
        before, subscription.is_active = subscription.is_active, is_active
        subscription.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action="matching.subscription_saved",
            instance=subscription,
            changes={"is_active": {"before": before, "after": is_active}},
        )
    return subscription


@transaction.atomic
def subscription_unsubscribe(*, token: str) -> Subscription | None:
    """The link from a digest: no login, the token is the key; None when no subscription has this token."""
    subscription = Subscription.objects.select_for_update().filter(unsubscribe_token=token).first() if token else None
    if subscription is not None and subscription.is_active:
        subscription.is_active = False
        subscription.save(update_fields=["is_active"])
        audit_record(
            actor=None,
            action="matching.unsubscribed",
            instance=subscription,
            message="отписка по ссылке из дайджеста",
        )
    return subscription


@transaction.atomic
def subscription_delete(*, actor: User, subscription: Subscription) -> None:
    """Delete the actor's own subscription; the action log keeps its address and query."""
    if subscription.user_id != actor.pk:
        raise PermissionDenied("Это чужая подписка.")
    audit_record(
        actor=actor,
        action="matching.subscription_deleted",
        instance=subscription,
        changes={
            "email": {"before": subscription.email, "after": None},
            "query": {"before": subscription.query or None, "after": None},
        },
    )
    subscription.delete()
