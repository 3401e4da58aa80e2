"""A rate limit counts per client address within its window, and a page and the API share one count."""

from __future__ import annotations

import json
import re

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from projectoffice.events.models import Registration
from projectoffice.events.rules import REGISTRATION_LIMIT
from projectoffice.lib.rate_limits import RateLimit
from tests.api.helpers import assert_error_shape
from tests.events.factories import EventFactory

LIMIT = RateLimit(scope="test", setting="TEST_RATE_LIMIT", window=60, refusal="Слишком часто.")


@pytest.fixture(autouse=True)
def _fresh_counts() -> None:
    cache.clear()


def test_a_limit_refuses_an_address_past_its_setting_and_leaves_other_addresses_alone(settings) -> None:  # type: ignore[no-untyped-def]
    settings.TEST_RATE_LIMIT = 2
    first, second = RequestFactory(REMOTE_ADDR="203.0.113.7"), RequestFactory(REMOTE_ADDR="198.51.100.9")
    counts = []
    for _ in range(3):
        counts.append(LIMIT.refused(first.get("/")))
        LIMIT.hit(first.get("/"))
    assert counts == [False, False, True]
    assert not LIMIT.refused(second.get("/"))


def test_only_accepted_submissions_use_up_the_limit_and_attempts_have_a_looser_one(settings) -> None:  # type: ignore[no-untyped-def]
    settings.TEST_RATE_LIMIT = 1
    request = RequestFactory().get("/")
    assert not any(LIMIT.refused(request) for _ in range(10))
    assert LIMIT.refused(request)


def test_limits_of_different_scopes_count_apart(settings) -> None:  # type: ignore[no-untyped-def]
    settings.TEST_RATE_LIMIT = 1
    other = RateLimit(scope="other", setting="TEST_RATE_LIMIT", window=60, refusal="")
    request = RequestFactory().get("/")
    LIMIT.hit(request)
    assert (LIMIT.refused(request), other.refused(request)) == (True, False)


def _register_on_the_page(client: Client, event, email: str) -> HttpResponse:  # type: ignore[no-untyped-def]
    page = client.get(reverse("events:detail", args=[event.slug])).content.decode()
    started = re.search(r'name="started" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    data = {"full_name": "Иван Петров", "email": email, "consent": "on", "started": started}
    return client.post(reverse("events:detail", args=[event.slug]), data)  # type: ignore[return-value]


@pytest.mark.django_db
def test_registrations_on_the_page_and_through_the_api_share_one_count(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.REGISTRATION_RATE_LIMIT, settings.REGISTRATION_MIN_SECONDS = 2, 0
    event = EventFactory(capacity=None)
    assert _register_on_the_page(client, event, "page@example.invalid").status_code == 200
    body = {"full_name": "Ирина", "email": "api@example.invalid", "consent": True}
    created = client.post(f"/api/v1/events/{event.slug}/register", json.dumps(body), content_type="application/json")
    assert created.status_code == 201
    body["email"] = "third@example.invalid"
    refused = client.post(f"/api/v1/events/{event.slug}/register", json.dumps(body), content_type="application/json")
    assert assert_error_shape(refused, "throttled")["message"] == REGISTRATION_LIMIT.refusal
    page = _register_on_the_page(client, event, "fourth@example.invalid")
    assert page.status_code == 429 and REGISTRATION_LIMIT.refusal in page.content.decode()
    assert Registration.objects.count() == 2
