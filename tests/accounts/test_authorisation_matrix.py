"""Roles × actions, through the web UI: each cell is the status code the user gets."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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


Action = Callable[[Client, dict], Any]  # the test client's response

ACTIONS: dict[str, Action] = {
    "list_organisations": lambda c, w: c.get(reverse("organisations:list")),
    "create_organisation_page": lambda c, w: c.get(reverse("organisations:create")),
    "edit_own_organisation": lambda c, w: c.post(
        reverse("organisations:edit", args=[w["own"].pk]), _org_form(w["own"])
    ),
    "export_registry": lambda c, w: c.get(reverse("organisations:export", args=["csv"])),
    "list_projects": lambda c, w: c.get(reverse("projects:list")),
    "view_project": lambda c, w: c.get(reverse("projects:detail", args=[w["project"].pk])),
    "edit_project": lambda c, w: c.get(reverse("projects:edit", args=[w["project"].pk])),
    "move_project": lambda c, w: c.post(
        reverse("projects:move", args=[w["project"].pk]),
        {"to_stage": "screening", "expected_stage": "idea", "reason": "тест"},
    ),
    "add_staff_note": lambda c, w: c.post(reverse("projects:note_add", args=[w["project"].pk]), {"text": "x"}),
    "comment_on_application": lambda c, w: c.post(
        reverse("applications:comment_add", args=[w["application"].pk, w["application"].sections.first().pk]),
        {"text": "замечание"},
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
    assert ACTIONS[action](_client(role, world), world).status_code == EXPECTED[action][role]


# What each write leaves behind when it is made.
DONE: dict[str, Callable[[dict], bool]] = {
    "edit_own_organisation": lambda w: Organisation.objects.get(pk=w["own"].pk).name == "Изменено",
    "move_project": lambda w: Project.objects.get(pk=w["project"].pk).stage == "screening",
    "add_staff_note": lambda w: StaffNote.objects.filter(text="x").exists(),
    "comment_on_application": lambda w: SectionComment.objects.filter(text="замечание").exists(),
}


@pytest.mark.parametrize("role", ROLES)
def test_a_write_changes_the_data_exactly_when_the_role_may_make_it(role: str, world: dict) -> None:
    """A write changes the data exactly when the matrix lets the role make it (a 302 for the signed-in)."""
    client = _client(role, world)
    for action, done in DONE.items():
        ACTIONS[action](client, world)
        allowed = role != "anonymous" and EXPECTED[action][role] == 302
        assert done(world) is allowed, action


# What a page shows to those the matrix lets in: the record's name, never to anyone else.
SHOWN: dict[str, tuple[str, str]] = {
    "view_project": ("Проект своей организации", "view_project"),
    "list_projects": ("Проект своей организации", "view_project"),  # the list holds only the visible
    "edit_project": ("Проект своей организации", "edit_project"),
    "export_registry": ("Своя", "export_registry"),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(SHOWN))
def test_a_page_shows_the_record_exactly_to_those_who_may_see_it(role: str, action: str, world: dict) -> None:
    text, rule = SHOWN[action]
    response = ACTIONS[action](_client(role, world), world)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert (text in body.decode()) is (EXPECTED[rule][role] == 200)


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
    admin = _client("staff", world).get("/admin/")
    assert admin.status_code == 200 and "Проекты" in admin.content.decode()
    refused = _client("grantor", world).get("/admin/")
    assert (refused.status_code, refused["Location"]) == (302, "/admin/login/?next=/admin/")
