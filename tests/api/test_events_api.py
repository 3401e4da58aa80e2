import json

import pytest
from django.core import mail
from django.test import Client

from projectoffice.events.models import Registration
from tests.api.test_api import assert_error_shape, bearer
from tests.events.factories import EventFactory, RegistrationFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_public_calendar_and_registration(client: Client, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    event = EventFactory(capacity=3)
    EventFactory(status="draft")
    listed = client.get("/api/v1/events").json()
    assert [e["slug"] for e in listed["results"]] == [event.slug] and listed["results"][0]["seats_left"] == 3
    body = {"full_name": "Ирина", "email": "irina@example.invalid", "consent": True}
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(
            f"/api/v1/events/{event.slug}/register", json.dumps(body), content_type="application/json"
        )
    assert created.status_code == 201 and "Подтвердите регистрацию" in mail.outbox[0].subject
    again = client.post(f"/api/v1/events/{event.slug}/register", json.dumps(body), content_type="application/json")
    assert "email" in assert_error_shape(again, "invalid")["fields"]
    no_consent = client.post(
        f"/api/v1/events/{event.slug}/register",
        json.dumps({**body, "email": "x@example.invalid", "consent": False}),
        content_type="application/json",
    )
    assert "consent" in assert_error_shape(no_consent, "invalid")["fields"]
    assert Registration.objects.count() == 1


def test_checkin_api_is_for_staff_and_reports_repeats(client: Client) -> None:
    registration = RegistrationFactory()
    url = f"/api/v1/events/{registration.event.slug}/checkin"
    body = json.dumps({"code": registration.ticket_code})
    assert (
        client.post(url, body, content_type="application/json", **bearer(UserFactory(role="member"))).status_code == 403
    )
    staff = bearer(UserFactory(role="staff"))
    assert client.post(url, body, content_type="application/json", **staff).json()["ok"] is True
    repeat = client.post(url, body, content_type="application/json", **staff)
    assert repeat.status_code == 409 and "уже отмечен" in repeat.json()["message"]
