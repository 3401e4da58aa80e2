"""Writes to applications: create from a match, sections (versioned, no silent overwrite), budget, attachments,
comments, review, submission and outcome. Every change is audited and the readiness score follows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from projectoffice.accounts.models import User
from projectoffice.applications import notifications, rules
from projectoffice.applications.models import (
    OPEN_STATUSES,
    Application,
    ApplicationStatus,
    Attachment,
    BudgetItem,
    Criterion,
    ExpertAssignment,
    PrefillSource,
    RequiredDocument,
    Score,
    SectionComment,
    SectionText,
    SectionVersion,
)
from projectoffice.applications.readiness import complete, parts, readiness, score_of
from projectoffice.applications.templates_loader import template_for
from projectoffice.audit.services import audit_record
from projectoffice.lib import formats
from projectoffice.lib.bounds import validate_fields
from projectoffice.lib.cleaning import strip_invisible
from projectoffice.lib.uploads import validate_upload
from projectoffice.opportunities.models import Opportunity
from projectoffice.projects.models import Project
from projectoffice.projects.services import project_move_stage
from projectoffice.projects.stages import TRANSITIONS, Stage


class SectionConflict(Exception):
    """Someone saved the section after this user opened it: their text is returned, nothing is overwritten."""

    def __init__(self, current: SectionText) -> None:
        super().__init__("Раздел уже изменили")
        self.current = current


class ConflictOfInterest(Exception):
    pass


def prefill_text(source: str, project: Project) -> str:
    organisation = project.lead_organisation
    if source == PrefillSource.SUMMARY:
        return project.summary
    if source == PrefillSource.PROBLEM:
        return project.problem or project.summary
    if source == PrefillSource.SOLUTION:
        return project.solution
    if source == PrefillSource.TEAM:
        return project.team
    if source == PrefillSource.MARKET:
        products = "; ".join(f"{p.name}: {p.description}".strip(": ") for p in organisation.products.all())
        return " ".join(filter(None, [organisation.description, products]))
    if source == PrefillSource.PLAN and project.starts_on and project.ends_on:
        return f"Срок реализации: с {formats.date(project.starts_on)} по {formats.date(project.ends_on)}."
    if source == PrefillSource.BUDGET:
        return (
            f"Бюджет проекта {_rub(project.budget_total)}: собственные средства {_rub(project.own_funds)}, "
            f"запрашиваемая поддержка {_rub(project.requested_support)}."
        )
    return ""


def _chars(count: int) -> str:
    """«3 000 знаков», «1 знака» (genitive after «длиннее», «из»)."""
    return formats.plural(count, "знака", "знаков", "знаков")


def _rub(value: Decimal) -> str:
    return formats.money(value)


def _refresh(application: Application) -> None:
    """Store the readiness score and the open status it implies (see `_open_status`)."""
    scored = parts(application)
    score = score_of(scored)
    status = _open_status(application, complete(scored))
    if score != application.readiness or status != application.status:
        Application.objects.filter(pk=application.pk).update(readiness=score, status=status)
        application.readiness, application.status = score, status


def _open_status(application: Application, is_complete: bool) -> str:
    """While an application is open its status follows its state: «Готова к подаче» once nothing is missing and
    every assigned expert has finished, «Экспертиза» while experts are assigned, else «Подготовка». Filed and
    decided applications keep their status."""
    if application.status not in OPEN_STATUSES:
        return str(application.status)
    finished = list(application.assignments.values_list("completed_at", flat=True))
    if is_complete and all(finished):
        return ApplicationStatus.READY
    return ApplicationStatus.REVIEW if finished else ApplicationStatus.DRAFT


@transaction.atomic
def application_create(*, actor: User, project: Project, opportunity: Opportunity) -> Application:
    """Start an application of the project to the opportunity, pre-filled from the project and its organisation."""
    if not rules.can_create_for(actor, project.lead_organisation_id):
        raise PermissionDenied("Заявку готовят сотрудники офиса или сама организация.")
    existing = Application.objects.filter(project=project, opportunity=opportunity).first()
    if existing is not None:
        return existing  # a double click or a second tab: one application per project and call
    template = template_for(opportunity)
    try:
        with transaction.atomic():
            application = Application.objects.create(
                project=project,
                opportunity=opportunity,
                template=template,
                deadline=opportunity.closes_on,
                created_by=actor,
            )
    except IntegrityError:
        return Application.objects.get(project=project, opportunity=opportunity)
    for section in template.sections.all():
        text = prefill_text(section.prefill, project)[: section.max_chars]
        st = SectionText.objects.create(
            application=application, section=section, text=text, version=1, updated_by=actor
        )
        SectionVersion.objects.create(section_text=st, version=1, text=text, author=actor)
    # No budget line is made up from the project card's totals: the applicant itemises the budget, and a line for
    # the whole project would be counted twice as soon as items were added. The card's totals are shown as the
    # reference and budget_checks holds the items to them.
    audit_record(
        actor=actor,
        action="applications.created",
        instance=application,
        changes={
            "opportunity": {"before": None, "after": str(opportunity)},
            "template": {"before": None, "after": str(template)},
        },
    )
    _refresh(application)
    return application


def _require_edit(actor: User, application: Application) -> None:
    if not rules.can_edit(actor, application):
        raise PermissionDenied("Заявку сейчас нельзя изменять.")


@transaction.atomic
def section_save(*, actor: User, section_text: SectionText, text: str, base_version: int) -> SectionText:
    """Save a new version; refused (SectionConflict) when the section changed since `base_version`."""
    current = SectionText.objects.select_for_update().select_related("section", "application").get(pk=section_text.pk)
    _require_edit(actor, current.application)
    if current.version != base_version:
        raise SectionConflict(current)
    text = strip_invisible(text)
    if len(text) > current.section.max_chars:
        raise ValidationError(f"Текст длиннее {_chars(current.section.max_chars)} ({len(text)}).")
    if text == current.text:
        return current
    current.text, current.version, current.updated_by = text, current.version + 1, actor
    current.save(update_fields=["text", "version", "updated_by", "updated_at"])
    SectionVersion.objects.create(section_text=current, version=current.version, text=text, author=actor)
    audit_record(
        actor=actor,
        action="applications.section_saved",
        instance=current.application,
        changes={current.section.title: {"before": f"в. {base_version}", "after": f"в. {current.version}"}},
    )
    _refresh(current.application)
    return current


@transaction.atomic
def comment_add(*, actor: User, section_text: SectionText, text: str) -> SectionComment:
    if not rules.can_comment(actor, section_text.application):
        raise PermissionDenied
    text = strip_invisible(text).strip()
    if not text:
        raise ValidationError("Комментарий пуст.")
    return SectionComment.objects.create(section_text=section_text, author=actor, text=text[:5000])


@transaction.atomic
def budget_item_save(
    *, actor: User, application: Application, data: dict[str, Any], item: BudgetItem | None = None
) -> BudgetItem:
    _require_edit(actor, application)
    item = item or BudgetItem(application=application)
    for key in ("name", "own_funds", "requested", "cofinancing", "cofinancing_partner"):
        if key in data:
            setattr(item, key, data[key])
    item.full_clean()
    item.save()
    audit_record(
        actor=actor,
        action="applications.budget_changed",
        instance=application,
        changes={item.name: {"before": None, "after": f"{item.own_funds} / {item.requested} / {item.cofinancing}"}},
    )
    _refresh(application)
    return item


@transaction.atomic
def budget_item_delete(*, actor: User, item: BudgetItem) -> None:
    application = item.application
    _require_edit(actor, application)
    item.delete()
    audit_record(
        actor=actor,
        action="applications.budget_changed",
        instance=application,
        changes={item.name: {"before": "статья", "after": None}},
    )
    _refresh(application)


@transaction.atomic
def attachment_add(
    *, actor: User, application: Application, document: RequiredDocument | None, data: bytes, filename: str
) -> Attachment:
    _require_edit(actor, application)
    if document is not None and document.template_id != application.template_id:
        raise ValidationError("Этот документ не из перечня заявки.")
    detected = validate_upload(data, filename, document.allowed_types if document else None)
    attachment = Attachment(
        application=application,
        document=document,
        original_name=filename[:255],
        size=len(data),
        detected_type=detected,
        uploaded_by=actor,
    )
    attachment.file.save(filename[-100:], ContentFile(data), save=True)
    audit_record(
        actor=actor,
        action="applications.attachment_added",
        instance=application,
        changes={"документ": {"before": None, "after": f"{document or 'прочее'}: {filename}"}},
    )
    _refresh(application)
    return attachment


@transaction.atomic
def expert_assign(*, actor: User, application: Application, expert: User) -> ExpertAssignment:
    if not rules.can_manage_review(actor):
        raise PermissionDenied
    if not expert.is_expert:
        raise ValidationError(f"{expert.display_name} — не эксперт.")
    parties = {
        application.project.lead_organisation_id,
        *application.project.partnerships.values_list("organisation_id", flat=True),
    }
    shared = parties & set(expert.organisation_ids)
    if shared:
        raise ConflictOfInterest(
            f"Эксперт {expert.display_name} состоит в организации-участнице заявки: "
            "конфликт интересов, назначение отклонено."
        )
    assignment, created = ExpertAssignment.objects.get_or_create(
        application=application, expert=expert, defaults={"assigned_by": actor}
    )
    if created:
        audit_record(
            actor=actor,
            action="applications.expert_assigned",
            instance=application,
            changes={"эксперт": {"before": None, "after": expert.display_name}},
        )
        _refresh(application)
        transaction.on_commit(lambda: notifications.expert_assigned(assignment))
    return assignment


@transaction.atomic
def expert_declare(*, actor: User, assignment: ExpertAssignment) -> None:
    if assignment.expert_id != actor.pk:
        raise PermissionDenied
    if assignment.declared_no_conflict_at is None:
        assignment.declared_no_conflict_at = timezone.now()
        assignment.save(update_fields=["declared_no_conflict_at"])
        audit_record(
            actor=actor,
            action="applications.conflict_declared",
            instance=assignment.application,
            message="эксперт заявил об отсутствии конфликта интересов",
        )


@dataclass(frozen=True)
class ScoreEntry:
    """One score an expert gives: the criterion (by id, as the form or the request names it), value and comment."""

    criterion_id: int
    value: int
    comment: str = ""


def _score_errors(entries: list[ScoreEntry], criteria: dict[int, Criterion]) -> list[str]:
    """Every reason the batch is refused, so the expert sees them all at once."""
    errors, seen = [], set()
    for entry in entries:
        criterion = criteria.get(entry.criterion_id)
        if criterion is None:
            errors.append(f"Критерия {entry.criterion_id} нет в шаблоне этой заявки.")
        elif entry.criterion_id in seen:
            errors.append(f"Оценка по критерию «{criterion.name}» указана дважды.")
        elif not criterion.scale_min <= entry.value <= criterion.scale_max:
            errors.append(f"Оценка по критерию «{criterion.name}» — от {criterion.scale_min} до {criterion.scale_max}.")
        seen.add(entry.criterion_id)
    return errors


@transaction.atomic
def scores_save(*, actor: User, assignment: ExpertAssignment, entries: list[ScoreEntry]) -> list[Score]:
    """Save the expert's scores as one batch: every value is checked first, and one refused value saves none."""
    assignment = ExpertAssignment.objects.select_for_update().select_related("application").get(pk=assignment.pk)
    if assignment.expert_id != actor.pk:
        raise PermissionDenied("Оценки ставит назначенный эксперт.")
    if assignment.declared_no_conflict_at is None:
        raise ValidationError("Сначала заявите об отсутствии конфликта интересов.")
    if not entries:
        raise ValidationError("Поставьте оценку хотя бы по одному критерию.")
    criteria = {c.pk: c for c in assignment.application.template.criteria.all()}
    errors = _score_errors(entries, criteria)
    if errors:
        raise ValidationError(errors)
    before = {s.criterion_id: s.value for s in assignment.scores.all()}
    saved = [
        Score.objects.update_or_create(
            assignment=assignment,
            criterion=criteria[entry.criterion_id],
            defaults={"value": entry.value, "comment": strip_invisible(entry.comment).strip()[:5000]},
        )[0]
        for entry in entries
    ]
    if assignment.scores.count() == len(criteria) and not assignment.completed_at:
        assignment.completed_at = timezone.now()
        assignment.save(update_fields=["completed_at"])
        _refresh(assignment.application)
    audit_record(
        actor=actor,
        action="applications.scored",
        instance=assignment.application,
        changes={
            criteria[s.criterion_id].name: {"before": before.get(s.criterion_id), "after": s.value}
            for s in saved
            if before.get(s.criterion_id) != s.value
        },
    )
    return saved


def _move_project(actor: User, project: Project, target: str, reason: str) -> None:
    if target in TRANSITIONS.get(project.stage, ()):
        project_move_stage(actor=actor, project=project, to_stage=target, reason=reason)


@transaction.atomic
def application_submit(*, actor: User, application: Application, submitted_on: dt.date, number: str) -> Application:
    application = Application.objects.select_for_update().select_related("project").get(pk=application.pk)
    if application.status == ApplicationStatus.SUBMITTED:
        raise ValidationError("Заявка уже подана.")
    if not rules.can_submit(actor, application):
        raise PermissionDenied("Подать можно только готовящуюся заявку.")
    if submitted_on > timezone.localdate():
        raise ValidationError("Дата подачи не может быть в будущем.")
    score, _ = readiness(application)
    application.status, application.submitted_on = ApplicationStatus.SUBMITTED, submitted_on
    application.submission_number, application.readiness_at_submission = number.strip()[:100], score
    validate_fields(application, "submitted_on")
    application.save()
    audit_record(
        actor=actor,
        action="applications.submitted",
        instance=application,
        changes={"status": {"before": "подготовка", "after": "подана"}, "готовность": {"before": None, "after": score}},
    )
    if application.project.stage == Stage.PACKAGING:
        _move_project(actor, application.project, Stage.SUBMITTED, f"Подана заявка: {application.opportunity}")
    return application


@transaction.atomic
def outcome_record(
    *,
    actor: User,
    application: Application,
    outcome: str,
    decided_on: dt.date,
    awarded: Decimal | None,
    cofinancing: Decimal | None,
    feedback: str,
) -> Application:
    application = Application.objects.select_for_update().select_related("project").get(pk=application.pk)
    if not rules.can_record_outcome(actor, application):
        raise ValidationError("Итог записывается для поданной заявки, один раз.")
    if outcome not in (ApplicationStatus.SUPPORTED, ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN):
        raise ValidationError("Итог: поддержана, отклонена или отозвана.")
    if any(v is not None and v < 0 for v in (awarded, cofinancing)):
        raise ValidationError("Суммы не могут быть отрицательными.")
    if outcome != ApplicationStatus.SUPPORTED and awarded:
        raise ValidationError("Сумма поддержки указывается только для поддержанной заявки.")
    application.status, application.outcome_on, application.funder_feedback = outcome, decided_on, feedback.strip()
    application.awarded_amount, application.cofinancing_amount = awarded, cofinancing
    validate_fields(application, "outcome_on", "awarded_amount", "cofinancing_amount")
    application.save()
    audit_record(
        actor=actor,
        action="applications.outcome",
        instance=application,
        changes={
            "status": {"before": "подана", "after": ApplicationStatus(outcome).label},
            "сумма": {"before": None, "after": str(awarded or 0)},
        },
    )
    target = {ApplicationStatus.SUPPORTED: Stage.SUPPORTED, ApplicationStatus.DECLINED: Stage.DECLINED}.get(outcome)  # type: ignore[call-overload]
    if target and application.project.stage == Stage.SUBMITTED:
        _move_project(actor, application.project, target, f"Итог заявки: {ApplicationStatus(outcome).label}")
    return application
