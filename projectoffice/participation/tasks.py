"""Background tasks of participation: thin wrappers around the services, safe to run again."""

from __future__ import annotations

from celery import shared_task

from projectoffice.lib.locks import once_at_a_time
from projectoffice.participation.digests import send_participation_digests


@shared_task(name="participation.send_digests")
@once_at_a_time("participation.send_digests")
def send_participation_digests_task() -> dict[str, object]:
    report = send_participation_digests()
    return {"people": report.people, "sent": report.sent, "notifications": report.items,
            "failed": [str(failure) for failure in report.failures]}  # fmt: skip
