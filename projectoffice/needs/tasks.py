"""Background tasks of the needs service: thin wrappers around reminders and outcomes (Celery beat in production;
`manage.py send_need_reminders` from cron in the embedded default)."""

from celery import shared_task

from projectoffice.lib.locks import once_at_a_time
from projectoffice.needs.outcomes import send_surveys
from projectoffice.needs.reminders import send_need_reminders, send_weekly_summaries


@shared_task(name="needs.send_reminders")
@once_at_a_time("needs.send_reminders")
def send_reminders_task() -> dict[str, object]:
    """Day 9 / day 21 / day 45 reminders, the experts' weekly summary and the surveys due; each sent once."""
    reminders = send_need_reminders()
    weekly = send_weekly_summaries()
    surveys = send_surveys()
    failures = [*reminders.failures, *weekly.failures, *surveys.failures]
    return {
        "sent": {**reminders.sent, **weekly.sent, "survey": surveys.sent},
        "failed": [str(failure) for failure in failures],
    }
