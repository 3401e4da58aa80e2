"""Send what is due in the needs service: reminders about needs nobody took (day 9, last call on day 21,
abandonment on day 45), the experts' weekly summary and the satisfaction surveys; each once (run it from cron in
the embedded default, Celery beat runs the same task in production)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from projectoffice.lib.jobs import exit_if_failed
from projectoffice.lib.locks import job_lock
from projectoffice.needs.outcomes import send_surveys
from projectoffice.needs.reminders import send_need_reminders, send_weekly_summaries


class Command(BaseCommand):
    help = "Рассылает напоминания по потребностям, еженедельные сводки экспертам и опросы (каждое — один раз)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-weekly", action="store_true", help="без еженедельных сводок экспертам")
        parser.add_argument("--no-surveys", action="store_true", help="без опросов удовлетворённости")

    def handle(self, *args: Any, **options: Any) -> None:
        with job_lock("needs.send_reminders") as held:
            if not held:
                self.stdout.write("Рассылка уже выполняется другим обработчиком; этот запуск пропущен.")
                return
            reminders = send_need_reminders()
            failures = list(reminders.failures)
            lines = [f"Напоминаний по потребностям: {reminders.total} {reminders.sent or ''}".rstrip()]
            if not options["no_weekly"]:
                weekly = send_weekly_summaries()
                failures += weekly.failures
                lines.append(f"Еженедельных сводок экспертам: {weekly.total}")
            if not options["no_surveys"]:
                surveys = send_surveys()
                failures += surveys.failures
                lines.append(f"Опросов удовлетворённости: {surveys.sent}")
        for line in lines:
            self.stdout.write(line)
        exit_if_failed(failures, self.stderr)
