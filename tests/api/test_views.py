"""The registry API: organisations, projects with their stages, classifiers; what each role may read and change."""

from __future__ import annotations

import pytest
from django.test import Client

from projectoffice.organisations.models import Organisation
from projectoffice.projects.models import Project
from tests.api.helpers import assert_error_shape, bearer, patch_json, post_json
from tests.factories import OkvedFactory, OrganisationFactory, ProjectFactory, RegionFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db


def test_organisations_list_filters_and_paginates(client: Client) -> None:
    user = UserFactory()
    for _ in range(30):
        OrganisationFactory()
    OrganisationFactory(kind="university", name="Университет", short_name="")
    page = client.get("/api/v1/organisations", {"page_size": 10}, **bearer(user)).json()
    assert page["count"] == 31
    assert len(page["results"]) == 10
    assert page["next"]
    filtered = client.get("/api/v1/organisations", {"kind": "university"}, **bearer(user)).json()
    assert [o["name"] for o in filtered["results"]] == ["Университет"]


def test_staff_creates_an_organisation_through_the_api(client: Client) -> None:
    RegionFactory()
    OkvedFactory()
    staff = UserFactory(role="staff")
    body = {"kind": "it_company", "name": "ООО «API»", "inn": "7736207543", "region": "RU-SAM",
            "main_okved": "62.01", "technologies": ["Python"]}  # fmt: skip
    response = post_json(client, "/api/v1/organisations", body, staff)
    assert response.status_code == 201, response.json()
    assert response.json()["technologies"] == ["Python"]
    assert Organisation.objects.get().inn == "7736207543"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"inn": "7736207544"}, "inn"), ({"ogrn": "1027700229194"}, "ogrn"), ({"main_okved": "99.99"}, "main_okved"),
     ({"region": "RU-XXX"}, "region"), ({"kind": "cooperative"}, "kind")],
)  # fmt: skip
def test_bad_organisation_data_gets_400_with_the_field_and_stores_nothing(client: Client, overrides, field) -> None:  # type: ignore[no-untyped-def]
    RegionFactory()
    OkvedFactory()
    body = {"kind": "it_company", "name": "ООО «API»", "inn": "7736207543", "region": "RU-SAM", **overrides}
    response = post_json(client, "/api/v1/organisations", body, UserFactory(role="staff"))
    assert response.status_code == 400
    assert field in assert_error_shape(response, "invalid")["fields"]
    assert not Organisation.objects.exists()


def test_duplicate_inn_gets_400(client: Client) -> None:
    OrganisationFactory(inn="7736207543")
    body = {"kind": "it_company", "name": "Дубль", "inn": "7736207543", "region": "RU-SAM"}
    response = post_json(client, "/api/v1/organisations", body, UserFactory(role="staff"))
    assert response.status_code == 400
    assert "inn" in assert_error_shape(response, "invalid")["fields"]
    assert Organisation.objects.count() == 1


def test_member_cannot_change_another_organisation_through_the_api(client: Client) -> None:
    own, other = OrganisationFactory(), OrganisationFactory(name="Чужая")
    member = member_of(own)
    response = patch_json(client, f"/api/v1/organisations/{other.pk}", {"name": "Захвачено"}, member)
    assert response.status_code == 403
    assert_error_shape(response, "permission_denied")
    other.refresh_from_db()
    assert other.name == "Чужая"
    assert patch_json(client, f"/api/v1/organisations/{own.pk}", {"name": "Своя, новое имя"}, member).status_code == 200


def test_private_figures_are_null_for_outsiders(client: Client) -> None:
    organisation = OrganisationFactory()
    organisation.figures.create(year=2025, revenue=100, headcount=3)
    outsider = client.get(f"/api/v1/organisations/{organisation.pk}", **bearer(UserFactory())).json()
    insider = client.get(f"/api/v1/organisations/{organisation.pk}", **bearer(member_of(organisation))).json()
    assert outsider["figures"] is None and outsider["contacts"] is None
    assert insider["figures"][0]["year"] == 2025


def test_member_sees_only_own_projects_and_gets_404_for_others(client: Client) -> None:
    own, other = OrganisationFactory(), OrganisationFactory()
    mine, theirs = ProjectFactory(lead_organisation=own), ProjectFactory(lead_organisation=other, title="Чужой")
    member = member_of(own)
    listed = client.get("/api/v1/projects", **bearer(member)).json()
    assert [p["id"] for p in listed["results"]] == [mine.pk]
    response = client.get(f"/api/v1/projects/{theirs.pk}", **bearer(member))
    assert response.status_code == 404
    assert "Чужой" not in response.content.decode()


def test_member_cannot_create_a_project_led_by_another_organisation(client: Client) -> None:
    own, other = OrganisationFactory(), OrganisationFactory()
    body = {"title": "Чужими руками", "lead_organisation": other.pk, "summary": "x", "trl": 3}
    response = post_json(client, "/api/v1/projects", body, member_of(own))
    assert response.status_code == 403
    assert not Project.objects.exists()


def test_member_creates_a_project_with_partners(client: Client) -> None:
    own, university = OrganisationFactory(), OrganisationFactory(kind="university")
    body = {"title": "Свой проект", "lead_organisation": own.pk, "summary": "Описание", "trl": 3,
            "budget_total": "100", "own_funds": "50", "requested_support": "50", "technologies": ["ИИ"],
            "partners": [{"organisation": university.pk, "role": "research"}]}  # fmt: skip
    response = post_json(client, "/api/v1/projects", body, member_of(own))
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["stage"] == "idea"
    assert data["partners"][0]["role"] == "research"


def test_budget_rule_breach_gets_400(client: Client) -> None:
    own = OrganisationFactory()
    body = {"title": "Дорого", "lead_organisation": own.pk, "summary": "x", "trl": 3, "budget_total": "100",
            "own_funds": "80", "requested_support": "80"}  # fmt: skip
    response = post_json(client, "/api/v1/projects", body, UserFactory(role="staff"))
    assert response.status_code == 400
    assert "budget_total" in assert_error_shape(response, "invalid")["fields"]


def test_stage_move_through_the_api_and_a_stale_move_gets_409(client: Client) -> None:
    staff = UserFactory(role="staff")
    project = ProjectFactory()
    url = f"/api/v1/projects/{project.pk}/move"
    first = post_json(client, url, {"to_stage": "screening", "reason": "ok", "expected_stage": "idea"}, staff)
    assert first.status_code == 201
    assert first.json()["from_stage"] == "idea"
    stale = post_json(client, url, {"to_stage": "declined", "reason": "late", "expected_stage": "idea"}, staff)
    assert stale.status_code == 409
    assert_error_shape(stale, "conflict")
    history = client.get(f"/api/v1/projects/{project.pk}/stage-moves", **bearer(staff)).json()
    assert [m["to_stage"] for m in history] == ["screening"]


def test_member_cannot_move_stages_through_the_api(client: Client) -> None:
    own = OrganisationFactory()
    project = ProjectFactory(lead_organisation=own)
    response = post_json(
        client, f"/api/v1/projects/{project.pk}/move", {"to_stage": "screening", "reason": "x"}, member_of(own)
    )
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.stage == "idea"


def test_grantor_reads_but_cannot_write(client: Client) -> None:
    grantor = UserFactory(role="grantor")
    project = ProjectFactory(title="Цифровой двойник")
    read = client.get(f"/api/v1/projects/{project.pk}", **bearer(grantor))
    assert (read.status_code, read.json()["title"]) == (200, "Цифровой двойник")
    assert patch_json(client, f"/api/v1/projects/{project.pk}", {"title": "x"}, grantor).status_code == 403
    assert post_json(client, "/api/v1/organisations", {"name": "x"}, grantor).status_code == 403
    project.refresh_from_db()
    assert project.title == "Цифровой двойник"
    assert not Organisation.objects.filter(name="x").exists()


def test_classifier_search_by_code_and_by_words(client: Client) -> None:
    OkvedFactory()
    OkvedFactory(code="01.11", name="Выращивание зерновых культур", section="A")
    user = UserFactory()
    by_code = client.get("/api/v1/classifiers/okved2", {"q": "62"}, **bearer(user)).json()
    assert [c["code"] for c in by_code["results"]] == ["62.01"]
    by_words = client.get("/api/v1/classifiers/okved2", {"q": "ЗЕРНОВЫХ"}, **bearer(user)).json()
    assert [c["code"] for c in by_words["results"]] == ["01.11"]
    assert client.get("/api/v1/classifiers/okved2/62.01", **bearer(user)).json()["section"] == "J"
    RegionFactory()
    region = client.get("/api/v1/classifiers/regions/RU-SAM", **bearer(user))
    assert (region.status_code, region.json()["name_with_type"], region.json()["tax_code"]) == (
        200,
        "Самарская обл",
        "63",
    )
    assert client.get("/api/v1/classifiers/regions/RU-XX", **bearer(user)).status_code == 404
