"""Background tasks: thin wrappers around the services, safe to run again."""

from __future__ import annotations

from celery import shared_task

from projectoffice.lib.locks import once_at_a_time
from projectoffice.matching.digests import send_digests
from projectoffice.matching.index import rebuild_index


@shared_task(name="matching.send_digests")
@once_at_a_time("matching.send_digests")
def send_digests_task() -> dict[str, object]:
    report = send_digests()
    return {
        "subscriptions": report.subscriptions,
        "sent": report.sent,
        "items": report.items,
        "failed": [str(failure) for failure in report.failures],  # retried on the next run
    }


@shared_task(name="matching.rebuild_search_index")
@once_at_a_time("matching.rebuild_search_index")
def rebuild_search_index_task() -> dict[str, object]:
    return {"documents": rebuild_index()}
