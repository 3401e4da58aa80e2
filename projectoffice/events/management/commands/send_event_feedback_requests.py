"""Invite attendees of events that ended in the last week to the feedback survey (each once; failures retried)."""

from typing import Any

from django.core.management.base import BaseCommand

from projectoffice.events.services import send_feedback_requests
from projectoffice.lib.jobs import exit_if_failed


class Command(BaseCommand):
    help = "Рассылает приглашения оценить прошедшие мероприятия (каждому участнику — один раз)"

    def handle(self, *args: Any, **options: Any) -> None:
        report = send_feedback_requests()
        self.stdout.write(f"Приглашений отправлено: {report.done}; не отправлено: {len(report.failures)}")
        exit_if_failed(report.failures, self.stderr)
