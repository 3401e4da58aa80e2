"""Errors the API answers before any view: malformed JSON and unknown paths, in the one error shape."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.api.helpers import assert_error_shape

pytestmark = pytest.mark.django_db


def test_malformed_json_gets_400_in_the_error_shape(client: Client) -> None:
    response = client.post("/api/v1/auth/token", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert_error_shape(response, "parse_error")


def test_unknown_api_paths_answer_json_404_in_readable_russian(client: Client) -> None:
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert_error_shape(response, "not_found")
    assert b"\\u04" not in response.content and response.json()["error"]["message"] in response.content.decode()
