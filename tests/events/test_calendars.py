"""Calendar files: published events only; every file validates with vobject and icalendar, every VEVENT has a
DTSTAMP, and a course is one VEVENT per day it meets with that day's own times."""

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from django.core import mail
from django.test import Client
from django.urls import reverse

from projectoffice.events.calendars import ics
from tests.events.factories import EventFactory, SessionFactory
from tests.events.helpers import mailed_link, register

pytestmark = pytest.mark.django_db

SAMARA = ZoneInfo("Europe/Samara")


def _valid_vevents(content: bytes) -> list[icalendar.cal.Component]:
    """The VEVENTs of a calendar that both vobject (validate=True) and icalendar read without complaint."""
    text = content.decode()
    parsed = vobject.readOne(text)
    parsed.validate()  # raises on a VEVENT without DTSTAMP or UID
    for vevent in parsed.vevent_list:
        assert vevent.dtstamp.value.tzinfo is not None
    calendar = icalendar.Calendar.from_ical(text)
    events = list(calendar.walk("VEVENT"))
    for event in events:
        assert event.get("DTSTAMP") and event.get("UID") and event.get("DTSTART") and event.get("DTEND")
    assert not [e for e in calendar.walk() if getattr(e, "errors", None)]
    return events


def _course() -> EventFactory:
    """A course of four sessions of 06:00–09:00 local on 28.10, 4.11, 11.11 and 18.11."""
    first = dt.datetime(2027, 10, 28, 6, 0, tzinfo=SAMARA)
    course = EventFactory(
        kind="course", title="Инженерия данных", starts_at=first, ends_at=first + dt.timedelta(days=21, hours=3)
    )
    for week in range(4):
        start = first + dt.timedelta(weeks=week)
        SessionFactory(
            event=course, title=f"Занятие {week + 1}", starts_at=start, ends_at=start + dt.timedelta(hours=3)
        )
    return course


def test_feed_lists_published_events_only_and_validates(client: Client) -> None:
    EventFactory(title="Митап по данным")
    EventFactory(status="draft", title="Черновик")
    content = client.get(reverse("events:feed")).content
    events = _valid_vevents(content)
    assert [str(e["SUMMARY"]) for e in events] == ["Митап по данным"]


def test_a_course_is_one_vevent_per_session_each_with_its_own_local_time(client: Client) -> None:
    course = _course()
    events = _valid_vevents(client.get(reverse("events:ics", args=[course.slug])).content)
    spans = [(e.decoded("DTSTART"), e.decoded("DTEND")) for e in events]
    assert [
        (s.astimezone(SAMARA).strftime("%d.%m %H:%M"), e.astimezone(SAMARA).strftime("%H:%M")) for s, e in spans
    ] == [
        ("28.10 06:00", "09:00"),
        ("04.11 06:00", "09:00"),
        ("11.11 06:00", "09:00"),
        ("18.11 06:00", "09:00"),
    ]
    assert len({str(e["UID"]) for e in events}) == 4
    assert str(events[0]["SUMMARY"]) == "Инженерия данных: Занятие 1"
    assert str(events[0]["DTSTART"].params["TZID"]) == "Europe/Samara"


def test_parallel_sessions_of_one_day_stay_one_vevent() -> None:
    start = dt.datetime(2027, 11, 3, 10, 0, tzinfo=SAMARA)
    forum = EventFactory(kind="forum", title="Форум", starts_at=start, ends_at=start + dt.timedelta(hours=8))
    SessionFactory(event=forum, starts_at=start, ends_at=start + dt.timedelta(hours=2))
    SessionFactory(event=forum, starts_at=start, ends_at=start + dt.timedelta(hours=3))
    events = _valid_vevents(ics([forum]))
    assert [(e.decoded("DTSTART"), e.decoded("DTEND")) for e in events] == [(start, start + dt.timedelta(hours=8))]


def test_the_emailed_ics_validates_and_has_a_vevent_per_session(
    client: Client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    course = _course()
    course.capacity = 10
    course.save()
    with django_capture_on_commit_callbacks(execute=True):
        register(client, course, "ivan@example.invalid")
    with django_capture_on_commit_callbacks(execute=True):
        client.get(mailed_link("confirm"))
    name, content, mime = mail.outbox[-1].attachments[0]
    assert (name, mime) == ("event.ics", "text/calendar")
    events = _valid_vevents(content if isinstance(content, bytes) else content.encode())
    assert len(events) == 4
