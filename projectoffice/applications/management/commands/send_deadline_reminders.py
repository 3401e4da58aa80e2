"""Send the application deadline reminders due today (safe to run again; what failed is retried next time)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from projectoffice.applications.reminders import send_deadline_reminders
from projectoffice.lib.jobs import exit_if_failed


class Command(BaseCommand):
    help = "Рассылает напоминания о сроках подачи заявок (повторный запуск ничего не дублирует)"

    def handle(self, *args: Any, **options: Any) -> None:
        report = send_deadline_reminders()
        self.stdout.write(
            f"Напоминаний отправлено: {report.sent}; уже отправленных пропущено: {report.skipped}; "
            f"не отправлено: {len(report.failures)}"
        )
        exit_if_failed(report.failures, self.stderr)
