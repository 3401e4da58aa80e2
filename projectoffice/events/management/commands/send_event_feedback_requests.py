"""Invite attendees of events that ended in the last week to the feedback survey (each once)."""

from typing import Any

from django.core.management.base import BaseCommand

from projectoffice.events.services import send_feedback_requests


class Command(BaseCommand):
    help = "Рассылает приглашения оценить прошедшие мероприятия (каждому участнику — один раз)"

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Приглашений отправлено: {send_feedback_requests()}")
