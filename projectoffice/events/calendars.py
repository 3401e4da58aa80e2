"""iCalendar files: one event, or the feed of all public events."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from projectoffice.events.models import Event
from projectoffice.lib.links import absolute_url


def _calendar() -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Проектный офис цифрового развития//events//RU")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Мероприятия проектного офиса")
    return calendar


def _component(event: Event) -> CalendarEvent:
    item = CalendarEvent()
    item.add("uid", f"event-{event.pk}@projectoffice")
    item.add("summary", event.title)
    item.add("dtstart", event.starts_at)
    item.add("dtend", event.ends_at)
    item.add("location", event.venue or event.online_url)
    item.add("description", event.description[:2000])
    item.add("url", absolute_url(reverse("events:detail", args=[event.slug])))
    if event.status == "cancelled":
        item.add("status", "CANCELLED")
    return item


def ics(events: Iterable[Event]) -> bytes:
    calendar = _calendar()
    for event in events:
        calendar.add_component(_component(event))
    return calendar.to_ical()
