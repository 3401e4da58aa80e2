"""The health check answers whether the database answers."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_health_endpoint_reports_the_database(client: Client) -> None:
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}
