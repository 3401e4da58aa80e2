"""What the KPI ledger reads from events: course completions, events held, participants."""

import datetime as dt

import pytest
from django.utils import timezone

from projectoffice.events import services
from projectoffice.events.selectors import course_completions, events_held, participants
from tests.events.factories import EventFactory, RegistrationFactory, SessionFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_kpi_figures_count_unique_trained_people() -> None:
    start, end = timezone.localdate() - dt.timedelta(days=60), timezone.localdate() + dt.timedelta(days=1)
    course = EventFactory(
        kind="course", min_sessions_for_certificate=1, starts_at=timezone.now() - dt.timedelta(days=30)
    )
    session = SessionFactory(event=course)
    staff = UserFactory(role="staff")
    for email in ("a@example.invalid", "A@example.invalid"):
        other_course = (
            course
            if email.islower()
            else EventFactory(
                kind="course", min_sessions_for_certificate=1, starts_at=timezone.now() - dt.timedelta(days=20)
            )
        )
        other_session = session if email.islower() else SessionFactory(event=other_course)
        registration = RegistrationFactory(event=other_course, email=email)
        services.check_in(actor=staff, event=other_course, code=registration.ticket_code, session=other_session)
    completions = course_completions(start=start, end=end)
    assert completions.count() == 2 and {r.kpi_key for r in completions} == {"a@example.invalid"}
    assert [(e.kind, e.kpi_value) for e in events_held(start=start, end=end, kind="course")] == [("course", 1)] * 2
    assert participants(start=start, end=end).count() == 2
