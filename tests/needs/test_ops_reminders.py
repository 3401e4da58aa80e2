"""Reminders about needs nobody took: day 9, last call on day 21, abandonment on day 45 (days from settings), the
experts' weekly summary, the staff's page of needs by age with its one-click reminder; each reminder sent once."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections  # noqa: F401  (connection: the skipif condition)
from django.urls import reverse
from django.utils import timezone

from projectoffice.audit.models import AuditEvent
from projectoffice.needs import reminders
from projectoffice.needs.models import MatchStatus, Need, NeedStatus, ReminderKind, ReminderLog
from projectoffice.needs.tasks import send_reminders_task
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.needs.ops_factories import ExpertFactory, MatchFactory, NeedFactory, sent_need

pytestmark = pytest.mark.django_db


def test_a_need_nobody_took_for_nine_days_reminds_its_experts_once() -> None:
    need = sent_need(9.2, experts=2)
    sent_need(8.5)  # too young
    report = reminders.send_need_reminders()
    assert report.sent == {ReminderKind.DAY_9: 1}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.expert.user.email for m in need.matches.all())
    assert "Напоминание" in mail.outbox[0].subject and f"№{need.pk}" in mail.outbox[0].body
    mail.outbox.clear()
    assert reminders.send_need_reminders().total == 0 and mail.outbox == []


def test_the_last_call_goes_on_day_21_and_says_when_the_need_will_be_abandoned() -> None:
    sent_need(21.5)
    reminders.send_need_reminders()
    assert len(mail.outbox) == 1 and mail.outbox[0].subject.startswith("Последний звонок")
    assert "24\xa0дня" in mail.outbox[0].body


def test_on_day_45_the_need_is_abandoned_and_the_enterprise_told_once() -> None:
    need = sent_need(45.1)
    reminders.send_need_reminders()
    need.refresh_from_db()
    assert need.status == NeedStatus.ABANDONED and need.abandoned_at is not None
    assert [m.to for m in mail.outbox] == [[need.request.contact_email]]
    assert "никто из экспертов" in mail.outbox[0].body
    assert AuditEvent.objects.filter(action="needs.abandoned").count() == 1
    reminders.send_need_reminders()
    assert len(mail.outbox) == 1


def test_the_days_come_from_the_settings(settings) -> None:  # type: ignore[no-untyped-def]
    settings.NEEDS_REMINDER_DAYS, settings.NEEDS_LAST_CALL_DAYS, settings.NEEDS_ABANDON_DAYS = 3, 5, 7
    young, middle, old = sent_need(3.5), sent_need(5.5), sent_need(7.5)
    reminders.send_need_reminders()
    kinds = dict(ReminderLog.objects.values_list("need_id", "kind"))
    assert kinds == {young.pk: ReminderKind.DAY_9, middle.pk: ReminderKind.LAST_CALL, old.pk: ReminderKind.ABANDONED}


def test_a_need_someone_took_gets_no_reminder() -> None:
    need = sent_need(30)
    Need.objects.filter(pk=need.pk).update(status=NeedStatus.TAKEN)
    assert reminders.send_need_reminders().total == 0 and mail.outbox == []


def test_a_failed_email_leaves_the_reminder_unsent_so_the_next_run_retries_it(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    sent_need(10)
    monkeypatch.setattr(reminders.EmailMessage, "send", lambda self: (_ for _ in ()).throw(OSError("SMTP down")))
    report = reminders.send_need_reminders()
    assert report.total == 0 and len(report.failures) == 1 and ReminderLog.objects.count() == 0
    monkeypatch.undo()
    assert reminders.send_need_reminders().total == 1 and len(mail.outbox) == 1


def test_the_weekly_summary_goes_to_each_expert_with_open_needs_once_a_week() -> None:
    expert = ExpertFactory()
    MatchFactory(expert=expert)
    MatchFactory(expert=expert, status=MatchStatus.TAKEN)
    idle = ExpertFactory()
    MatchFactory(expert=idle, status=MatchStatus.HELPED)
    now = timezone.now()
    assert reminders.send_weekly_summaries(now=now).total == 1
    assert mail.outbox[0].to == [expert.user.email]
    assert "Ждут ответа: 1; в работе: 1." in mail.outbox[0].body
    assert reminders.send_weekly_summaries(now=now + dt.timedelta(hours=1)).total == 0
    assert reminders.send_weekly_summaries(now=now + dt.timedelta(days=7)).total == 1


def test_the_command_and_the_task_run_the_same_job(capsys) -> None:  # type: ignore[no-untyped-def]
    sent_need(9.5)
    call_command("send_need_reminders")
    assert "Напоминаний по потребностям: 1" in capsys.readouterr().out
    sent_need(9.5)
    result = send_reminders_task.delay().get()
    assert result["sent"][ReminderKind.DAY_9] == 1 and result["failed"] == []


def test_staff_see_needs_by_age_and_remind_in_one_click_once_a_day() -> None:
    old, young = sent_need(12), sent_need(2)
    staff = client_for(UserFactory(role="staff"))
    page = staff.get(reverse("needs:ops-ages"))
    assert page.status_code == 200
    rows = [row.need.pk for row in page.context["rows"]]
    assert rows.index(old.pk) < rows.index(young.pk)
    assert "12\xa0дней" in page.content.decode()
    answer = staff.post(reverse("needs:ops-remind", args=[young.pk]), follow=True)
    assert "напоминание отправлено (1\xa0адрес)" in answer.content.decode() and len(mail.outbox) == 1
    again = staff.post(reverse("needs:ops-remind", args=[young.pk]), follow=True)
    assert "уже напоминали" in again.content.decode() and len(mail.outbox) == 1


def test_a_need_nobody_was_sent_to_cannot_be_reminded() -> None:
    need = NeedFactory()
    staff = client_for(UserFactory(role="staff"))
    answer = staff.post(reverse("needs:ops-remind", args=[need.pk]), follow=True)
    assert "Никто из получателей не ждёт ответа" in answer.content.decode() and mail.outbox == []


@pytest.mark.parametrize("role", ["expert", "member", "grantor", "community"])
def test_only_staff_open_the_ages_page_and_remind(role: str) -> None:
    need = sent_need(12)
    client = client_for(UserFactory(role=role))
    assert client.get(reverse("needs:ops-ages")).status_code == 403
    assert client.post(reverse("needs:ops-remind", args=[need.pk])).status_code == 403
    assert mail.outbox == []


def test_the_ages_page_takes_the_same_number_of_queries_for_more_needs(django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    staff = client_for(UserFactory(role="staff"))
    sent_need(10)
    staff.get(reverse("needs:ops-ages"))
    for days in range(12):
        sent_need(days + 1, experts=2)
    with django_assert_max_num_queries(12):
        assert staff.get(reverse("needs:ops-ages")).status_code == 200


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs PostgreSQL (DATABASE_URL)")
def test_two_concurrent_workers_send_every_reminder_exactly_once() -> None:
    needs = [sent_need((9.5, 21.5, 45.5)[i % 3], experts=2) for i in range(12)]
    experts = [ExpertFactory() for _ in range(4)]
    for expert in experts:
        MatchFactory(expert=expert)
    barrier = threading.Barrier(2)
    errors: list[Exception] = []

    def worker() -> None:
        try:
            barrier.wait()
            reminders.send_need_reminders()  # the service itself, without the job lock: the constraint alone
            reminders.send_weekly_summaries()
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    waiting = [n for i, n in enumerate(needs) if i % 3 < 2]  # day 9 and last call: both experts of each
    abandoned = [n for i, n in enumerate(needs) if i % 3 == 2]  # the enterprise
    weekly = len(experts) + 2 * len(waiting)  # every expert with an open need, once
    assert len(mail.outbox) == 2 * len(waiting) + len(abandoned) + weekly
    assert ReminderLog.objects.filter(need__isnull=False).count() == len(needs)
    assert ReminderLog.objects.filter(kind=ReminderKind.WEEKLY).count() == weekly
