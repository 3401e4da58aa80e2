"""Background tasks of the applications app."""

from __future__ import annotations

from celery import shared_task

from projectoffice.applications.reminders import send_deadline_reminders
from projectoffice.lib.locks import once_at_a_time


@shared_task(name="applications.send_deadline_reminders")
@once_at_a_time("applications.send_deadline_reminders")
def send_deadline_reminders_task() -> dict[str, object]:
    report = send_deadline_reminders()
    return {"sent": report.sent, "skipped": report.skipped, "failed": [str(f) for f in report.failures]}
