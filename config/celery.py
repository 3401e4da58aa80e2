"""Celery: workers and the beat schedule in production; without a broker, tasks run inline (the embedded default)."""

from __future__ import annotations

import os

from celery import Celery
from celery.schedules import crontab

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
    "event-feedback-requests": {"task": "events.send_feedback_requests", "schedule": crontab(hour=10, minute=0)},
    "anonymise-old-registrations": {"task": "events.anonymise_registrations", "schedule": crontab(hour=4, minute=0)},
    "refresh-search-index-nightly": {"task": "matching.rebuild_search_index", "schedule": crontab(hour=3, minute=30)},
}
