"""Outcomes of a need: the satisfaction survey and the pilot project a need becomes.

- `send_surveys`: NEEDS_SURVEY_DAYS (10) days after the first of a need's matches closes (помогли, не помогли, не
  удалось связаться), the enterprise's contact gets the survey by a signed link, once (the survey row is one per
  need: a second worker's insert fails on it). The answer is shared with the experts who closed the need.
- `pilot_create`: staff turn the outcome into a pilot project in the pipeline: the enterprise leads it, the IT
  company is its partner, and the investment is recorded as the project's investment (`ProjectInvestment`). The
  KPI ledger counts it through the existing methods: the enterprise in «Промышленные предприятия с проектами
  цифровизации» (method `digitalisation`: industrial organisations leading or partnering a project) and the money in
  «Привлечённые инвестиции» (method `investment`), each figure with the project behind it as its record.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Exists, Min, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from projectoffice.accounts.models import User
from projectoffice.accounts.rules import is_staff
from projectoffice.audit.services import audit_record
from projectoffice.lib.jobs import Failure, JobRun
from projectoffice.lib.links import absolute_url
from projectoffice.needs.models import (
    MatchStatus,
    Need,
    SatisfactionSurvey,
    SurveyOutcome,
)
from projectoffice.organisations.models import Organisation, OrganisationKind
from projectoffice.projects.models import PartnerRole, Project, ProjectInvestment
from projectoffice.projects.services import project_create

logger = logging.getLogger(__name__)

CLOSED_MATCH_STATUSES = (MatchStatus.HELPED, MatchStatus.NOT_HELPED, MatchStatus.UNREACHABLE)
SURVEY_SALT = "needs.survey"
SURVEY_MAX_AGE = dt.timedelta(days=120)  # a survey link older than four months no longer opens


class OutcomeError(Exception):
    """A survey link that does not work, an answer given twice, a pilot that cannot be created."""


@dataclass
class SurveyReport:
    sent: int = 0
    failures: list[Failure] = field(default_factory=list)


# --- the survey ---------------------------------------------------------------------------------------------


def survey_link(survey: SatisfactionSurvey) -> str:
    return absolute_url(reverse("needs:ops-survey", args=[signing.dumps(survey.token, salt=SURVEY_SALT)]))


def surveys_due(now: dt.datetime) -> QuerySet[Need]:
    """Needs whose first closed match closed at least NEEDS_SURVEY_DAYS ago and that have no survey yet."""
    due = now - dt.timedelta(days=settings.NEEDS_SURVEY_DAYS)
    return (
        Need.objects.filter(merged_into__isnull=True)
        .annotate(first_closed=Min("matches__closed_at", filter=Q(matches__status__in=CLOSED_MATCH_STATUSES)))
        .filter(first_closed__lte=due)
        .exclude(Exists(SatisfactionSurvey.objects.filter(need=OuterRef("pk"))))
        .select_related("request", "subject")
        .order_by("first_closed", "pk")
    )


def _survey_email(need: Need, link: str) -> None:
    request = need.request
    EmailMessage(
        subject="Как прошла работа по вашей потребности? Опрос на 1 минуту",
        body=(
            f"Здравствуйте, {request.contact_name}!\n\n"
            f"Недавно эксперты закончили работу по вашей потребности «{need.subject}» (№{need.pk}). Расскажите, "
            "пожалуйста, связались ли с вами, было ли это полезно и к чему привело — четыре вопроса:\n"
            f"{link}\n\nОтветы увидят эксперты, которые с вами работали. Спасибо!\n\n"
            "Проектный офис цифрового развития"
        ),
        to=[request.contact_email],
    ).send()


def send_surveys(*, now: dt.datetime | None = None) -> SurveyReport:
    """Send each due survey once: the survey row (one per need) and the e-mail in one transaction."""
    now = now or timezone.now()
    report = SurveyReport()
    run = JobRun("need surveys", logger)
    for need in surveys_due(now):
        with run.item(f"need={need.pk} survey"), transaction.atomic():
            try:
                with transaction.atomic():
                    survey = SatisfactionSurvey.objects.create(need=need, token=secrets.token_urlsafe(32), sent_at=now)
            except IntegrityError:  # another worker sent it a moment ago
                continue
            _survey_email(need, survey_link(survey))
            report.sent += 1
    report.failures = run.failures
    run.finish(f"surveys sent: {report.sent}")
    return report


def survey_by_token(signed: str) -> SatisfactionSurvey:
    try:
        token = signing.loads(signed, salt=SURVEY_SALT, max_age=SURVEY_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise OutcomeError("Срок ссылки на опрос истёк. Напишите нам, если хотите поделиться впечатлениями.") from exc
    except signing.BadSignature as exc:
        raise OutcomeError("Ссылка на опрос повреждена или ненастоящая.") from exc
    survey = (
        SatisfactionSurvey.objects.select_related("need__subject", "need__request").filter(token=str(token)).first()
    )
    if survey is None:
        raise OutcomeError("Опрос не найден.")
    return survey


def _experts_of(need: Need) -> list[str]:
    """Who worked on the need: the experts of its closed matches and whoever took a match."""
    addresses = set()
    for match in need.matches.select_related("expert__user", "taken_by"):
        if match.status not in CLOSED_MATCH_STATUSES and match.status != MatchStatus.TAKEN:
            continue
        for user in (match.expert.user if match.expert else None, match.taken_by):
            if user is not None and user.email:
                addresses.add(user.email)
    return sorted(addresses)


def _yes_no(value: bool | None) -> str:
    return "да" if value else ("нет" if value is False else "—")


def survey_answer(
    *, signed: str, contacted: bool, useful: bool, outcome: str, rating: int | None = None, comment: str = "",
    now: dt.datetime | None = None,
) -> SatisfactionSurvey:  # fmt: skip
    """Store the enterprise's answer once (a second submission is refused, the first answer kept) and share it with
    the experts who worked on the need."""
    now = now or timezone.now()
    survey = survey_by_token(signed)
    if outcome not in SurveyOutcome.values:
        raise ValidationError({"outcome": "Выберите итог из списка."})
    with transaction.atomic():
        locked = SatisfactionSurvey.objects.select_for_update().get(pk=survey.pk)
        if locked.answered_at is not None:
            raise OutcomeError("Вы уже ответили на этот опрос — спасибо! Ответ можно дать один раз.")
        locked.contacted, locked.useful, locked.outcome = contacted, useful, outcome
        locked.rating, locked.comment, locked.answered_at = rating, comment.strip(), now
        locked.full_clean()
        locked.save(update_fields=["contacted", "useful", "outcome", "rating", "comment", "answered_at"])
        audit_record(actor=None, action="needs.survey_answered", instance=locked.need,
                     message=f"итог: {locked.get_outcome_display()}")  # fmt: skip
        need = locked.need
        body = (
            f"Предприятие ответило на опрос по потребности №{need.pk} «{need.subject}».\n\n"
            f"С ними связались: {_yes_no(contacted)}\nБыло полезно: {_yes_no(useful)}\n"
            f"Итог: {locked.get_outcome_display()}\n"
            + (f"Оценка: {rating} из 5\n" if rating else "")
            + (f"Комментарий: {locked.comment}\n" if locked.comment else "")
            + "\nПроектный офис цифрового развития"
        )
        subject = f"Отзыв предприятия по потребности №{need.pk}"
        for address in _experts_of(need):
            transaction.on_commit(functools.partial(_share, address, subject, body))
    return locked


def _share(address: str, subject: str, body: str) -> None:
    EmailMessage(subject=subject, body=body, to=[address]).send()


# --- the pilot project -----------------------------------------------------------------------------------------


def pilot_vendors(need: Need) -> list[Organisation]:
    """IT companies the need was matched with through their solutions: the likely partners of its pilot."""
    ids = need.matches.filter(solution__isnull=False).values_list("solution__vendor_id", flat=True)
    return list(Organisation.objects.filter(pk__in=ids).order_by("short_name", "name"))


def pilot_create(
    *, actor: User, need: Need, title: str, summary: str, it_company: Organisation, investment: Decimal | None,
    received_on: dt.date | None = None,
) -> Project:  # fmt: skip
    """«Создать пилотный проект»: a project in the pipeline led by the enterprise with the IT company as its partner,
    the investment recorded with it; the need keeps a link to it. Staff only; once per need."""
    if not is_staff(actor):
        raise PermissionDenied("Пилотный проект создаёт сотрудник офиса.")
    if it_company.kind != OrganisationKind.IT_COMPANY:
        raise ValidationError({"it_company": "Партнёром пилота может быть только ИТ-компания."})
    if investment is not None and investment < 0:
        raise ValidationError({"investment": "Инвестиции не могут быть отрицательными."})
    with transaction.atomic():
        locked = Need.objects.select_for_update().select_related("organisation").get(pk=need.pk)
        if locked.pilot_project_id:
            raise OutcomeError("По этой потребности пилотный проект уже создан.")
        if locked.organisation_id == it_company.pk:
            raise ValidationError({"it_company": "Предприятие не может быть партнёром собственного пилота."})
        project = project_create(
            actor=actor,
            data={
                "title": title.strip(),
                "summary": summary.strip(),
                "problem": locked.description,
                "lead_organisation": locked.organisation,
                "budget_total": investment or Decimal(0),
            },
            partners=[(it_company, PartnerRole.OTHER)],
            is_demo=locked.is_demo,
        )
        if investment:
            record = ProjectInvestment(
                project=project,
                investor=locked.organisation,
                amount=investment,
                received_on=received_on or timezone.localdate(),
                note=f"пилот по потребности №{locked.pk}",
            )
            record.full_clean()
            record.save()
        locked.pilot_project, locked.investment = project, investment
        locked.save(update_fields=["pilot_project", "investment"])
        audit_record(actor=actor, action="needs.pilot_created", instance=locked,
                     message=f"пилотный проект «{project.title}» с {it_company}")  # fmt: skip
    return project
