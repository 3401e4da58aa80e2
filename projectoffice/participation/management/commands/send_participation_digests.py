"""Send today's participation digests now (the embedded default's way; production runs the same from Celery beat)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from projectoffice.lib.jobs import exit_if_failed
from projectoffice.lib.locks import job_lock
from projectoffice.participation.digests import send_participation_digests


class Command(BaseCommand):
    help = "Рассылает дайджесты уведомлений участия (раз в день, по понедельникам — недельные); повтор не дублирует"

    def handle(self, *args: Any, **options: Any) -> None:
        with job_lock("participation.send_digests") as held:
            if not held:
                self.stdout.write("Дайджесты участия уже рассылает другой обработчик; этот запуск пропущен")
                return
            report = send_participation_digests()
        self.stdout.write(
            f"Получателей сегодня: {report.people}; писем: {report.sent}, уведомлений: {report.items}; "
            f"не отправлено: {len(report.failures)}"
        )
        exit_if_failed(report.failures, self.stderr)
