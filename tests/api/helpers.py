"""What API tests share: a bearer token for a user, JSON requests and the one error shape."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client
from knox.models import AuthToken


def bearer(user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The Authorization header of a fresh token for the user."""
    _instance, token = AuthToken.objects.create(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def post_json(client: Client, url: str, body: object, user=None) -> Any:  # type: ignore[no-untyped-def]
    """POST the body as JSON, with the user's token when a user is given (else the client's session)."""
    return client.post(url, json.dumps(body), content_type="application/json", **(bearer(user) if user else {}))


def patch_json(client: Client, url: str, body: object, user=None) -> Any:  # type: ignore[no-untyped-def]
    return client.patch(url, json.dumps(body), content_type="application/json", **(bearer(user) if user else {}))


def assert_error_shape(response, code: str) -> dict:  # type: ignore[no-untyped-def]
    """The error body every API error has, with this code; returns its `error` part."""
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == code
    return body["error"]
