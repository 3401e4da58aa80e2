"""Test-wide settings: a fast password hasher and an isolated media folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client

from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path: Path) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    from django.core.cache import cache

    cache.clear()  # rate limits and other counters start from zero in every test
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    """A test client logged in as this user."""
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staff_client(db) -> Client:  # type: ignore[no-untyped-def]
    return client_for(UserFactory(role="staff"))


@pytest.fixture
def refusing_mailbox(settings) -> Iterator[set[str]]:  # type: ignore[no-untyped-def]
    """E-mail to the addresses put in the returned set fails (SMTPRecipientsRefused); the rest lands in mail.outbox."""
    from tests.mailboxes import RefusingBackend

    settings.EMAIL_BACKEND = "tests.mailboxes.RefusingBackend"
    RefusingBackend.refused = set()
    yield RefusingBackend.refused
    RefusingBackend.refused = set()


@pytest.fixture(params=["tantivy", "postgres"])
def search_engine(request, settings) -> str:  # type: ignore[no-untyped-def]
    """Runs the test with each keyword engine; the PostgreSQL one only when the suite runs on PostgreSQL."""
    from django.db import connection

    if request.param == "postgres" and connection.vendor != "postgresql":
        pytest.skip("движок PostgreSQL проверяется на PostgreSQL")
    settings.SEARCH_ENGINE = request.param
    return str(request.param)
