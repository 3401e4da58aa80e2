"""Calendar feeds: published events only, one event as .ics."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_calendar_feeds(client: Client) -> None:
    event = EventFactory(title="Митап по данным")
    EventFactory(status="draft", title="Черновик")
    feed = client.get(reverse("events:feed")).content.decode()
    assert "Митап по данным" in feed and "Черновик" not in feed
    assert "BEGIN:VCALENDAR" in client.get(reverse("events:ics", args=[event.slug])).content.decode()
