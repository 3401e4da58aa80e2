"""Deadline reminders: e-mails N days before an application's deadline, each sent once (per user's settings)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from projectoffice.accounts.models import User
from projectoffice.applications.models import Application, ReminderSent
from projectoffice.lib import formats
from projectoffice.lib.jobs import Failure, JobRun
from projectoffice.lib.links import absolute_url

logger = logging.getLogger(__name__)


@dataclass
class ReminderReport:
    sent: int = 0
    skipped: int = 0
    failures: list[Failure] = field(default_factory=list)  # not sent this time; tried again on the next run


def _recipients(application: Application) -> list[User]:
    users = {
        u.pk: u
        for u in User.objects.filter(memberships__organisation=application.project.lead_organisation_id, is_active=True)
    }
    if application.created_by and application.created_by.is_active:
        users[application.created_by.pk] = application.created_by
    return [u for u in users.values() if u.email and u.reminder_days]


def send_deadline_reminders(*, today: dt.date | None = None) -> ReminderReport:
    """For each open application, each involved user and each of their lead times that has come: one e-mail.

    A day missed by the scheduler is caught up (the nearest lead time not yet sent is used); the unique
    ReminderSent row makes a second run, or a second worker, send nothing. The row and the e-mail stand or fall
    together: a reminder whose e-mail fails is logged, left unrecorded for the next run, and the others go on.
    """
    today = today or timezone.localdate()
    report = ReminderReport()
    run = JobRun("deadline reminders", logger)
    applications = (
        Application.objects.open()
        .filter(deadline__gte=today)
        .select_related("project__lead_organisation", "opportunity", "created_by")
    )
    for application in applications:
        assert application.deadline is not None
        days_left = (application.deadline - today).days
        recipients: list[User] = []
        with run.item(f"application={application.pk}"):
            recipients = _recipients(application)
        for user in recipients:
            due = [d for d in user.reminder_days if days_left <= d]
            if not due:
                continue
            lead = min(due)
            with run.item(f"application={application.pk} user={user.pk} <{user.email}> days_before={lead}"):
                try:
                    with transaction.atomic():
                        ReminderSent.objects.create(application=application, user=user, days_before=lead)
                        _email(application, user, days_left)
                except IntegrityError:
                    report.skipped += 1
                    continue
                report.sent += 1
    report.failures = run.failures
    run.finish(f"sent: {report.sent}, already sent: {report.skipped}")
    return report


def _email(application: Application, user: User, days_left: int) -> None:
    link = absolute_url(reverse("applications:detail", args=[application.pk]))
    when = "сегодня" if days_left == 0 else f"через {formats.plural(days_left, 'день', 'дня', 'дней')}"
    send_mail(
        subject=f"Срок подачи заявки {when}: {application.project.title}",
        message=(
            f"Срок подачи заявки «{application.project.title}» в «{application.opportunity.title}» — "
            f"{formats.date(application.deadline)} ({when}).\n"
            f"Готовность: {formats.percent(application.readiness)}.\n{link}\n\n"
            "Настроить напоминания: " + absolute_url(reverse("applications:calendar"))
        ),
        from_email=None,
        recipient_list=[user.email],
    )
