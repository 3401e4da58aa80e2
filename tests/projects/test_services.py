from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from projectoffice.audit.models import AuditEvent
from projectoffice.projects.models import Project, StageMove
from projectoffice.projects.services import StageMoveError, project_create, project_move_stage, project_update
from projectoffice.projects.stages import Stage
from tests.factories import OrganisationFactory, ProjectFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db


def _data(lead, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "title": "Видеоаналитика",
        "lead_organisation": lead,
        "summary": "Контроль качества камерами",
        "trl": 4,
        "budget_total": Decimal("1000000"),
        "own_funds": Decimal("400000"),
        "requested_support": Decimal("600000"),
        "technologies": ["компьютерное зрение"],
    }
    data.update(overrides)
    return data


def test_a_new_project_starts_as_an_idea_with_partners_and_an_audit_record() -> None:
    staff = UserFactory(role="staff")
    lead, university = OrganisationFactory(), OrganisationFactory(kind="university")
    project = project_create(actor=staff, data=_data(lead), partners=[(university, "research")])
    assert project.stage == Stage.IDEA
    assert [(p.organisation, p.role) for p in project.partnerships.all()] == [(university, "research")]
    event = AuditEvent.objects.get(action="projects.created")
    assert event.actor == staff
    assert "partners" in event.changes


def test_budget_parts_cannot_exceed_the_total() -> None:
    with pytest.raises(ValidationError) as error:
        project_create(actor=None, data=_data(OrganisationFactory(), own_funds=Decimal("500000.01")))
    assert "budget_total" in error.value.message_dict
    assert not Project.objects.exists()


def test_a_member_cannot_file_a_project_for_another_organisation() -> None:
    own, other = OrganisationFactory(), OrganisationFactory()
    with pytest.raises(PermissionDenied):
        project_create(actor=member_of(own), data=_data(other))
    assert not Project.objects.exists()


def test_every_stage_move_records_who_when_and_why() -> None:
    staff = UserFactory(role="staff")
    project = ProjectFactory()
    project_move_stage(actor=staff, project=project, to_stage=Stage.SCREENING, reason="Встреча с командой")
    project_move_stage(actor=staff, project=project, to_stage=Stage.PACKAGING, reason="Выбран конкурс")
    project.refresh_from_db()
    assert project.stage == Stage.PACKAGING
    moves = list(
        StageMove.objects.order_by("created_at", "id").values_list("from_stage", "to_stage", "actor", "reason")
    )
    assert moves == [
        ("idea", "screening", staff.pk, "Встреча с командой"),
        ("screening", "packaging", staff.pk, "Выбран конкурс"),
    ]
    assert AuditEvent.objects.filter(action="projects.stage_moved").count() == 2


@pytest.mark.parametrize(("start", "target"), [("idea", "supported"), ("completed", "idea"), ("idea", "nonsense")])
def test_moves_outside_the_pipeline_are_refused(start: str, target: str) -> None:
    project = ProjectFactory(stage=start)
    with pytest.raises(StageMoveError):
        project_move_stage(actor=None, project=project, to_stage=target, reason="попытка")
    project.refresh_from_db()
    assert project.stage == start
    assert not StageMove.objects.exists()


def test_a_move_without_a_reason_is_refused() -> None:
    project = ProjectFactory()
    with pytest.raises(ValidationError):
        project_move_stage(actor=None, project=project, to_stage=Stage.SCREENING, reason="   ")
    assert not StageMove.objects.exists()


def test_a_move_based_on_a_stale_page_is_refused() -> None:
    """Two staff members open the same card; the second move sees the first one and stops."""
    project = ProjectFactory()
    stale_copy = Project.objects.get(pk=project.pk)
    project_move_stage(actor=None, project=project, to_stage=Stage.SCREENING, reason="первый", expected_stage="idea")
    with pytest.raises(StageMoveError, match="уже перевели"):
        project_move_stage(
            actor=None, project=stale_copy, to_stage=Stage.DECLINED, reason="второй", expected_stage="idea"
        )
    project.refresh_from_db()
    assert project.stage == Stage.SCREENING
    assert StageMove.objects.count() == 1


def test_an_update_records_before_and_after_and_a_no_op_records_nothing() -> None:
    staff = UserFactory(role="staff")
    project = project_create(actor=staff, data=_data(OrganisationFactory()))
    updated_at = Project.objects.get(pk=project.pk).updated_at
    assert project_update(actor=staff, project=project, data=_data(project.lead_organisation)) is False
    assert Project.objects.get(pk=project.pk).updated_at == updated_at
    assert project_update(actor=staff, project=project, data=_data(project.lead_organisation, trl=6)) is True
    event = AuditEvent.objects.get(action="projects.updated")
    assert event.changes == {"trl": {"before": 4, "after": 6}}
