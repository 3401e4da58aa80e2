"""Writes to funders, flagships and deals: every one checked, audited and in one transaction."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from projectoffice.accounts.models import User
from projectoffice.audit.services import audit_record, diff, snapshot
from projectoffice.flagships import rules
from projectoffice.flagships.matching import lower_first
from projectoffice.flagships.models import (
    OPEN_DEAL_STAGES,
    Deal,
    DealMove,
    DealSource,
    DealStage,
    Flagship,
    FunderProfile,
    Instrument,
)
from projectoffice.lib import formats
from projectoffice.lib.links import absolute_url
from projectoffice.materials.funder_classes import FunderClass
from projectoffice.projects.models import Project, ProjectInvestment
from projectoffice.projects.stages import Stage

logger = logging.getLogger(__name__)

# The way of a deal: forward one step (a meeting may lead straight to a term sheet), or declined at any open stage.
TRANSITIONS: dict[str, list[str]] = {
    DealStage.INTRO_REQUESTED: [DealStage.INTRO_MADE, DealStage.DECLINED],
    DealStage.INTRO_MADE: [DealStage.MEETING, DealStage.DECLINED],
    DealStage.MEETING: [DealStage.DUE_DILIGENCE, DealStage.TERM_SHEET, DealStage.DECLINED],
    DealStage.DUE_DILIGENCE: [DealStage.TERM_SHEET, DealStage.DECLINED],
    DealStage.TERM_SHEET: [DealStage.CLOSED, DealStage.DECLINED],
    DealStage.CLOSED: [],
    DealStage.DECLINED: [],
}

PROFILE_FIELDS = [
    "name", "funder_class", "organisation", "channel", "sectors", "ticket_min", "ticket_max", "stages", "trl_min",
    "trl_max", "geography", "instruments", "contacts", "past_deals",
]  # fmt: skip
FLAGSHIP_FIELDS = ["target_classes", "sector", "geography", "showcase", "title_en", "note"]
DEAL_FIELDS = [
    "stage", "funder_name", "funder_class", "representative_name", "representative_email", "owner", "next_step",
    "next_step_due", "amount", "instrument", "closed_on", "declined_reason",
]  # fmt: skip


class DealMoveError(Exception):
    """A move the deal flow does not allow, or one based on a stale view of the deal."""


def _require_staff(actor: User | None) -> None:
    if actor is not None and not rules.can_manage(actor):
        raise PermissionDenied("Флагманские проекты и сделки ведёт только офис.")


def _check_codes(values: list[str], choices: type[Any], field: str, label: str) -> list[str]:
    valid = set(choices.values)
    wrong = [v for v in values if v not in valid]
    if wrong:
        raise ValidationError({field: f"Неизвестные {label}: {', '.join(wrong)}."})
    return [v for v in choices.values if v in set(values)]  # in the order of the choices, without repeats


# --- funder profiles ---------------------------------------------------------------------------------------------


@transaction.atomic
def funder_profile_save(
    *, actor: User | None, data: dict[str, Any], profile: FunderProfile | None = None, is_demo: bool = False
) -> FunderProfile:
    """Create or update a funder's profile (mandate, contacts, past deals)."""
    _require_staff(actor)
    creating = profile is None
    profile = FunderProfile(is_demo=is_demo) if profile is None else profile
    before = {} if creating else snapshot(profile, PROFILE_FIELDS)
    for name in PROFILE_FIELDS:
        if name in data:
            setattr(profile, name, data[name])
    profile.stages = _check_codes(list(profile.stages or []), Stage, "stages", "стадии")
    profile.instruments = _check_codes(list(profile.instruments or []), Instrument, "instruments", "инструменты")
    if profile.organisation_id is None and profile.channel_id is None and not profile.name:
        raise ValidationError("Профиль инвестора привязывают к организации реестра или к каналу каталога.")
    profile.full_clean(exclude=["technologies"])
    profile.save()
    if "technologies" in data:
        profile.technologies.set(data["technologies"])
    changes = diff(before, snapshot(profile, PROFILE_FIELDS))
    audit_record(
        actor=actor, action="flagships.funder_created" if creating else "flagships.funder_updated",
        instance=profile, changes=changes,
    )  # fmt: skip
    return profile


# --- flagships ---------------------------------------------------------------------------------------------------


@transaction.atomic
def flagship_mark(*, actor: User | None, project: Project, data: dict[str, Any]) -> Flagship:
    """Mark a project as a flagship (or update its flagship card): the funder classes it targets, the showcase."""
    _require_staff(actor)
    flagship = Flagship.objects.select_for_update().filter(project=project).first()
    creating = flagship is None
    if flagship is None:
        flagship = Flagship(project=project, marked_by=actor)
    before = {} if creating else snapshot(flagship, FLAGSHIP_FIELDS)
    for name in FLAGSHIP_FIELDS:
        if name in data:
            setattr(flagship, name, data[name])
    targets = _check_codes(list(flagship.target_classes or []), FunderClass, "target_classes", "классы инвесторов")
    if not targets:
        raise ValidationError({"target_classes": "Отметьте хотя бы один класс инвесторов, на который нацелен проект."})
    flagship.target_classes = targets
    flagship.full_clean()
    flagship.save()
    changes = diff(before, snapshot(flagship, FLAGSHIP_FIELDS))
    if creating or changes:
        audit_record(
            actor=actor, action="flagships.marked" if creating else "flagships.updated", instance=flagship,
            changes=changes,
        )  # fmt: skip
    return flagship


@transaction.atomic
def flagship_unmark(*, actor: User | None, flagship: Flagship) -> None:
    """The project is no longer a flagship; its deals stay with the project."""
    _require_staff(actor)
    audit_record(actor=actor, action="flagships.unmarked", instance=flagship.project, message=str(flagship))
    flagship.delete()


# --- deals -------------------------------------------------------------------------------------------------------


def _funder_defaults(deal: Deal) -> None:
    if deal.funder is not None:
        deal.funder_name = deal.funder_name or deal.funder.name
        deal.funder_class = deal.funder_class or deal.funder.funder_class
        deal.funder_organisation = deal.funder_organisation or deal.funder.organisation
        deal.channel = deal.channel or deal.funder.channel
    if deal.funder_organisation is not None and not deal.funder_name:
        deal.funder_name = str(deal.funder_organisation)
    if deal.channel is not None and not deal.funder_name:
        deal.funder_name = deal.channel.provider_name or deal.channel.title
    if not deal.funder_name:
        raise ValidationError({"funder_name": "Укажите инвестора."})
    if deal.funder_class not in FunderClass.values:
        raise ValidationError({"funder_class": "Укажите класс инвестора."})


@transaction.atomic
def deal_create(
    *, actor: User | None, project: Project, data: dict[str, Any], on: dt.date | None = None, is_demo: bool = False
) -> Deal:
    """Open a conversation of a project with a funder at «intro requested»."""
    _require_staff(actor)
    on = on or timezone.localdate()
    deal = Deal(project=project, stage=DealStage.INTRO_REQUESTED, stage_changed_on=on, is_demo=is_demo)
    for name in ["funder", "funder_organisation", "channel", *DEAL_FIELDS]:
        if name in data and name not in {"stage", "amount", "instrument", "closed_on", "declined_reason"}:
            setattr(deal, name, data[name])
    if deal.owner is None and actor is not None:
        deal.owner = actor
    _funder_defaults(deal)
    if deal.channel is not None and deal.channel.status in {"suspended", "closed"}:
        raise ValidationError({"channel": "Канал приостановлен или закрыт: новую сделку через него не начинают."})
    deal.full_clean(exclude=["investment"])
    deal.save()
    DealMove.objects.create(deal=deal, from_stage="", to_stage=deal.stage, on=on, actor=actor, note="")
    audit_record(
        actor=actor, action="flagships.deal_created", instance=deal, changes=diff({}, snapshot(deal, DEAL_FIELDS))
    )
    return deal


@transaction.atomic
def deal_update(*, actor: User | None, deal: Deal, data: dict[str, Any]) -> bool:
    """Change the owner, the next step and its date, the representative; returns whether anything changed."""
    _require_staff(actor)
    deal = Deal.objects.select_for_update().get(pk=deal.pk)
    editable = ["owner", "next_step", "next_step_due", "representative_name", "representative_email"]
    before = snapshot(deal, DEAL_FIELDS)
    for name in editable:
        if name in data:
            setattr(deal, name, data[name])
    deal.full_clean(exclude=["investment"])
    changes = diff(before, snapshot(deal, DEAL_FIELDS))
    if not changes:
        return False
    deal.save()
    audit_record(actor=actor, action="flagships.deal_updated", instance=deal, changes=changes)
    return True


@transaction.atomic
def deal_move(
    *,
    actor: User | None,
    deal: Deal,
    to_stage: str,
    on: dt.date | None = None,
    note: str = "",
    expected_stage: str | None = None,
    amount: Decimal | None = None,
    instrument: str = "",
    declined_reason: str = "",
) -> Deal:
    """Move a deal one step. A closed deal records its amount and instrument (and an investment into the project,
    which the KPI «Привлечённые инвестиции» counts); a refusal records its reason."""
    _require_staff(actor)
    on = on or timezone.localdate()
    deal = Deal.objects.select_for_update().select_related("project").get(pk=deal.pk)
    if expected_stage is not None and expected_stage != deal.stage:
        raise DealMoveError(
            f"Сделка уже на стадии «{deal.get_stage_display()}»: кто-то перевёл её раньше. Обновите страницу."
        )
    if to_stage not in TRANSITIONS.get(deal.stage, []):
        target = DealStage(to_stage).label if to_stage in DealStage.values else to_stage
        raise DealMoveError(f"Из стадии «{deal.get_stage_display()}» нельзя перейти в «{target}».")
    if on > timezone.localdate():
        raise ValidationError({"on": "Дата шага не может быть позже сегодняшнего дня."})
    if on < deal.stage_changed_on:
        raise ValidationError({"on": "Дата шага раньше предыдущего шага сделки."})
    before = snapshot(deal, DEAL_FIELDS)
    from_stage = deal.stage
    deal.stage = to_stage
    deal.stage_changed_on = on
    if to_stage == DealStage.CLOSED:
        if amount is None or amount <= 0:
            raise ValidationError({"amount": "Укажите сумму сделки больше нуля."})
        if instrument not in Instrument.values:
            raise ValidationError({"instrument": "Укажите инструмент сделки."})
        deal.amount, deal.instrument, deal.closed_on = amount, instrument, on
        deal.next_step, deal.next_step_due = "", None
    if to_stage == DealStage.DECLINED:
        if not declined_reason.strip():
            raise ValidationError({"declined_reason": "Укажите причину отказа."})
        deal.declined_reason = declined_reason.strip()
        deal.next_step, deal.next_step_due = "", None
    deal.full_clean(exclude=["investment"])
    if to_stage == DealStage.CLOSED and amount is not None:
        deal.investment = ProjectInvestment.objects.create(
            project=deal.project,
            investor=deal.funder_organisation,
            amount=amount,
            received_on=on,
            note=f"Сделка с «{deal.funder_name}» ({lower_first(deal.get_instrument_display())})"[:300],
        )
    deal.save()
    DealMove.objects.create(deal=deal, from_stage=from_stage, to_stage=to_stage, on=on, actor=actor, note=note)
    audit_record(
        actor=actor, action="flagships.deal_moved", instance=deal, changes=diff(before, snapshot(deal, DEAL_FIELDS)),
        message=note,
    )  # fmt: skip
    return deal


@dataclass(frozen=True)
class IntroRequest:
    name: str
    organisation: str
    email: str
    funder_class: str
    message: str


@transaction.atomic
def intro_request_from_showcase(*, flagship: Flagship, request: IntroRequest) -> Deal:
    """A visitor of the public showcase asks to be introduced: a deal at «intro requested» for the office."""
    if not flagship.showcase:
        raise PermissionDenied("Проекта нет на витрине.")
    deal = Deal(
        project=flagship.project,
        funder_name=request.organisation.strip()[:300],
        funder_class=request.funder_class,
        representative_name=request.name.strip()[:200],
        representative_email=request.email.strip(),
        message=request.message.strip(),
        source=DealSource.SHOWCASE,
        stage=DealStage.INTRO_REQUESTED,
        stage_changed_on=timezone.localdate(),
        next_step="Ответить на запрос с витрины",
        next_step_due=timezone.localdate() + dt.timedelta(days=3),
    )
    deal.full_clean(exclude=["investment", "owner"])
    deal.save()
    DealMove.objects.create(deal=deal, from_stage="", to_stage=deal.stage, on=deal.stage_changed_on, note="с витрины")
    audit_record(actor=None, action="flagships.intro_requested", instance=deal, message=request.email)
    return deal


# --- reminders ---------------------------------------------------------------------------------------------------


@dataclass
class ReminderReport:
    sent: int = 0
    skipped: int = 0


def send_overdue_reminders(*, today: dt.date | None = None) -> ReminderReport:
    """One e-mail to the owner of each open deal whose next step is overdue, once per due date: the claim on
    `reminder_sent_for` is a conditional update, so a second run (or a second worker) sends nothing."""
    today = today or timezone.localdate()
    report = ReminderReport()
    overdue = (
        Deal.objects.filter(stage__in=OPEN_DEAL_STAGES, next_step_due__lt=today, owner__isnull=False)
        .exclude(owner__email="")
        .select_related("project", "owner")
    )
    for deal in overdue:
        assert deal.next_step_due is not None and deal.owner is not None
        with transaction.atomic():
            claimed = (
                Deal.objects.filter(pk=deal.pk, next_step_due=deal.next_step_due)
                .exclude(reminder_sent_for=deal.next_step_due)
                .update(reminder_sent_for=deal.next_step_due)
            )
            if not claimed:
                report.skipped += 1
                continue
            send_mail(
                subject=f"Просрочен следующий шаг сделки: {deal.project.title} × {deal.funder_name}",
                message=(
                    f"Следующий шаг «{deal.next_step or 'не указан'}» по сделке «{deal.project.title}» с "
                    f"«{deal.funder_name}» (стадия: {deal.get_stage_display()}) был назначен на "
                    f"{formats.date(deal.next_step_due)}.\n" + absolute_url(reverse("flagships:deal", args=[deal.pk]))
                ),
                from_email=None,
                recipient_list=[deal.owner.email],
            )
        report.sent += 1
    logger.info("deal reminders: sent %s, already sent %s", report.sent, report.skipped)
    return report
