"""Background tasks of the applications app."""

from __future__ import annotations

from celery import shared_task

from projectoffice.applications.reminders import send_deadline_reminders


@shared_task(name="applications.send_deadline_reminders")
def send_deadline_reminders_task() -> int:
    return send_deadline_reminders().sent
