"""Deadline reminders: one per lead time to the organisation's members and the staff member who started it."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from projectoffice.applications.models import Application
from projectoffice.applications.reminders import send_deadline_reminders

pytestmark = pytest.mark.django_db


def test_reminders_go_once_per_lead_time(setup) -> None:  # type: ignore[no-untyped-def]
    application = setup["application"]
    Application.objects.filter(pk=application.pk).update(deadline=timezone.localdate() + dt.timedelta(days=7))
    assert send_deadline_reminders().sent == 2  # the organisation's member and the staff member who created it
    assert send_deadline_reminders().sent == 0
    assert "Срок подачи заявки через 7\u00a0дней" in mail.outbox[0].subject
    assert {m.to[0] for m in mail.outbox} == {"member@example.invalid", setup["staff"].email}
    Application.objects.filter(pk=application.pk).update(deadline=timezone.localdate() + dt.timedelta(days=1))
    assert send_deadline_reminders().sent == 2
    assert send_deadline_reminders().sent == 0
    assert len(mail.outbox) == 4
