"""Celery: workers and the beat schedule in production; without a broker, tasks run inline (the embedded default)."""

from __future__ import annotations

import os
from contextvars import Token
from typing import Any

from celery import Celery
from celery.schedules import crontab
from celery.signals import task_postrun, task_prerun

from projectoffice.lib import logcontext

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("projectoffice")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.conf.beat_schedule = {
    "send-digests-every-morning": {"task": "matching.send_digests", "schedule": crontab(hour=8, minute=0)},
    "application-deadline-reminders": {
        "task": "applications.send_deadline_reminders",
        "schedule": crontab(hour=9, minute=0),
    },
    "participation-digests": {"task": "participation.send_digests", "schedule": crontab(hour=8, minute=15)},
    "event-feedback-requests": {"task": "events.send_feedback_requests", "schedule": crontab(hour=10, minute=0)},
    "anonymise-old-registrations": {"task": "events.anonymise_registrations", "schedule": crontab(hour=4, minute=0)},
    "deal-next-step-reminders": {"task": "flagships.send_overdue_reminders", "schedule": crontab(hour=9, minute=30)},
    "refresh-search-index-nightly": {"task": "matching.rebuild_search_index", "schedule": crontab(hour=3, minute=30)},
    "need-reminders-and-surveys": {"task": "needs.send_reminders", "schedule": crontab(hour=9, minute=30)},
}

# Every log line of a task carries its name and id (see projectoffice/lib/logcontext.py).
_log_tokens: dict[str, Token[logcontext.Context]] = {}


@task_prerun.connect
def _bind_task_context(task_id: str = "", task: Any = None, **_: Any) -> None:
    _log_tokens[task_id] = logcontext.bind(job=getattr(task, "name", "?"), run=task_id)


@task_postrun.connect
def _unbind_task_context(task_id: str = "", **_: Any) -> None:
    token = _log_tokens.pop(task_id, None)
    if token is not None:
        logcontext.unbind(token)
