"""Send the digests now (the embedded default's way; production runs the same service from Celery beat)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from projectoffice.lib import formats
from projectoffice.lib.jobs import exit_if_failed
from projectoffice.lib.locks import job_lock
from projectoffice.matching.digests import send_digests


class Command(BaseCommand):
    help = "Рассылает дайджесты новых подходящих возможностей (повторный запуск ничего не дублирует)"

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        with job_lock("matching.send_digests") as held:
            if not held:
                self.stdout.write("Дайджесты уже рассылает другой обработчик; этот запуск пропущен")
                return
            report = send_digests()
        self.stdout.write(
            f"Подписок: {report.subscriptions}; писем: {report.sent}, позиций: {report.items}, "
            f"без новых позиций: {report.skipped_empty}; не отправлено: {len(report.failures)}; "
            f"{formats.number(time.monotonic() - started, 1)} с"
        )
        exit_if_failed(report.failures, self.stderr)
