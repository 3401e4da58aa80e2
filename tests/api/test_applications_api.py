import io
import json

import pytest
from django.test import Client

from projectoffice.applications.models import Application
from projectoffice.applications.templates_loader import load_builtin_templates
from projectoffice.opportunities.models import Opportunity
from projectoffice.opportunities.services import opportunity_create
from tests.api.helpers import assert_error_shape, bearer
from tests.factories import OrganisationFactory, ProjectFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    load_builtin_templates()
    opportunity_create(actor=None, data={"kind": "grant", "title": "Грант", "external_id": "g",
                                                         "provider_name": "РФРИТ", "status": "published"})  # fmt: skip
    lead = OrganisationFactory()
    return {"member": member_of(lead), "project": ProjectFactory(lead_organisation=lead),
            "opportunity": Opportunity.objects.get(external_id="g"), "staff": UserFactory(role="staff")}  # fmt: skip


def _post(client: Client, url: str, body: object, user):  # type: ignore[no-untyped-def]
    return client.post(url, json.dumps(body), content_type="application/json", **bearer(user))


def test_the_whole_flow_through_the_api(client: Client, world) -> None:  # type: ignore[no-untyped-def]
    member, staff = world["member"], world["staff"]
    created = _post(
        client, "/api/v1/applications", {"project": world["project"].pk, "opportunity": world["opportunity"].pk}, member
    )
    assert created.status_code == 201, created.json()
    app_id = created.json()["id"]
    section = created.json()["sections"][0]
    saved = _post(
        client,
        f"/api/v1/applications/{app_id}/sections",
        {"section": section["id"], "text": "Новый текст", "base_version": 1},
        member,
    )
    assert saved.json()["version"] == 2
    stale = _post(
        client,
        f"/api/v1/applications/{app_id}/sections",
        {"section": section["id"], "text": "Другой", "base_version": 1},
        staff,
    )
    assert stale.status_code == 409
    assert assert_error_shape(stale, "conflict")["fields"]["current"]["text"] == "Новый текст"
    upload = client.post(f"/api/v1/applications/{app_id}/attachments",
                         {"file": io.BytesIO(b"MZ\x90\x00" + b"\x00" * 64), "document": ""}, **bearer(member))  # fmt: skip
    assert upload.status_code == 400
    expert = UserFactory(role="expert")
    assert _post(client, f"/api/v1/applications/{app_id}/experts", {"expert": expert.pk}, member).status_code == 403
    assert _post(client, f"/api/v1/applications/{app_id}/experts", {"expert": expert.pk}, staff).status_code == 201
    assert client.post(f"/api/v1/applications/{app_id}/declare", **bearer(expert)).status_code == 204
    criterion = Application.objects.get(pk=app_id).template.criteria.first()
    bad = _post(
        client, f"/api/v1/applications/{app_id}/scores", {"scores": [{"criterion": criterion.pk, "value": 99}]}, expert
    )
    assert bad.status_code == 400
    good = _post(
        client,
        f"/api/v1/applications/{app_id}/scores",
        {"scores": [{"criterion": criterion.pk, "value": 7, "comment": "ок"}]},
        expert,
    )
    assert good.json()["criteria"][0]["comments"] == [{"expert": "Эксперт 1", "text": "ок"}]
    named = client.get(f"/api/v1/applications/{app_id}/review", **bearer(staff)).json()
    assert named["criteria"][0]["comments"] == [{"expert": expert.display_name, "text": "ок"}]
    hidden = client.get(f"/api/v1/applications/{app_id}/review", **bearer(member)).json()
    assert hidden["criteria"][0]["comments"] == [{"expert": "Эксперт 1", "text": "ок"}]
    assert client.get(f"/api/v1/applications/{app_id}/readiness", **bearer(member)).json()["score"] >= 0
    package = client.get(f"/api/v1/applications/{app_id}/package", {"kind": "pdf"}, **bearer(member))
    assert package.status_code == 200 and package.content.startswith(b"%PDF")
    submitted = _post(
        client, f"/api/v1/applications/{app_id}/submit", {"submitted_on": "2026-11-20", "number": "A-1"}, member
    )
    assert submitted.json()["status"] == "submitted"
    outcome = _post(client, f"/api/v1/applications/{app_id}/outcome",
                    {"outcome": "supported", "decided_on": "2026-11-25", "awarded": "1000000"}, staff)  # fmt: skip
    assert outcome.json()["status"] == "supported" and outcome.json()["awarded_amount"] == "1000000.00"


def test_outsiders_cannot_create_or_read(client: Client, world) -> None:  # type: ignore[no-untyped-def]
    outsider = member_of(OrganisationFactory())
    body = {"project": world["project"].pk, "opportunity": world["opportunity"].pk}
    assert _post(client, "/api/v1/applications", body, outsider).status_code == 404
    created = _post(client, "/api/v1/applications", body, world["member"]).json()
    assert client.get(f"/api/v1/applications/{created['id']}", **bearer(outsider)).status_code == 404
    assert client.get("/api/v1/applications", **bearer(outsider)).json()["count"] == 0
