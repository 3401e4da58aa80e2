"""A person's deadline reminders are written by one service: checked, audited, and unchanged when refused."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from projectoffice.accounts.models import User
from projectoffice.accounts.services import reminder_days_set
from projectoffice.audit.models import AuditEvent
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _stored(user: User) -> list[int]:
    return User.objects.get(pk=user.pk).reminder_days


def test_the_calendar_page_saves_the_reminders_through_the_service_and_audits_them() -> None:
    user = UserFactory(role="staff")
    response = client_for(user).post(reverse("applications:calendar"), {"days": "3; 14, 3"})
    assert response.status_code == 302
    assert _stored(user) == [14, 3]
    [event] = AuditEvent.objects.filter(action="accounts.reminder_days_set")
    assert event.actor_id == user.pk and event.changes == {"reminder_days": {"before": [7, 1], "after": [14, 3]}}


def test_a_refused_value_on_the_page_says_why_and_keeps_the_old_reminders() -> None:
    user = UserFactory(role="staff")
    client = client_for(user)
    for typed, reason in (
        ("7, 61", "0–60\u00a0дней"),
        ("30, 20, 10, 5, 2, 1", "Не больше 5\u00a0напоминаний"),
        ("завтра", "Только числа"),
    ):
        page = client.post(reverse("applications:calendar"), {"days": typed}).content.decode()
        assert reason in page, typed
        assert _stored(user) == [7, 1]
    assert not AuditEvent.objects.filter(action="accounts.reminder_days_set").exists()


@pytest.mark.parametrize("days", [[61], [-1], [7, 7], ["7"], [True], [1, 2, 3, 4, 5, 6]])
def test_the_service_refuses_what_the_reminder_job_could_not_use(days: list) -> None:  # type: ignore[type-arg]
    user = UserFactory()
    with pytest.raises(ValidationError):
        reminder_days_set(actor=user, days=days)
    assert _stored(user) == [7, 1]


def test_no_reminders_is_a_setting_and_saving_the_same_again_changes_nothing() -> None:
    user = UserFactory()
    assert reminder_days_set(actor=user, days=[]).reminder_days == []
    reminder_days_set(actor=user, days=[])
    assert _stored(user) == [] and AuditEvent.objects.filter(action="accounts.reminder_days_set").count() == 1


def test_the_same_rule_guards_the_field_wherever_it_is_edited() -> None:
    user = UserFactory()
    user.reminder_days = [7, "завтра"]
    with pytest.raises(ValidationError) as refused:
        user.full_clean()
    assert "reminder_days" in refused.value.message_dict
