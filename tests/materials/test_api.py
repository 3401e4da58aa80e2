from __future__ import annotations

import pytest
from django.test import Client

from projectoffice.accounts.models import Role
from projectoffice.materials.models import Document, Lang, SectionKey
from projectoffice.materials.services import section_save
from tests.api.helpers import bearer
from tests.factories import ProjectFactory, UserFactory, member_of
from tests.materials.helpers import fill

pytestmark = pytest.mark.django_db


def test_the_api_gives_the_materials_with_versions_outdated_marks_and_readiness() -> None:
    staff = UserFactory(role=Role.STAFF)
    project = ProjectFactory()
    fill(staff, project, Lang.RU)
    fill(staff, project, Lang.EN)
    section_save(actor=staff, project=project, document=Document.MEMO, key=SectionKey.RISKS, lang=Lang.RU,
                 text="Новые риски.")  # fmt: skip
    body = Client().get(f"/api/v1/materials/{project.pk}", **bearer(member_of(project.lead_organisation))).json()
    risks = [s for s in body["sections"] if s["document"] == "memo" and s["key"] == "risks"]
    assert [(s["lang"], s["version"], s["source_version"], s["outdated"]) for s in risks] == [
        ("ru", 2, None, False),
        ("en", 1, 1, True),
    ]
    readiness = {r["funder_class"]: r for r in body["readiness"]}
    assert readiness["foreign_business"]["missing"] == ["Меморандум на английском: перевод устарел — «Риски»"]
    assert readiness["large_company"]["complete"] is False


def test_the_api_lists_only_the_materials_a_user_may_read() -> None:
    staff = UserFactory(role=Role.STAFF)
    mine, theirs = ProjectFactory(), ProjectFactory()
    for project in (mine, theirs):
        fill(staff, project, Lang.RU)
    member = member_of(mine.lead_organisation)
    listed = Client().get("/api/v1/materials", **bearer(member)).json()["results"]
    assert [row["project"] for row in listed] == [mine.pk]
    assert Client().get(f"/api/v1/materials/{theirs.pk}", **bearer(member)).status_code == 404
    assert Client().get(f"/api/v1/materials/{theirs.pk}", **bearer(UserFactory(role=Role.EXPERT))).status_code == 404
    assert len(Client().get("/api/v1/materials", **bearer(UserFactory(role=Role.GRANTOR))).json()["results"]) == 2
    assert Client().get("/api/v1/materials").status_code == 401
