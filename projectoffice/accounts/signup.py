"""Self sign-up of community participants with e-mail confirmation.

The form makes an inactive account with the community role (an inactive account cannot log in, so it cannot take
part in anything) and e-mails a signed link. The link carries the account and its address, expires after
SIGNUP_LINK_HOURS, and works once: the first use stamps `email_confirmed_at` and activates the account, a replay is
refused. An address that already has an account gets a letter saying so instead (the page answers the same, so the
form does not tell strangers who is registered). Sign-ups are limited per client address (SIGNUP_RATE_LIMIT an hour)
and the form has a honeypot and a minimum fill time.
"""

from __future__ import annotations

import time
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from projectoffice.accounts.models import Role, User
from projectoffice.audit.services import audit_record
from projectoffice.lib.links import absolute_url
from projectoffice.lib.rate_limits import RateLimit

LINK_SALT = "accounts.signup.confirm"
STAMP_SALT = "accounts.signup.started"
SIGNUP_LIMIT = RateLimit(
    scope="accounts:signup",
    setting="SIGNUP_RATE_LIMIT",
    window=3600,
    refusal="Слишком много регистраций с вашего адреса. Попробуйте через час.",
)


class SignupForm(forms.Form):
    last_name = forms.CharField(
        label="Фамилия", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    first_name = forms.CharField(
        label="Имя", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    email = forms.EmailField(
        label="Электронная почта", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    username = forms.RegexField(
        label="Имя для входа", max_length=150, regex=r"^[A-Za-z0-9_.@+-]+\Z",  # ASCII only, as the help text says
        help_text="Латинские буквы, цифры и знаки . @ + - _",
        error_messages={"invalid": "Только латинские буквы, цифры и знаки . @ + - _"},
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )  # fmt: skip
    password = forms.CharField(label="Пароль", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    consent = forms.BooleanField(
        label="Согласен на обработку персональных данных для участия в обсуждениях проектного офиса",
        error_messages={"required": "Без согласия на обработку персональных данных зарегистрироваться нельзя."},
    )
    # The honeypot: bots fill it; people never see it (see includes/_form.html).
    website = forms.CharField(
        required=False,
        label="Не заполняйте это поле",
        widget=forms.TextInput(attrs={"class": "honeypot", "tabindex": "-1", "autocomplete": "off"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("started", signing.dumps(time.time(), salt=STAMP_SALT))

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise forms.ValidationError("Форма заполнена автоматически.")
        return ""

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("Это имя для входа занято, выберите другое.")
        return username

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            started = float(signing.loads(self.data.get("started", ""), salt=STAMP_SALT, max_age=24 * 3600))
        except (signing.BadSignature, ValueError, TypeError):
            raise forms.ValidationError("Форма устарела: обновите страницу.") from None
        if time.time() - started < settings.REGISTRATION_MIN_SECONDS:
            raise forms.ValidationError("Форма заполнена слишком быстро. Проверьте данные и отправьте ещё раз.")
        if data.get("password") and data.get("username"):
            candidate = User(username=data["username"], email=data.get("email", ""),
                             first_name=data.get("first_name", ""), last_name=data.get("last_name", ""))  # fmt: skip
            try:
                validate_password(data["password"], candidate)
            except ValidationError as exc:
                self.add_error("password", exc)
        return data


def confirmation_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "e": user.email}, salt=LINK_SALT)


def _mail(to: str, subject: str, body: str) -> None:
    send_mail(subject, body, None, [to])


@transaction.atomic
def signup(*, data: dict[str, Any]) -> User | None:
    """An inactive community account and the letter with its confirmation link; None (and a letter saying the
    address is taken) when the address already has an account. Nothing else about that account changes."""
    email = data["email"]
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        if existing.signed_up_at and not existing.email_confirmed_at and not existing.is_active:
            _send_link(existing)  # lost the first letter: a fresh link for the same account
        else:
            reset = absolute_url(reverse("password_reset"))
            _mail(email, "Учётная запись уже есть",
                  "Здравствуйте!\n\nКто-то (возможно, вы) пытался зарегистрироваться на платформе проектного офиса с "
                  "этим адресом, но учётная запись с ним уже есть. Войдите или восстановите пароль: "
                  f"{reset}\n\nЕсли это были не вы, ничего делать не нужно.")  # fmt: skip
        return None
    user = User(username=data["username"], email=email, first_name=data["first_name"].strip(),
                last_name=data["last_name"].strip(), role=Role.COMMUNITY, is_active=False,
                signed_up_at=timezone.now())  # fmt: skip
    user.set_password(data["password"])
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(actor=user, action="accounts.signed_up", instance=user, message=email)
    _send_link(user)
    return user


def _send_link(user: User) -> None:
    link = absolute_url(reverse("signup_confirm", args=[confirmation_token(user)]))
    hours = settings.SIGNUP_LINK_HOURS
    _mail(user.email, "Подтвердите адрес электронной почты",
          f"Здравствуйте, {user.first_name}!\n\nЧтобы завершить регистрацию на платформе проектного офиса цифрового "
          f"развития Самарской области, откройте ссылку (она действует {hours} ч и срабатывает один раз):\n{link}\n\n"
          "Если вы не регистрировались, просто проигнорируйте письмо.")  # fmt: skip


class LinkRefused(Exception):
    """The confirmation link is forged, expired or already used; the message says which, in Russian."""


@transaction.atomic
def confirm(*, token: str) -> User:
    """Activate the account the link names, once; a forged, expired or used link changes nothing."""
    try:
        payload = signing.loads(token, salt=LINK_SALT, max_age=settings.SIGNUP_LINK_HOURS * 3600)
    except signing.SignatureExpired:
        raise LinkRefused("Ссылка устарела. Зарегистрируйтесь ещё раз с тем же адресом — придёт новая.") from None
    except signing.BadSignature:
        raise LinkRefused("Ссылка повреждена. Скопируйте её из письма целиком.") from None
    user = User.objects.select_for_update().filter(pk=payload.get("u")).first()
    if user is None or user.email != payload.get("e") or user.signed_up_at is None:
        raise LinkRefused("Ссылка повреждена. Скопируйте её из письма целиком.")
    if user.email_confirmed_at is not None:
        raise LinkRefused("Эта ссылка уже использована: адрес подтверждён, войдите на сайт.")
    user.email_confirmed_at = timezone.now()
    user.is_active = True
    user.save(update_fields=["email_confirmed_at", "is_active"])
    audit_record(actor=user, action="accounts.email_confirmed", instance=user, message=user.email)
    return user
