"""Logins are throttled per account and per address; API tokens expire, differ per login and can be revoked."""

from __future__ import annotations

import datetime as dt
import json
import logging

import pytest
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken

from projectoffice.accounts.models import User
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-1"


def _token(client: Client, username: str, password: str = PASSWORD, **extra: str):  # type: ignore[no-untyped-def]
    body = json.dumps({"username": username, "password": password})
    return client.post("/api/v1/auth/token", body, content_type="application/json", **extra)


def _api(client: Client, token: str, path: str = "/api/v1/organisations", method: str = "get"):  # type: ignore[no-untyped-def]
    return getattr(client, method)(path, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_after_five_wrong_passwords_the_account_is_locked_even_for_the_right_one(client: Client, caplog) -> None:  # type: ignore[no-untyped-def]
    UserFactory(username="anna", password=PASSWORD)
    for _ in range(4):
        assert _token(client, "anna", "wrong").status_code == 401
    with caplog.at_level(logging.WARNING, logger="projectoffice.security"):
        assert _token(client, "anna", "wrong").status_code == 429  # the fifth failure closes the door
        locked = _token(client, "anna")
    assert locked.status_code == 429
    assert locked.json()["error"]["code"] == "throttled"
    assert "Слишком много неудачных попыток" in locked.json()["error"]["message"]
    assert int(locked.headers["Retry-After"]) == 15 * 60
    assert "locked out" in caplog.text and "anna" in caplog.text
    page = client.post("/accounts/login/", {"username": "anna", "password": PASSWORD})
    assert page.status_code == 429 and "Вход временно закрыт" in page.content.decode()
    assert AuthToken.objects.count() == 0


def test_wrong_passwords_for_many_accounts_lock_out_the_address(client: Client) -> None:
    UserFactory(username="boris", password=PASSWORD)
    for n in range(5):
        client.post("/accounts/login/", {"username": f"guess{n}", "password": "wrong"})
    assert client.post("/accounts/login/", {"username": "boris", "password": PASSWORD}).status_code == 429
    assert "_auth_user_id" not in client.session
    other_address = Client(REMOTE_ADDR="10.0.0.9")
    assert other_address.post("/accounts/login/", {"username": "boris", "password": PASSWORD}).status_code == 302
    assert other_address.session["_auth_user_id"] == str(User.objects.get(username="boris").pk)


def test_the_admin_login_is_throttled_too(client: Client) -> None:
    UserFactory(username="clara", password=PASSWORD, role="staff")
    for _ in range(5):
        client.post("/admin/login/", {"username": "clara", "password": "wrong"})
    locked = client.post("/admin/login/", {"username": "clara", "password": PASSWORD})
    assert locked.status_code == 429 and "Вход временно закрыт" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_success_before_the_limit_starts_the_count_again(client: Client) -> None:
    UserFactory(username="dina", password=PASSWORD)
    for _ in range(4):
        _token(client, "dina", "wrong")
    assert _token(client, "dina").status_code == 200
    for _ in range(4):
        _token(client, "dina", "wrong")
    assert _token(client, "dina").status_code == 200
    assert AuthToken.objects.filter(user__username="dina").count() == 2


def test_every_login_gets_a_new_token_that_expires(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    UserFactory(username="egor", password=PASSWORD)
    first, second = _token(client, "egor").json(), _token(client, "egor").json()
    assert first["token"] != second["token"]
    expires = dt.datetime.fromisoformat(first["expires_at"])
    assert dt.timedelta(days=29) < expires - timezone.now() <= dt.timedelta(days=30)
    assert _api(client, first["token"]).status_code == 200
    AuthToken.objects.filter(token_key=first["token"][:15]).update(expiry=timezone.now() - dt.timedelta(seconds=1))
    refused = _api(client, first["token"])
    assert refused.status_code == 401 and "просроченный" in refused.json()["error"]["message"]
    assert _api(client, second["token"]).status_code == 200


def test_a_password_change_ends_every_token_issued_before_it(client: Client) -> None:
    user = UserFactory(username="fedor", password=PASSWORD)
    token = _token(client, "fedor").json()["token"]
    user.set_password("another-long-password-2")
    user.save()
    refused = _api(client, token)
    assert refused.status_code == 401 and "пароль изменён" in refused.json()["error"]["message"]
    assert _api(client, _token(client, "fedor", "another-long-password-2").json()["token"]).status_code == 200


def test_logging_out_of_the_site_ends_the_api_tokens(client: Client) -> None:
    UserFactory(username="galina", password=PASSWORD)
    token = _token(client, "galina").json()["token"]
    client.post("/accounts/login/", {"username": "galina", "password": PASSWORD})
    client.post("/accounts/logout/")
    assert _api(client, token).status_code == 401
    assert not AuthToken.objects.filter(user__username="galina").exists()


def test_a_user_lists_and_revokes_their_own_tokens_but_never_anothers(client: Client) -> None:
    UserFactory(username="ivan", password=PASSWORD)
    UserFactory(username="olga", password=PASSWORD)
    mine, spare = _token(client, "ivan").json()["token"], _token(client, "ivan").json()["token"]
    hers = _token(client, "olga").json()["token"]
    listed = _api(client, mine, "/api/v1/auth/tokens").json()
    assert len(listed) == 2 and sum(row["current"] for row in listed) == 1
    assert _api(client, mine, f"/api/v1/auth/tokens/{hers[:15]}", "delete").status_code == 404
    assert _api(client, hers).status_code == 200
    assert _api(client, mine, f"/api/v1/auth/tokens/{spare[:15]}", "delete").status_code == 204
    assert _api(client, spare).status_code == 401
    assert _api(client, mine, "/api/v1/auth/logout", "post").status_code == 204
    assert _api(client, mine).status_code == 401


def test_the_profile_page_lists_tokens_and_revokes_them() -> None:
    user = UserFactory(role="staff")
    AuthToken.objects.create(user=user)
    page = client_for(user)
    assert "Отозвать все токены" in page.get("/accounts/profile/").content.decode()
    page.post("/accounts/tokens/revoke/")
    assert not AuthToken.objects.filter(user=user).exists()
