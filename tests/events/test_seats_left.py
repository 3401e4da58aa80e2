"""«Seats left» is one rule: the event page, the API and the seating service count the same registrations."""

import pytest
from django.test import Client
from django.urls import reverse

from projectoffice.events import services
from projectoffice.events.models import Event, RegistrationStatus
from tests.events.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def _shown(client: Client, event: Event) -> tuple[str, int | None]:
    page = client.get(reverse("events:detail", args=[event.slug])).content.decode()
    api = client.get(f"/api/v1/events/{event.slug}").json()["seats_left"]
    return page, api


def test_only_confirmed_participants_take_seats_everywhere(client: Client) -> None:
    event = EventFactory(capacity=3)
    RegistrationFactory(event=event, status=RegistrationStatus.CONFIRMED)
    for status in (RegistrationStatus.WAITLISTED, RegistrationStatus.PENDING, RegistrationStatus.CANCELLED):
        RegistrationFactory(event=event, status=status)
    assert event.seats_taken() == 1 and event.seats_left == 2
    page, api = _shown(client, event)
    assert "Свободных мест: 2." in page and api == 2


def test_a_full_event_says_so_everywhere_and_seats_the_next_one_on_the_waiting_list(
    client: Client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    event = EventFactory(capacity=2)
    RegistrationFactory.create_batch(3, event=event, status=RegistrationStatus.CONFIRMED)  # capacity lowered later
    assert event.seats_left == 0
    page, api = _shown(client, event)
    assert "Места закончились" in page and api == 0
    with django_capture_on_commit_callbacks(execute=True):
        pending = services.registration_create(event=event, email="late@example.invalid", full_name="Опоздавший")
        seated = services.registration_confirm(services.sign(pending, services.CONFIRM_SALT))
    assert seated.status == RegistrationStatus.WAITLISTED


def test_an_event_without_a_limit_has_no_seat_count(client: Client) -> None:
    event = EventFactory(capacity=None)
    RegistrationFactory(event=event)
    page, api = _shown(client, event)
    assert event.seats_left is None and api is None and "Свободных мест" not in page
