"""E-mail digests of participation notifications (answers, comments on what one follows, dispositions, moderation),
daily or weekly as each person chose on the notifications page; built like the opportunity digests
(matching/digests.py): the same job log (JobRun), one run at a time (once_at_a_time), rows locked while their
digest is recorded, records committed before the e-mail goes out and taken back if it fails.

Each digest is sent once: DigestSent is unique per person and period (the local day, or the ISO week for the weekly
ones, sent on Mondays), and each notification is marked `emailed_at` so it reaches the mailbox in one digest only.
Times in the letter are local (Europe/Samara), the text Russian.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.mail import get_connection, send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from projectoffice.lib import formats
from projectoffice.lib.jobs import Failure, JobRun
from projectoffice.lib.links import absolute_url
from projectoffice.participation.models import DigestFrequency, DigestSent, DigestSetting, Notification

MAX_ITEMS = 50  # the rest wait on the notifications page (and go in the next digest)
logger = logging.getLogger(__name__)


@dataclass
class DigestReport:
    people: int = 0
    sent: int = 0
    items: int = 0
    failures: list[Failure] = field(default_factory=list)


def period_of(frequency: str, local_day: dt.date) -> str | None:
    """The period a digest sent on this local day covers, or None when this frequency sends nothing today."""
    if frequency == DigestFrequency.DAILY:
        return local_day.isoformat()
    if frequency == DigestFrequency.WEEKLY and local_day.weekday() == 0:
        year, week, _ = local_day.isocalendar()
        return f"{year}-W{week:02d}"
    return None


@transaction.atomic
def _record(setting_id: int, period: str, now: dt.datetime) -> tuple[DigestSetting, list[Notification]] | None:
    """Lock the person's setting, skip if this period's digest exists or nothing is new; else record it."""
    setting = (
        DigestSetting.objects.select_for_update(skip_locked=True).select_related("user").filter(pk=setting_id).first()
    )
    if setting is None or DigestSent.objects.filter(user_id=setting.user_id, period=period).exists():
        return None  # another worker has it right now, or it went out already
    notices = list(
        Notification.objects.filter(user_id=setting.user_id, emailed_at__isnull=True, created_at__lte=now).order_by(
            "-created_at", "-pk"
        )[:MAX_ITEMS]
    )
    if not notices:
        return None
    try:
        with transaction.atomic():
            DigestSent.objects.create(user_id=setting.user_id, period=period, items=len(notices), sent_at=now)
    except IntegrityError:
        return None
    Notification.objects.filter(pk__in=[n.pk for n in notices]).update(emailed_at=now)
    DigestSetting.objects.filter(pk=setting.pk).update(last_sent_at=now)
    return setting, notices


@transaction.atomic
def _take_back(setting: DigestSetting, period: str, notices: list[Notification]) -> None:
    DigestSent.objects.filter(user_id=setting.user_id, period=period).delete()
    Notification.objects.filter(pk__in=[n.pk for n in notices]).update(emailed_at=None)


def _email(setting: DigestSetting, notices: list[Notification], *, connection: Any = None) -> None:
    user = setting.user
    weekly = setting.frequency == DigestFrequency.WEEKLY
    lines = [f"Здравствуйте, {user.first_name or user.username}!", "",
             "Новое в обсуждениях проектного офиса " + ("за неделю:" if weekly else "за день:"), ""]  # fmt: skip
    for notice in notices:
        lines.append(f"• {formats.datetime(notice.created_at)} — {notice.text}")
        if notice.url:
            lines.append(f"  {absolute_url(notice.url)}")
    settings_url = absolute_url(reverse("participation:notifications"))
    lines += ["", f"Все уведомления и настройка писем: {settings_url}"]
    news = formats.plural(len(notices), "новое уведомление", "новых уведомления", "новых уведомлений")
    send_mail(subject=f"Участие: {news}", message="\n".join(lines), from_email=None, recipient_list=[user.email],
              fail_silently=False, connection=connection)  # fmt: skip


def send_participation_digests(
    *, now: dt.datetime | None = None, send: Callable[..., None] | None = None
) -> DigestReport:
    """Send today's daily digests (and on Mondays the weekly ones); safe to run again: nothing is sent twice."""
    now = now or timezone.now()
    local_day = timezone.localtime(now).date()
    report = DigestReport()
    run = JobRun("participation digests", logger)
    deliver = send or _email
    settings = (
        DigestSetting.objects.filter(
            frequency__in=[DigestFrequency.DAILY, DigestFrequency.WEEKLY], user__is_active=True
        )
        .exclude(user__email="")
        .order_by("pk")
        .values_list("pk", "frequency")
    )
    connection = get_connection()
    for setting_id, frequency in settings:
        period = period_of(frequency, local_day)
        if period is None:
            continue
        report.people += 1
        with run.item(f"digest setting={setting_id} period={period}"):
            recorded = _record(setting_id, period, now)
            if recorded is None:
                continue
            setting, notices = recorded
            try:
                deliver(setting, notices, connection=connection)
            except Exception:
                _take_back(setting, period, notices)
                raise
            report.sent += 1
            report.items += len(notices)
    report.failures = run.failures
    run.finish(f"people: {report.people}, sent: {report.sent}, notifications: {report.items}")
    return report
