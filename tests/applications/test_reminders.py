"""Deadline reminders: one mailbox that refuses does not stop the run, and it gets its reminder on the next one."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from projectoffice.applications.models import Application, ReminderSent
from projectoffice.applications.reminders import send_deadline_reminders
from projectoffice.applications.tasks import send_deadline_reminders_task
from tests.factories import ApplicationFactory, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def application() -> Application:
    application: Application = ApplicationFactory()
    Application.objects.filter(pk=application.pk).update(deadline=timezone.localdate() + dt.timedelta(days=7))
    application.refresh_from_db()
    return application


def test_one_refused_mailbox_does_not_stop_the_others_and_is_retried_next_run(
    application: Application, refusing_mailbox: set[str], caplog: pytest.LogCaptureFixture
) -> None:
    organisation = application.project.lead_organisation
    refused, reached = member_of(organisation), member_of(organisation)
    refusing_mailbox.add(refused.email)

    with caplog.at_level(logging.ERROR, logger="projectoffice.applications.reminders"):
        report = send_deadline_reminders()

    assert report.sent == 2  # the other member and the staff member who started the application
    assert {m.to[0] for m in mail.outbox} == {reached.email, application.created_by.email}
    assert [f.item for f in report.failures] == [
        f"application={application.pk} user={refused.pk} <{refused.email}> days_before=7"
    ]
    assert not ReminderSent.objects.filter(user=refused).exists()  # not recorded, so the next run sends it
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert f"application={application.pk} user={refused.pk} <{refused.email}>" in record.getMessage()
    assert record.exc_info is not None and record.exc_info[0] is smtplib.SMTPRecipientsRefused

    refusing_mailbox.clear()
    again = send_deadline_reminders()
    assert (again.sent, again.skipped, again.failures) == (1, 2, [])
    assert mail.outbox[-1].to == [refused.email] and len(mail.outbox) == 3


def test_the_command_reports_the_failure_and_exits_non_zero(
    application: Application, refusing_mailbox: set[str], capsys: pytest.CaptureFixture[str]
) -> None:
    refused = member_of(application.project.lead_organisation)
    refusing_mailbox.add(refused.email)
    with pytest.raises(CommandError, match="не удалось: 1"):
        call_command("send_deadline_reminders")
    output = capsys.readouterr()
    assert "Напоминаний отправлено: 1" in output.out and "не отправлено: 1" in output.out
    assert f"<{refused.email}>" in output.err and "SMTPRecipientsRefused" in output.err


def test_the_task_returns_what_failed(application: Application, refusing_mailbox: set[str]) -> None:
    refused = member_of(application.project.lead_organisation)
    refusing_mailbox.add(refused.email)
    result = send_deadline_reminders_task.delay().get()
    assert result["sent"] == 1
    assert len(result["failed"]) == 1 and f"user={refused.pk}" in result["failed"][0]


def test_reminders_go_once_per_lead_time(setup) -> None:  # type: ignore[no-untyped-def]
    application = setup["application"]
    Application.objects.filter(pk=application.pk).update(deadline=timezone.localdate() + dt.timedelta(days=7))
    assert send_deadline_reminders().sent == 2  # the organisation's member and the staff member who created it
    assert send_deadline_reminders().sent == 0
    assert "Срок подачи заявки через 7\u00a0дней" in mail.outbox[0].subject
    assert {m.to[0] for m in mail.outbox} == {"member@example.invalid", setup["staff"].email}
    Application.objects.filter(pk=application.pk).update(deadline=timezone.localdate() + dt.timedelta(days=1))
    assert send_deadline_reminders().sent == 2
    assert send_deadline_reminders().sent == 0
    assert len(mail.outbox) == 4
