from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from projectoffice.participation import digests, services
from projectoffice.participation.models import DigestSent, DigestSetting, Notification
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
SAMARA = ZoneInfo("Europe/Samara")
MONDAY_MORNING = dt.datetime(2026, 12, 7, 8, 15, tzinfo=SAMARA)
TUESDAY_MORNING = dt.datetime(2026, 12, 8, 8, 15, tzinfo=SAMARA)


def _person(frequency: str):  # type: ignore[no-untyped-def]
    user = UserFactory(first_name="Анна")
    services.digest_set(actor=user, frequency=frequency)
    services.notify(user, "Опубликован ответ на ваше предложение «Открытые данные»", "/participation/proposals/1/")
    Notification.objects.filter(user=user).update(created_at=dt.datetime(2026, 12, 6, 23, 30, tzinfo=SAMARA))
    return user


def test_a_daily_digest_goes_out_once_in_russian_with_local_times() -> None:
    user = _person("daily")
    report = digests.send_participation_digests(now=TUESDAY_MORNING)
    assert report.sent == 1 and len(mail.outbox) == 1
    letter = mail.outbox[0]
    assert letter.to == [user.email] and letter.subject == "Участие: 1\xa0новое уведомление"
    assert "06.12.2026 23:30" in letter.body and "Открытые данные" in letter.body
    assert "http://" in letter.body and "/participation/proposals/1/" in letter.body
    again = digests.send_participation_digests(now=TUESDAY_MORNING + dt.timedelta(minutes=5))
    assert again.sent == 0 and len(mail.outbox) == 1 and DigestSent.objects.count() == 1


def test_a_notification_is_mailed_in_one_digest_only() -> None:
    user = _person("daily")
    digests.send_participation_digests(now=MONDAY_MORNING)
    services.notify(user, "Новый комментарий", "")
    digests.send_participation_digests(now=TUESDAY_MORNING)
    assert len(mail.outbox) == 2 and "Открытые данные" not in mail.outbox[1].body
    assert "Новый комментарий" in mail.outbox[1].body


def test_a_weekly_digest_goes_out_on_mondays_only_and_none_never() -> None:
    _person("weekly")
    _person("none")
    assert digests.send_participation_digests(now=TUESDAY_MORNING).sent == 0
    assert digests.send_participation_digests(now=MONDAY_MORNING).sent == 1
    assert DigestSent.objects.get().period == "2026-W50"


def test_a_failed_letter_is_taken_back_and_sent_next_time() -> None:
    _person("daily")

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("почтовый сервер недоступен")

    report = digests.send_participation_digests(now=TUESDAY_MORNING, send=refuse)
    assert report.sent == 0 and len(report.failures) == 1
    assert not DigestSent.objects.exists() and not Notification.objects.filter(emailed_at__isnull=False).exists()
    assert digests.send_participation_digests(now=TUESDAY_MORNING).sent == 1


def test_the_setting_is_on_the_notifications_page_and_bad_input_changes_nothing() -> None:
    user = UserFactory()
    client = client_for(user)
    page = client.get("/participation/notifications/").content.decode()
    assert "Раз в неделю" in page and 'value="none" checked' in page
    client.post("/participation/notifications/", {"frequency": "weekly"})
    assert DigestSetting.objects.get(user=user).frequency == "weekly"
    response = client.post("/participation/notifications/", {"frequency": "hourly"}, follow=True)
    assert "Выберите, как часто" in response.content.decode()
    assert DigestSetting.objects.get(user=user).frequency == "weekly"


def test_the_digest_runs_every_morning_in_the_beat_schedule() -> None:
    from config.celery import app

    entry = app.conf.beat_schedule["participation-digests"]
    assert entry["task"] == "participation.send_digests"


def test_the_command_sends_the_digests_and_says_how_many() -> None:
    import io

    from django.core.management import call_command

    user = UserFactory()
    services.digest_set(actor=user, frequency="daily")
    services.notify(user, "Новый комментарий к предложению", "/participation/proposals/1/")
    out = io.StringIO()
    call_command("send_participation_digests", stdout=out)
    assert "писем: 1" in out.getvalue() and len(mail.outbox) == 1
