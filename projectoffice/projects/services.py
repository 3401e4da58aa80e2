"""Writes to projects: create, update, partners, stage moves and staff notes, all audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from projectoffice.accounts.models import User
from projectoffice.audit.services import audit_record, diff, planned_snapshot, snapshot
from projectoffice.classifiers.services import tags_get_or_create
from projectoffice.lib.cleaning import strip_invisible
from projectoffice.organisations.models import Organisation
from projectoffice.projects import rules
from projectoffice.projects.models import PartnerRole, Project, ProjectPartner, StaffNote, StageMove
from projectoffice.projects.stages import TRANSITIONS, Stage

SCALAR_FIELDS = [
    "title", "lead_organisation", "summary", "problem", "solution", "trl", "budget_total", "own_funds",
    "requested_support", "starts_on", "ends_on", "team",
]  # fmt: skip
AUDITED_FIELDS = [*SCALAR_FIELDS, "technologies"]


class StageMoveError(Exception):
    """A move the pipeline does not allow, or one based on a stale view of the project."""


def _apply(project: Project, data: dict[str, Any], actor: User | None) -> None:
    for name in SCALAR_FIELDS:
        if name in data:
            setattr(project, name, data[name])
    lead = project.lead_organisation
    if actor is not None and not rules.can_lead_with(actor, lead.pk):
        raise PermissionDenied("Нельзя вести проект от имени чужой организации.")
    project.search_text = project.build_search_text()
    project.full_clean(exclude=["technologies", "partners"])
    project.save()
    if "technologies" in data:
        project.technologies.set(tags_get_or_create(names=data["technologies"]))


def _set_partners(project: Project, partners: list[tuple[Organisation, str]]) -> dict[str, Any]:
    before = sorted(str(p) for p in project.partnerships.select_related("organisation"))
    wanted = {org.pk: role for org, role in partners if org.pk != project.lead_organisation_id}
    project.partnerships.exclude(organisation_id__in=wanted).delete()
    for org_id, role in wanted.items():
        ProjectPartner.objects.update_or_create(project=project, organisation_id=org_id, defaults={"role": role})
    after = sorted(str(p) for p in project.partnerships.select_related("organisation"))
    return {"partners": {"before": before, "after": after}} if before != after else {}


@transaction.atomic
def project_create(
    *, actor: User | None, data: dict[str, Any], partners: list[tuple[Organisation, str]] | None = None,
    is_demo: bool = False,
) -> Project:  # fmt: skip
    """Create a project at the idea stage."""
    project = Project(created_by=actor, is_demo=is_demo, stage=Stage.IDEA)
    _apply(project, data, actor)
    changes = diff({}, snapshot(project, AUDITED_FIELDS))
    changes.update(_set_partners(project, partners or []))
    audit_record(actor=actor, action="projects.created", instance=project, changes=changes)
    return project


@transaction.atomic
def project_update(
    *, actor: User | None, project: Project, data: dict[str, Any],
    partners: list[tuple[Organisation, str]] | None = None,
) -> bool:  # fmt: skip
    """Update a project's card; returns whether anything changed."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if actor is not None and not rules.can_edit(actor, project):
        raise PermissionDenied("Нет прав на изменение этого проекта.")
    before = snapshot(project, AUDITED_FIELDS)
    changes = diff(before, planned_snapshot(before, data))
    if changes:
        _apply(project, data, actor)
    if partners is not None:
        changes.update(_set_partners(project, partners))
    if changes:
        audit_record(actor=actor, action="projects.updated", instance=project, changes=changes)
    return bool(changes)


@transaction.atomic
def project_move_stage(
    *, actor: User | None, project: Project, to_stage: str, reason: str, expected_stage: str | None = None
) -> StageMove:
    """Move a project to another stage, recording who, when and why.

    `expected_stage` is the stage the user saw: if someone moved the project meanwhile, the move is refused.
    """
    project = Project.objects.select_for_update().get(pk=project.pk)
    if expected_stage is not None and project.stage != expected_stage:
        raise StageMoveError(
            f"Проект уже перевели в стадию «{project.get_stage_display()}»: обновите страницу и повторите."
        )
    if to_stage not in TRANSITIONS[project.stage]:
        raise StageMoveError(
            f"Из стадии «{project.get_stage_display()}» нельзя перейти в «{Stage(to_stage).label}»."
            if to_stage in Stage.values
            else f"Неизвестная стадия «{to_stage}»."
        )
    reason = strip_invisible(reason).strip()
    if not reason:
        raise ValidationError({"reason": "Укажите основание для смены стадии."})
    move = StageMove.objects.create(
        project=project, from_stage=project.stage, to_stage=to_stage, actor=actor, reason=reason
    )
    project.stage = to_stage
    project.stage_changed_at = timezone.now()
    project.save(update_fields=["stage", "stage_changed_at", "updated_at"])
    audit_record(
        actor=actor,
        action="projects.stage_moved",
        instance=project,
        changes={"stage": {"before": move.from_stage, "after": move.to_stage}},
        message=reason,
    )
    return move


@transaction.atomic
def staff_note_add(*, actor: User, project: Project, text: str) -> StaffNote:
    text = strip_invisible(text).strip()
    if not text:
        raise ValidationError({"text": "Заметка пуста."})
    note = StaffNote.objects.create(project=project, author=actor, text=text)
    audit_record(actor=actor, action="projects.note_added", instance=project, message=text[:200])
    return note


DEFAULT_PARTNER_ROLE = {
    "university": PartnerRole.RESEARCH,
    "industrial": PartnerRole.INDUSTRIAL,
    "corporation": PartnerRole.INDUSTRIAL,
    "investor": PartnerRole.INVESTOR,
}
