"""API tokens: issued for a username and password, refused in the one error shape when missing, wrong or forged."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.api.helpers import assert_error_shape, post_json
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_token_is_issued_for_a_username_and_password(client: Client) -> None:
    UserFactory(username="anna", password="correct-horse-1")
    response = post_json(client, "/api/v1/auth/token", {"username": "anna", "password": "correct-horse-1"})
    assert response.status_code == 200
    token = response.json()["token"]
    assert client.get("/api/v1/organisations", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200


def test_wrong_password_gets_401_in_the_error_shape(client: Client) -> None:
    UserFactory(username="anna", password="correct-horse-1")
    response = post_json(client, "/api/v1/auth/token", {"username": "anna", "password": "wrong"})
    assert response.status_code == 401
    assert assert_error_shape(response, "authentication_failed")["message"]


def test_requests_without_a_token_get_401(client: Client) -> None:
    response = client.get("/api/v1/projects")
    assert response.status_code == 401
    assert_error_shape(response, "not_authenticated")


def test_a_forged_token_gets_401(client: Client) -> None:
    response = client.get("/api/v1/projects", HTTP_AUTHORIZATION="Bearer " + "0" * 40)
    assert response.status_code == 401
    assert_error_shape(response, "authentication_failed")
