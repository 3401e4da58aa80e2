"""Background tasks of the flagships app."""

from __future__ import annotations

from celery import shared_task

from projectoffice.flagships.services import send_overdue_reminders
from projectoffice.lib.locks import once_at_a_time


@shared_task(name="flagships.send_overdue_reminders")
@once_at_a_time("flagships.send_overdue_reminders")
def send_overdue_reminders_task() -> dict[str, object]:
    report = send_overdue_reminders()
    return {"sent": report.sent, "skipped": report.skipped}
