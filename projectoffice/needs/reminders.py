"""Reminders about needs nobody took, the experts' weekly summary and the staff's one-click reminder.

Every reminder is sent exactly once, however many workers run the job at the same moment: the row that says it was
sent (`ReminderLog`, unique per need or expert, kind and key) is inserted in the same transaction as the e-mail is
sent. A second worker's insert waits for the first one's transaction and then fails on the unique constraint, so it
skips that reminder; an e-mail that fails rolls its row back, so the next run retries it. The periodic job also
holds a lock (`lib.locks.once_at_a_time`), which spares the second worker the work, but correctness rests on the
constraint.

The stages of a need nobody took, counted in days since it was first sent (settings, days configurable):
`NEEDS_REMINDER_DAYS` (9) a reminder to the matched experts, `NEEDS_LAST_CALL_DAYS` (21) a last call,
`NEEDS_ABANDON_DAYS` (45) the need is abandoned and the enterprise is told so. A need whose job was down for a
while gets only the stage it is at now, not the ones it missed.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from projectoffice.audit.services import audit_record
from projectoffice.lib import formats
from projectoffice.lib.jobs import Failure, JobRun
from projectoffice.lib.links import absolute_url
from projectoffice.needs.models import (
    Expert,
    Match,
    MatchKind,
    MatchStatus,
    Need,
    NeedStatus,
    ReminderKind,
    ReminderLog,
)

logger = logging.getLogger(__name__)

OPEN_STATUSES = (NeedStatus.NEW, NeedStatus.SENT, NeedStatus.TAKEN)
OPEN_MATCH_STATUSES = (MatchStatus.NEW, MatchStatus.TAKEN)


class ReminderError(Exception):
    """A reminder that cannot be sent (nobody to send it to, the need is no longer waiting)."""


@dataclass
class ReminderReport:
    sent: dict[str, int] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)

    def add(self, kind: str, count: int = 1) -> None:
        self.sent[kind] = self.sent.get(kind, 0) + count

    @property
    def total(self) -> int:
        return sum(self.sent.values())


# --- addresses and links -------------------------------------------------------------------------------------


def need_url(need: Need) -> str:
    """The need's page for whoever handles it (the other part of the app names it `needs:detail`)."""
    for name in ("needs:detail", "needs:need"):
        try:
            return absolute_url(reverse(name, args=[need.pk]))
        except NoReverseMatch:
            continue
    return absolute_url(reverse("needs:ops-ages"))


def _recipients_of(need: Need) -> list[str]:
    """Who was sent the need and has not answered it: experts' and institutions' addresses."""
    addresses: list[str] = []
    for match in need.matches.all():
        if match.status != MatchStatus.NEW:
            continue
        if match.kind == MatchKind.EXPERT and match.expert and match.expert.user.email:
            addresses.append(match.expert.user.email)
        elif match.kind == MatchKind.INSTITUTION and match.institution and match.institution.email:
            addresses.append(match.institution.email)
    return sorted(set(addresses))


def _send(to: Iterable[str], subject: str, body: str) -> int:
    to = sorted(set(to))
    if not to:
        return 0
    # one message per address: an expert never sees the others' addresses
    for address in to:
        EmailMessage(subject=subject, body=body, to=[address]).send()
    return len(to)


# --- sending once -------------------------------------------------------------------------------------------


def _claim(**log: Any) -> bool:
    """Insert the reminder's row inside the caller's transaction; False when it was sent already (or is being sent
    by another worker right now: the insert waits for that worker and then fails)."""
    try:
        with transaction.atomic():
            ReminderLog.objects.create(**log)
    except IntegrityError:
        return False
    return True


def waiting_needs(now: dt.datetime | None = None) -> QuerySet[Need]:
    """Needs sent out that nobody took yet, oldest first, with the matches and addresses reminders need."""
    return (
        Need.objects.filter(status=NeedStatus.SENT, first_sent_at__isnull=False, merged_into__isnull=True)
        .select_related("request", "organisation", "subject")
        .prefetch_related(
            Prefetch("matches", queryset=Match.objects.select_related("expert__user", "institution", "solution"))
        )
        .order_by("first_sent_at", "pk")
    )


def _stage(need: Need, now: dt.datetime) -> str | None:
    age = now - need.first_sent_at if need.first_sent_at else dt.timedelta(0)
    if age >= dt.timedelta(days=settings.NEEDS_ABANDON_DAYS):
        return ReminderKind.ABANDONED
    if age >= dt.timedelta(days=settings.NEEDS_LAST_CALL_DAYS):
        return ReminderKind.LAST_CALL
    if age >= dt.timedelta(days=settings.NEEDS_REMINDER_DAYS):
        return ReminderKind.DAY_9
    return None


def _remind_experts(need: Need, kind: str, now: dt.datetime) -> int:
    days = (now - need.first_sent_at).days if need.first_sent_at else 0
    last = kind == ReminderKind.LAST_CALL
    subject = (
        "Последний звонок: " if last else "Напоминание: "
    ) + f"потребность предприятия ждёт ответа ({need.subject})"
    body = (
        f"Здравствуйте!\n\n{formats.plural(days, 'день', 'дня', 'дней')} назад вам отправлена потребность "
        f"№{need.pk} «{need.subject}», и её пока никто не взял в работу.\n"
        + (
            f"Если её не возьмут, через {formats.plural(settings.NEEDS_ABANDON_DAYS - days, 'день', 'дня', 'дней')} "
            "она будет закрыта как заброшенная, и предприятие получит об этом письмо.\n"
            if last
            else ""
        )
        + f"\nВозьмите её в работу или отметьте «не мой профиль»: {need_url(need)}\n\nПроектный офис цифрового развития"
    )
    return _send(_recipients_of(need), subject, body)


def _abandon(need: Need, now: dt.datetime) -> int:
    """Mark the need abandoned (only if it is still waiting) and tell the enterprise."""
    if not Need.objects.filter(pk=need.pk, status=NeedStatus.SENT).update(
        status=NeedStatus.ABANDONED, abandoned_at=now
    ):
        return 0
    audit_record(actor=None, action="needs.abandoned", instance=need,
                 message="никто не взял в работу за "
                 + formats.plural(settings.NEEDS_ABANDON_DAYS, "день", "дня", "дней"))  # fmt: skip
    request = need.request
    body = (
        f"Здравствуйте, {request.contact_name}!\n\n"
        f"К сожалению, за {formats.plural(settings.NEEDS_ABANDON_DAYS, 'день', 'дня', 'дней')} никто из экспертов "
        f"не взял в работу вашу потребность «{need.subject}» (№{need.pk}). Мы закрываем её и разберёмся, почему так "
        "вышло. Вы можете подать обращение снова или ответить на это письмо — сотрудник офиса свяжется с вами.\n\n"
        "Проектный офис цифрового развития"
    )
    return _send([request.contact_email], "Ваша потребность осталась без ответа", body)


def send_need_reminders(*, now: dt.datetime | None = None) -> ReminderReport:
    """Day 9 reminders, day 21 last calls and day 45 abandonment for needs nobody took; each once."""
    now = now or timezone.now()
    report = ReminderReport()
    run = JobRun("need reminders", logger)
    for need in waiting_needs(now):
        kind = _stage(need, now)
        if kind is None:
            continue
        with run.item(f"need={need.pk} {kind}"), transaction.atomic():
            if not _claim(need=need, kind=kind, key=""):
                continue
            if kind == ReminderKind.ABANDONED:
                _abandon(need, now)
            else:
                _remind_experts(need, kind, now)
            report.add(kind)
    report.failures = run.failures
    run.finish(f"reminders sent: {report.sent}")
    return report


# --- the weekly summary ------------------------------------------------------------------------------------------


def week_key(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _summary_body(expert: Expert, matches: list[Match], now: dt.datetime) -> str:
    new = [m for m in matches if m.status == MatchStatus.NEW]
    taken = [m for m in matches if m.status == MatchStatus.TAKEN]
    lines = [f"Здравствуйте, {expert.user.get_full_name() or expert.user.username}!", ""]
    lines.append(f"Ждут ответа: {len(new)}; в работе: {len(taken)}.")
    for title, rows in (("Ждут ответа", new), ("В работе", taken)):
        if not rows:
            continue
        lines += ["", f"{title}:"]
        for match in rows:
            since = match.taken_at if match.status == MatchStatus.TAKEN and match.taken_at else match.sent_at
            days = (now - since).days
            lines.append(
                f"— №{match.need_id} «{match.need.subject}», {formats.plural(days, 'день', 'дня', 'дней')}: "
                f"{need_url(match.need)}"
            )
    lines += ["", "Проектный офис цифрового развития"]
    return "\n".join(lines)


def send_weekly_summaries(*, now: dt.datetime | None = None) -> ReminderReport:
    """Each active expert with open matches gets one summary per ISO week (the first run of the week sends it)."""
    now = now or timezone.now()
    key = week_key(timezone.localdate(now))
    report = ReminderReport()
    run = JobRun("weekly expert summaries", logger)
    open_matches = Match.objects.filter(
        expert=OuterRef("pk"), status__in=OPEN_MATCH_STATUSES, need__status__in=OPEN_STATUSES
    )
    already = ReminderLog.objects.filter(expert=OuterRef("pk"), kind=ReminderKind.WEEKLY, key=key)
    experts = (
        Expert.objects.filter(is_active=True)
        .filter(Exists(open_matches))
        .exclude(Exists(already))
        .select_related("user")
        .prefetch_related(
            Prefetch(
                "matches",
                queryset=Match.objects.filter(status__in=OPEN_MATCH_STATUSES, need__status__in=OPEN_STATUSES)
                .select_related("need__subject")
                .order_by("sent_at", "pk"),
                to_attr="open_matches",
            )
        )
        .order_by("pk")
    )
    for expert in experts:
        if not expert.user.email:
            continue
        with run.item(f"expert={expert.pk} week={key}"), transaction.atomic():
            if not _claim(expert=expert, kind=ReminderKind.WEEKLY, key=key):
                continue
            _send(
                [expert.user.email],
                f"Ваши потребности на неделю {key}",
                _summary_body(expert, expert.open_matches, now),
            )
            report.add(ReminderKind.WEEKLY)
    report.failures = run.failures
    run.finish(f"weekly summaries sent: {report.total}")
    return report


# --- by hand ---------------------------------------------------------------------------------------------------


def remind_now(*, actor: Any, need: Need, now: dt.datetime | None = None) -> int:
    """The staff's one-click reminder to everyone the need was sent to and who has not answered; once a day per
    need (a second click the same day says so). Returns how many addresses it went to."""
    now = now or timezone.now()
    need = (
        Need.objects.select_related("subject", "request")
        .prefetch_related(Prefetch("matches", queryset=Match.objects.select_related("expert__user", "institution")))
        .get(pk=need.pk)
    )
    if need.status not in OPEN_STATUSES:
        raise ReminderError("Потребность уже закрыта — напоминать некому.")
    recipients = _recipients_of(need)
    if not recipients:
        raise ReminderError("Никто из получателей не ждёт ответа: потребность ещё не отправлена или уже взята.")
    with transaction.atomic():
        if not _claim(need=need, kind=ReminderKind.MANUAL, key=timezone.localdate(now).isoformat()):
            raise ReminderError("Сегодня по этой потребности уже напоминали.")
        sent = _remind_experts(need, ReminderKind.MANUAL, now)
        audit_record(actor=actor, action="needs.reminded", instance=need,
                     message=f"напоминание вручную: {formats.plural(sent, 'адрес', 'адреса', 'адресов')}")  # fmt: skip
    return sent


# --- the staff page: needs by age --------------------------------------------------------------------------------

AGE_BANDS = (
    (0, "до 9 дней"),
    (9, "9–20 дней"),
    (21, "21–44 дня"),
    (45, "45 дней и больше"),
)


@dataclass(frozen=True)
class AgedNeed:
    need: Need
    days: int
    band: str
    reminders: list[str]
    can_remind: bool


def band_of(days: int) -> str:
    label = AGE_BANDS[0][1]
    for start, name in AGE_BANDS:
        if days >= start:
            label = name
    return label


def needs_by_age(*, now: dt.datetime | None = None, status: str = "") -> list[AgedNeed]:
    """Open needs, oldest first, with their age in days (since first sent, else since created), the age band,
    the reminders already sent and whether a reminder can go now. A fixed number of queries."""
    now = now or timezone.now()
    needs = (
        Need.objects.filter(status__in=[status] if status in OPEN_STATUSES else OPEN_STATUSES, merged_into__isnull=True)
        .select_related("organisation", "subject", "municipality")
        .prefetch_related(
            Prefetch("matches", queryset=Match.objects.only("pk", "need_id", "status")),
            Prefetch("reminders", queryset=ReminderLog.objects.order_by("sent_at")),
        )
    )
    rows = []
    for need in needs:
        since = need.first_sent_at or need.created_at
        days = max((now - since).days, 0)
        reminders = [f"{r.get_kind_display()} {formats.date(r.sent_at)}" for r in need.reminders.all()]
        waiting = any(m.status == MatchStatus.NEW for m in need.matches.all())
        rows.append(AgedNeed(need, days, band_of(days), reminders, waiting))
    rows.sort(key=lambda row: (-row.days, row.need.pk))
    return rows
