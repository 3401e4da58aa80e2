"""Background tasks of the events app: thin wrappers around the services."""

from celery import shared_task
from django.conf import settings

from projectoffice.events.services import anonymise_registrations, send_feedback_requests
from projectoffice.lib.locks import once_at_a_time


@shared_task(name="events.send_feedback_requests")
@once_at_a_time("events.send_feedback_requests")
def send_feedback_requests_task() -> dict[str, object]:
    report = send_feedback_requests()
    return {"sent": report.done, "failed": [str(failure) for failure in report.failures]}


@shared_task(name="events.anonymise_registrations")
@once_at_a_time("events.anonymise_registrations")
def anonymise_registrations_task() -> dict[str, object]:
    report = anonymise_registrations(older_than_days=settings.REGISTRATION_RETENTION_DAYS)
    return {"anonymised": report.done, "failed": [str(failure) for failure in report.failures]}
