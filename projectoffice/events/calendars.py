"""iCalendar files (RFC 5545): one event, or the feed of all public events.

- Every VEVENT carries a UID, a DTSTAMP (the moment the file was made, in UTC) and its times in Europe/Samara
  (TIME_ZONE) with the VTIMEZONE that defines it.
- An event whose programme spreads over several days (a course that meets four times) is one VEVENT per day it
  meets, from that day's first session to its last, so a calendar blocks the hours of each meeting and not the
  weeks between them. Sessions of one day (parallel tracks of a forum) stay one VEVENT for that day. An event
  without sessions is one VEVENT from its start to its end.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from projectoffice.events.models import Event, Session
from projectoffice.lib import formats
from projectoffice.lib.links import absolute_url


@dataclass(frozen=True)
class Meeting:
    """One stretch of time an event takes in a calendar: the whole event, or one day of its programme."""

    uid: str
    summary: str
    starts_at: dt.datetime
    ends_at: dt.datetime


def meetings(event: Event) -> list[Meeting]:
    """The event's VEVENTs: one per local day of its sessions, or the whole event when it has none."""
    by_day: dict[dt.date, list[Session]] = {}
    for session in event.sessions.all():
        by_day.setdefault(formats.local(session.starts_at).date(), []).append(session)
    if len(by_day) <= 1:
        return [Meeting(f"event-{event.pk}@projectoffice", event.title, event.starts_at, event.ends_at)]
    items = []
    for _day, sessions in sorted(by_day.items()):
        summary = f"{event.title}: {sessions[0].title}" if len(sessions) == 1 else event.title
        items.append(
            Meeting(
                f"event-{event.pk}-session-{sessions[0].pk}@projectoffice",
                summary,
                min(s.starts_at for s in sessions),
                max(s.ends_at for s in sessions),
            )
        )
    return items


def _calendar() -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Проектный офис цифрового развития//events//RU")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Мероприятия проектного офиса")
    calendar.add("x-wr-timezone", timezone.get_default_timezone_name())
    return calendar


def _components(event: Event, stamp: dt.datetime) -> Iterator[CalendarEvent]:
    for meeting in meetings(event):
        item = CalendarEvent()
        item.add("uid", meeting.uid)
        item.add("dtstamp", stamp)
        item.add("summary", meeting.summary)
        item.add("dtstart", timezone.localtime(meeting.starts_at))
        item.add("dtend", timezone.localtime(meeting.ends_at))
        if event.venue or event.online_url:
            item.add("location", event.venue or event.online_url)
        if event.description:
            item.add("description", event.description[:2000])
        item.add("url", absolute_url(reverse("events:detail", args=[event.slug])))
        if event.status == "cancelled":
            item.add("status", "CANCELLED")
        yield item


def ics(events: Iterable[Event]) -> bytes:
    """The calendar of `events` (prefetch their `sessions` to read every programme in one query)."""
    calendar = _calendar()
    stamp = timezone.now().astimezone(dt.UTC).replace(microsecond=0)
    for event in events:
        for component in _components(event, stamp):
            calendar.add_component(component)
    calendar.add_missing_timezones()
    return calendar.to_ical()
