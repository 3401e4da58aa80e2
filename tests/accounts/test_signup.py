from __future__ import annotations

import re

import pytest
from django.core import mail, signing
from django.test import Client

from projectoffice.accounts import signup
from projectoffice.accounts.models import User
from projectoffice.participation import rules
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FORM = {"last_name": "Петрова", "first_name": "Анна", "email": "Anna@Example.ru", "username": "apetrova",
        "password": "Жёлтый-трамвай-2026", "consent": "on", "website": ""}  # fmt: skip


@pytest.fixture(autouse=True)
def _no_minimum_time(settings) -> None:  # type: ignore[no-untyped-def]
    settings.REGISTRATION_MIN_SECONDS = 0


def _post(client: Client, **changes: str):  # type: ignore[no-untyped-def]
    started = signing.dumps(0.0, salt=signup.STAMP_SALT)
    return client.post("/accounts/signup/", {**FORM, "started": started, **changes})


def _link() -> str:
    return re.search(r"http://\S+/accounts/signup/confirm/\S+/", mail.outbox[-1].body).group(0)  # type: ignore[union-attr]


def test_signing_up_makes_an_inactive_community_account_and_mails_a_link() -> None:
    response = _post(Client())
    assert response.status_code == 200 and "Проверьте почту" in response.content.decode()
    user = User.objects.get(username="apetrova")
    assert user.role == "community" and not user.is_active and user.email == "anna@example.ru"
    assert not rules.can_participate(user)
    assert mail.outbox[-1].to == ["anna@example.ru"] and "/accounts/signup/confirm/" in mail.outbox[-1].body


def test_an_unconfirmed_account_cannot_log_in() -> None:
    _post(Client())
    client = Client()
    client.post("/accounts/login/", {"username": "apetrova", "password": FORM["password"]})
    assert "_auth_user_id" not in client.session


def test_the_link_confirms_once_and_a_replay_is_refused() -> None:
    _post(Client())
    path = _link().split("testserver", 1)[1]
    assert Client().get(path).status_code == 200  # a page with a button: mail scanners do not confirm
    assert not User.objects.get(username="apetrova").is_active
    assert Client().post(path).status_code == 302
    user = User.objects.get(username="apetrova")
    assert user.is_active and user.email_confirmed_at is not None and rules.can_participate(user)
    replay = Client().post(path)
    assert replay.status_code == 400 and "уже использована" in replay.content.decode()


def test_an_expired_or_forged_link_is_refused_and_changes_nothing(settings) -> None:  # type: ignore[no-untyped-def]
    _post(Client())
    path = _link().split("testserver", 1)[1]
    settings.SIGNUP_LINK_HOURS = 0
    assert "устарела" in Client().post(path).content.decode()
    settings.SIGNUP_LINK_HOURS = 48
    assert Client().post(path[:-3] + "xx/").status_code == 400
    assert not User.objects.get(username="apetrova").is_active


def test_the_honeypot_refuses_a_bot_and_creates_nothing() -> None:
    assert _post(Client(), website="http://spam.example").status_code == 400
    assert not User.objects.filter(username="apetrova").exists() and not mail.outbox


def test_a_username_with_cyrillic_letters_is_refused_as_the_help_text_promises_latin_ones() -> None:
    refused = _post(Client(), username="иван_qa")
    assert refused.status_code == 400 and "Только латинские буквы, цифры и знаки" in refused.content.decode()
    assert not User.objects.filter(username="иван_qa").exists() and not mail.outbox
    assert _post(Client(), username="ivan.qa+1@x_y-z").status_code == 200


def test_sign_ups_are_limited_per_address(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SIGNUP_RATE_LIMIT = 2
    client = Client()
    assert _post(client, username="a1", email="a1@example.ru").status_code == 200
    assert _post(client, username="a2", email="a2@example.ru").status_code == 200
    refused = _post(client, username="a3", email="a3@example.ru")
    assert refused.status_code == 429 and "Слишком много регистраций" in refused.content.decode()
    assert not User.objects.filter(username="a3").exists()


def test_an_address_with_an_account_gets_a_letter_and_no_second_account() -> None:
    existing = UserFactory(email="anna@example.ru")
    response = _post(Client())
    assert response.status_code == 200 and "Проверьте почту" in response.content.decode()
    assert User.objects.filter(email__iexact="anna@example.ru").count() == 1
    assert "уже есть" in mail.outbox[-1].body and existing.is_active


def test_a_weak_password_or_a_taken_username_is_refused_with_a_clear_error() -> None:
    UserFactory(username="apetrova")
    page = _post(Client(), password="123").content.decode()
    assert "Это имя для входа занято" in page
    assert User.objects.filter(username="apetrova").count() == 1
