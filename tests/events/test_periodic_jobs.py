"""Feedback requests and anonymisation: one item that fails is logged and retried, the others are done."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import DatabaseError
from django.utils import timezone

from projectoffice.events import services
from projectoffice.events.models import Registration
from projectoffice.events.tasks import anonymise_registrations_task, send_feedback_requests_task
from tests.events.factories import EventFactory, RegistrationFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def attended() -> list[Registration]:
    """Three people who came to an event that ended yesterday."""
    event = EventFactory(starts_at=timezone.now() - dt.timedelta(days=1, hours=4))
    registrations: list[Registration] = RegistrationFactory.create_batch(3, event=event)
    staff = UserFactory(role="staff")
    for registration in registrations:
        services.check_in(actor=staff, event=event, code=registration.ticket_code)
    mail.outbox.clear()
    return registrations


def test_a_feedback_request_that_fails_is_not_marked_and_goes_out_next_run(
    attended: list[Registration], refusing_mailbox: set[str], caplog: pytest.LogCaptureFixture
) -> None:
    refused = attended[1]
    refusing_mailbox.add(refused.email)
    with caplog.at_level(logging.ERROR, logger="projectoffice.events.services"):
        report = services.send_feedback_requests()
    assert report.done == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([attended[0].email, attended[2].email])
    refused.refresh_from_db()
    assert refused.feedback_requested_at is None  # the mark was rolled back with the failed e-mail
    assert [f.item for f in report.failures] == [
        f"registration={refused.pk} event={refused.event_id} <{refused.email}>"
    ]
    assert f"registration={refused.pk}" in caplog.records[0].getMessage() and caplog.records[0].exc_info

    refusing_mailbox.clear()
    again = services.send_feedback_requests()
    assert (again.done, again.failures) == (1, [])
    assert mail.outbox[-1].to == [refused.email] and len(mail.outbox) == 3
    assert services.send_feedback_requests().done == 0


def test_the_feedback_command_and_task_say_what_failed(
    attended: list[Registration], refusing_mailbox: set[str], capsys: pytest.CaptureFixture[str]
) -> None:
    refusing_mailbox.add(attended[0].email)
    with pytest.raises(CommandError, match="не удалось: 1"):
        call_command("send_event_feedback_requests")
    assert "Приглашений отправлено: 2; не отправлено: 1" in capsys.readouterr().out
    result = send_feedback_requests_task.delay().get()
    assert result["sent"] == 0 and len(result["failed"]) == 1 and f"<{attended[0].email}>" in result["failed"][0]


def test_anonymisation_carries_on_past_a_registration_it_cannot_change(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    old = EventFactory(starts_at=timezone.now() - dt.timedelta(days=400))
    stuck, *others = [RegistrationFactory(event=old) for _ in range(3)]
    anonymise = services._anonymise

    def failing_for_one(pk: int, now: dt.datetime) -> int:
        if pk == stuck.pk:
            raise DatabaseError("row is locked")
        return anonymise(pk, now)

    monkeypatch.setattr(services, "_anonymise", failing_for_one)
    with caplog.at_level(logging.ERROR, logger="projectoffice.events.services"):
        report = services.anonymise_registrations(older_than_days=365)
    assert report.done == 2 and [f.item for f in report.failures] == [f"registration={stuck.pk}"]
    assert f"registration={stuck.pk}" in caplog.records[0].getMessage()
    assert Registration.objects.filter(anonymised_at__isnull=False).count() == 2

    monkeypatch.setattr(services, "_anonymise", anonymise)
    assert anonymise_registrations_task.delay().get() == {"anonymised": 0, "failed": []}  # three years: not yet
    assert services.anonymise_registrations(older_than_days=365).done == 1
    stuck.refresh_from_db()
    assert stuck.full_name == "(обезличено)" and all(
        Registration.objects.get(pk=r.pk).email.endswith("@anonymised.invalid") for r in others
    )


def test_anonymisation_refuses_a_period_that_would_reach_events_to_come() -> None:
    upcoming = RegistrationFactory(event=EventFactory())
    with pytest.raises(CommandError, match="--older-than-days"):
        call_command("anonymise_registrations", "--older-than-days", "-30")
    upcoming.refresh_from_db()
    assert upcoming.anonymised_at is None
