"""Strip personal data from registrations of events that ended more than N days ago (152-FZ retention)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from projectoffice.events.services import anonymise_registrations
from projectoffice.lib import formats
from projectoffice.lib.jobs import exit_if_failed


class Command(BaseCommand):
    help = "Обезличивает регистрации мероприятий, завершившихся более N дней назад"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--older-than-days", type=int, default=settings.REGISTRATION_RETENTION_DAYS)

    def handle(self, *args: Any, older_than_days: int, **options: Any) -> None:
        if older_than_days < 1:  # zero or less would strip the data of events still to come
            raise CommandError("--older-than-days: ожидается 1 или больше")
        report = anonymise_registrations(older_than_days=older_than_days)
        older = formats.plural(older_than_days, "дня", "дней", "дней")
        self.stdout.write(f"Обезличено регистраций: {report.done} (старше {older}); ошибок: {len(report.failures)}")
        exit_if_failed(report.failures, self.stderr)
