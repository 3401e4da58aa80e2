"""What the KPI ledger reads from events: unique trained people, events held, attendance."""

import datetime as dt

import pytest
from django.utils import timezone

from projectoffice.events import services
from projectoffice.events.selectors import attendance, events_held, trained_persons
from tests.events.factories import EventFactory, RegistrationFactory, SessionFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_kpi_figures_count_unique_trained_people() -> None:
    start, end = timezone.now() - dt.timedelta(days=60), timezone.now()
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
    assert trained_persons(start=start, end=end) == ["a@example.invalid"]
    assert events_held(start=start, end=end) == {"course": 2}
    assert attendance(start=start, end=end) == 2
