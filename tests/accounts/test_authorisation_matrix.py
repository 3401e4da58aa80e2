"""Roles × actions, through the web UI: each cell is the status code the user gets."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from projectoffice.accounts.models import Role
from projectoffice.applications.models import SectionComment
from projectoffice.organisations.models import Organisation
from projectoffice.projects.models import Project, StaffNote
from tests.conftest import client_for
from tests.factories import ApplicationFactory, OrganisationFactory, ProjectFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "community", "expert", "grantor", "member_own", "member_other", "staff", "superuser"]


@pytest.fixture
def world() -> dict[str, object]:
    own = OrganisationFactory(name="Своя")
    other = OrganisationFactory(name="Чужая")
    project = ProjectFactory(lead_organisation=own, title="Проект своей организации")
    StaffNote.objects.create(project=project, text="СЕКРЕТНАЯ-ЗАМЕТКА")
    application = ApplicationFactory(project=project)
    return {"own": own, "other": other, "project": project, "application": application}


def _client(role: str, world: dict[str, object]) -> Client:
    if role == "anonymous":
        return Client()
    if role == "member_own":
        return client_for(member_of(world["own"]))  # type: ignore[arg-type]
    if role == "member_other":
        return client_for(member_of(world["other"]))  # type: ignore[arg-type]
    if role == "superuser":
        return client_for(UserFactory(role=Role.COMMUNITY, is_superuser=True, is_staff=True))
    return client_for(UserFactory(role=role))


def _org_form(org: Organisation) -> dict[str, str]:
    return {"kind": org.kind, "name": "Изменено", "inn": org.inn, "ogrn": org.ogrn, "region": str(org.region_id)}


Action = Callable[[Client, dict], int]

ACTIONS: dict[str, Action] = {
    "list_organisations": lambda c, w: c.get(reverse("organisations:list")).status_code,
    "create_organisation_page": lambda c, w: c.get(reverse("organisations:create")).status_code,
    "edit_own_organisation": lambda c, w: (
        c.post(reverse("organisations:edit", args=[w["own"].pk]), _org_form(w["own"])).status_code
    ),
    "export_registry": lambda c, w: c.get(reverse("organisations:export", args=["csv"])).status_code,
    "list_projects": lambda c, w: c.get(reverse("projects:list")).status_code,
    "view_project": lambda c, w: c.get(reverse("projects:detail", args=[w["project"].pk])).status_code,
    "edit_project": lambda c, w: c.get(reverse("projects:edit", args=[w["project"].pk])).status_code,
    "move_project": lambda c, w: (
        c.post(
            reverse("projects:move", args=[w["project"].pk]),
            {"to_stage": "screening", "expected_stage": "idea", "reason": "тест"},
        ).status_code
    ),
    "add_staff_note": lambda c, w: (
        c.post(reverse("projects:note_add", args=[w["project"].pk]), {"text": "x"}).status_code
    ),
    "comment_on_application": lambda c, w: (
        c.post(
            reverse("applications:comment_add", args=[w["application"].pk, w["application"].sections.first().pk]),
            {"text": "замечание"},
        ).status_code
    ),
}

# 302 for anonymous = sent to the login page; 302 after a POST = done and redirected back.
EXPECTED: dict[str, dict[str, int]] = {
    #                         anon community expert grantor own other staff super
    "list_organisations":       dict(zip(ROLES, [302, 200, 200, 200, 200, 200, 200, 200], strict=True)),
    "create_organisation_page": dict(zip(ROLES, [302, 403, 403, 403, 403, 403, 200, 200], strict=True)),
    "edit_own_organisation":    dict(zip(ROLES, [302, 403, 403, 403, 302, 403, 302, 302], strict=True)),
    "export_registry":          dict(zip(ROLES, [302, 403, 403, 403, 403, 403, 200, 200], strict=True)),
    "list_projects":            dict(zip(ROLES, [302, 403, 200, 200, 200, 200, 200, 200], strict=True)),
    "view_project":             dict(zip(ROLES, [302, 403, 200, 200, 200, 404, 200, 200], strict=True)),
    "edit_project":             dict(zip(ROLES, [302, 403, 403, 403, 200, 404, 200, 200], strict=True)),
    "move_project":             dict(zip(ROLES, [302, 403, 403, 403, 403, 404, 302, 302], strict=True)),
    "add_staff_note":           dict(zip(ROLES, [302, 403, 403, 403, 403, 403, 302, 302], strict=True)),
    "comment_on_application":   dict(zip(ROLES, [302, 403, 404, 403, 302, 404, 302, 302], strict=True)),
}  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_role_gets_the_expected_answer_for_each_action(role: str, action: str, world: dict) -> None:
    assert ACTIONS[action](_client(role, world), world) == EXPECTED[action][role]


@pytest.mark.parametrize("role", ["community", "expert", "grantor", "member_own", "member_other"])
def test_forbidden_changes_leave_the_data_as_it_was(role: str, world: dict) -> None:
    client = _client(role, world)
    for action in ("move_project", "add_staff_note", "comment_on_application"):
        ACTIONS[action](client, world)
    if role != "member_own":
        ACTIONS["edit_own_organisation"](client, world)
        assert Organisation.objects.get(pk=world["own"].pk).name == "Своя"
    assert Project.objects.get(pk=world["project"].pk).stage == "idea"
    assert StaffNote.objects.count() == 1
    assert SectionComment.objects.count() == (1 if role == "member_own" else 0)


@pytest.mark.parametrize("role", ["expert", "grantor", "member_own"])
def test_staff_notes_are_never_shown_outside_the_office(role: str, world: dict) -> None:
    body = _client(role, world).get(reverse("projects:detail", args=[world["project"].pk])).content.decode()
    assert "СЕКРЕТНАЯ-ЗАМЕТКА" not in body
    assert "Журнал изменений" not in body


@pytest.mark.parametrize("role", ["grantor", "member_own"])
def test_the_application_audit_log_is_shown_to_staff_only(role: str, world: dict) -> None:
    url = reverse("applications:detail", args=[world["application"].pk])
    assert "Журнал изменений" not in _client(role, world).get(url).content.decode()
    assert "Журнал изменений" in _client("staff", world).get(url).content.decode()


def test_staff_see_notes_and_the_audit_log(world: dict) -> None:
    body = _client("staff", world).get(reverse("projects:detail", args=[world["project"].pk])).content.decode()
    assert "СЕКРЕТНАЯ-ЗАМЕТКА" in body
    assert "Журнал изменений" in body


def test_a_hidden_project_answers_404_without_its_title(world: dict) -> None:
    response = _client("member_other", world).get(reverse("projects:detail", args=[world["project"].pk]))
    assert response.status_code == 404
    assert "Проект своей организации" not in response.content.decode()


def test_admin_is_open_to_office_staff_only(world: dict) -> None:
    assert _client("staff", world).get("/admin/").status_code == 200
    assert _client("grantor", world).get("/admin/").status_code == 302
