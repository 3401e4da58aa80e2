"""The health check answers «unavailable» to the world and says why in the log."""

from __future__ import annotations

import logging

import pytest
from django.db import OperationalError, connection
from django.test import Client

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_when_the_database_answers(client: Client) -> None:
    response = client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok", "database": "ok"})


def test_healthz_logs_why_the_database_is_unavailable(
    client: Client, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def refused() -> None:
        raise OperationalError('connection to server at "db" (10.0.0.5), port 5432 failed: Connection refused')

    monkeypatch.setattr(connection, "cursor", refused)
    with caplog.at_level(logging.ERROR, logger="projectoffice.dashboards.views"):
        response = client.get("/healthz")
    assert (response.status_code, response.json()) == (503, {"status": "error", "database": "unavailable"})
    assert "10.0.0.5" not in response.content.decode()  # the world learns nothing of the set-up
    [record] = [r for r in caplog.records if r.name == "projectoffice.dashboards.views"]
    assert record.getMessage() == "health check: the database did not answer"
    assert record.exc_info is not None and "Connection refused" in str(record.exc_info[1])


def test_health_endpoint_reports_the_database(client: Client) -> None:
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}
