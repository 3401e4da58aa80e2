"""The OpenAPI schema tells the truth: every operation of /api/v1/openapi.json is walked, so a new endpoint is
checked without anyone remembering to add it here.

- the errors an operation answers (a wrong token, no login, a missing object, a bad query) are documented;
- out-of-range, non-numeric and empty values of every whole-number query parameter answer 400, never 500;
- operations that answer an anonymous visitor are marked public, the others are not;
- what every GET operation answers on real data matches its documented body;
- under /api/ every answer is JSON, also from Django itself (unknown paths, CSRF failures, crashes).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any
from urllib.parse import urlparse

import jsonschema
import pytest
from django.test import Client, RequestFactory

from projectoffice.api import errors
from projectoffice.applications import services as application_services
from projectoffice.applications.templates_loader import load_builtin_templates
from projectoffice.flagships.services import deal_create
from projectoffice.kpis import services as kpi_services
from projectoffice.materials import services as material_services
from projectoffice.opportunities.services import opportunity_create
from projectoffice.participation import services as participation_services
from projectoffice.participation.models import Result
from projectoffice.projects.services import project_move_stage
from tests.conftest import client_for
from tests.events.factories import EventFactory, SessionFactory
from tests.factories import (
    FiguresFactory,
    FlagshipFactory,
    FunderProfileFactory,
    IndicatorFactory,
    OkpdFactory,
    OrganisationFactory,
    ProjectFactory,
    SoftwareProductFactory,
    SubscriptionFactory,
    UserFactory,
)
from tests.needs.ops_factories import api_world
from tests.participation.factories import ProposalFactory, open_process

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")
TOO_BIG = str(2**70)


def _schema() -> dict[str, Any]:
    return Client().get("/api/v1/openapi.json").json()


def _operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def _query_integers(operation: dict[str, Any]) -> list[str]:
    return [
        p["name"]
        for p in operation.get("parameters", [])
        if p["in"] == "query" and p["schema"].get("type") == "integer"
    ]


def _public(operation: dict[str, Any]) -> bool:
    """`security: []` (no credentials read) or an empty requirement among the schemes (a token is optional)."""
    return not operation["security"] or {} in operation["security"]


def _call(client: Client, method: str, url: str, body: Any = None, **headers: str):  # type: ignore[no-untyped-def]
    if method == "get":
        return client.get(url, **headers)
    return getattr(client, method)(url, json.dumps(body or {}), content_type="application/json", **headers)


def _missing_object_url(path: str, operation: dict[str, Any]) -> str:
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "path":
            missing = TOO_BIG if parameter["schema"].get("type") == "integer" else "NONE-000"
            path = path.replace("{" + parameter["name"] + "}", missing)
    return path


def test_every_operation_documents_its_error_responses_in_the_error_shape() -> None:
    problems = []
    for path, method, operation in _operations(_schema()):
        documented = operation["responses"]
        expected = {"401"} if operation.get("security") else set()
        if "{" in path:
            expected.add("404")
        if "requestBody" in operation or any(p["in"] == "query" for p in operation.get("parameters", [])):
            expected.add("400")
        if not _public(operation):
            expected.add("403")
        if missing := expected - set(documented):
            problems.append(f"{method.upper()} {path}: не описаны {sorted(missing)}")
        for status, response in documented.items():
            checkin_answer = status == "409" and path.endswith("/checkin")  # the check-in's own verdict body
            if status.startswith("4") and not checkin_answer:
                ref = response["content"]["application/json"]["schema"].get("$ref", "")
                if not ref.endswith("/Error"):
                    problems.append(f"{method.upper()} {path}: ответ {status} не в форме ошибки")
    assert not problems, "\n".join(problems)


def test_errors_that_operations_answer_are_documented() -> None:
    """A wrong token, no login and a missing object, provoked on every operation."""
    schema = _schema()
    staff = client_for(UserFactory(role="staff"))
    problems = []
    for path, method, operation in _operations(schema):
        documented = set(operation["responses"])
        checks = []
        if operation.get("security"):
            checks.append(("неверный токен", _call(Client(), method, path, HTTP_AUTHORIZATION="Bearer wrong")))
        if not _public(operation):
            checks.append(("без входа", _call(Client(), method, path)))
        if "{" in path:
            checks.append(("нет объекта", _call(staff, method, _missing_object_url(path, operation))))
        for label, response in checks:
            if response.status_code >= 500 or str(response.status_code) not in documented:
                problems.append(f"{method.upper()} {path} ({label}): {response.status_code} не описан")
            elif response["Content-Type"] != "application/json":
                problems.append(f"{method.upper()} {path} ({label}): {response['Content-Type']}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("value", [TOO_BIG, "-" + TOO_BIG, "abc", "1.5", "", "١٢"])
def test_bad_whole_numbers_in_every_query_parameter_answer_400(value: str) -> None:
    staff = client_for(UserFactory(role="staff"))
    organisation = OrganisationFactory()
    problems = []
    for path, method, operation in _operations(_schema()):
        if method != "get" or "{" in path:
            continue
        for name in _query_integers(operation):
            other = {"organisation": organisation.pk} if name != "organisation" and "matches" in path else {}
            response = staff.get(path, {**other, name: value})
            if response.status_code != 400 or name not in response.json()["error"]["fields"]:
                problems.append(f"GET {path}?{name}={value}: {response.status_code}")
    assert not problems, "\n".join(problems)
    assert "/api/v1/projects" in "".join(p for p, _, o in _operations(_schema()) if "lead_organisation" in str(o))


def test_a_query_parameter_given_twice_answers_400(staff_client: Client) -> None:
    response = staff_client.get("/api/v1/projects?trl_min=1&trl_min=2")
    assert response.status_code == 400
    assert "trl_min" in response.json()["error"]["fields"]
    assert staff_client.get("/api/v1/projects?page_size=5&page_size=6").status_code == 400


def test_a_page_past_the_last_answers_404_as_documented(staff_client: Client) -> None:
    response = staff_client.get("/api/v1/projects?page=99")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_operations_that_answer_anonymous_visitors_are_marked_public() -> None:
    problems = []
    for path, method, operation in _operations(_schema()):
        if method != "get" or "{" in path:
            continue
        status = Client().get(path).status_code
        if status == 200 and not _public(operation):
            problems.append(f"GET {path}: отвечает без входа, но не помечена публичной")
        if status in (401, 403) and _public(operation):
            problems.append(f"GET {path}: помечена публичной, но требует входа ({status})")
    assert not problems, "\n".join(problems)


# ---- response bodies against the schema ----


def _as_json_schema(node: Any) -> Any:
    """OpenAPI 3.0 `nullable` as JSON Schema (`anyOf` with null)."""
    if isinstance(node, list):
        return [_as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _as_json_schema(value) for key, value in node.items()}
    if converted.pop("nullable", False):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


@pytest.fixture
def world() -> dict[str, Any]:
    load_builtin_templates()
    staff = UserFactory(role="staff")
    organisation = OrganisationFactory()
    FiguresFactory(organisation=organisation, year=2025, revenue=Decimal("604800000"), headcount=9)
    SoftwareProductFactory(organisation=organisation, name="ВолгаBI", registry_number=4321)
    project = ProjectFactory(lead_organisation=organisation)
    project_move_stage(actor=staff, project=project, to_stage="screening", reason="Отбор")
    opportunity = opportunity_create(
        actor=None,
        data={
            "kind": "grant",
            "title": "Грант на внедрение ИИ",
            "external_id": "g-1",
            "provider_name": "РФРИТ",
            "status": "published",
            "amount_max": Decimal("20000000"),
            "audience_kinds": ["it_company"],
        },
    )
    application = application_services.application_create(actor=staff, project=project, opportunity=opportunity)
    event = EventFactory()
    SessionFactory(event=event)
    IndicatorFactory(code="events", name="Мероприятия", unit="pieces", method="events")
    report = kpi_services.report_get_or_create(year=dt.date.today().year, quarter=1)
    subscription = SubscriptionFactory(
        user=staff, query="искусственный интеллект", email="s@example.invalid", email_confirmed_at=None
    )
    OkpdFactory(code="62.01.11", name="Услуги по проектированию")
    proposal = ProposalFactory(process=open_process(slug=event.slug))  # "{slug}" fills events and processes alike
    participation_services.comment_add(actor=staff, subject=proposal, body="Поддерживаю", stance="for")
    version = participation_services.version_publish(
        actor=staff, process=proposal.process, title="С", text="# Р\n\nПункт.\n"
    )
    remark = participation_services.remark_add(actor=staff, paragraph=version.paragraphs.get(), text="Уточнить")
    participation_services.remark_dispose(actor=staff, remark=remark, disposition="partial", justification="Частично")
    Result.objects.create(
        process=proposal.process, title="Данные открыты", source="manual", manual_progress=40, evidence="Акт"
    )
    material_services.section_save(actor=staff, project=project, document="memo", key="risks", lang="ru", text="Риск")
    material_services.section_save(actor=staff, project=project, document="memo", key="risks", lang="en", text="Risk")
    needs = api_world(organisation, {})
    return {
        "staff": staff,
        "organisation": organisation,
        "ids": {
            "needs/solutions": needs["solution"],
            "needs/matches": needs["need_match"],
            "needs": needs["need"],
            "organisations": organisation.pk,
            "projects": project.pk,
            "opportunities": opportunity.pk,
            "applications": application.pk,
            "kpis/reports": report.pk,
            "subscriptions": subscription.pk,
            "participation/proposals": proposal.pk,
            "materials": project.pk,
            "flagships": FlagshipFactory(project=project).pk,
            "flagships/deals": deal_create(
                actor=staff, project=project, data={"funder_name": "ЕАБР", "funder_class": "interstate_fund"}
            ).pk,
            "flagships/funders": FunderProfileFactory().pk,
        },
        "codes": {"okved2": "62.01", "okpd2": "62.01.11", "indicators": "events"},
        "slug": event.slug,
    }


FORMATS = jsonschema.FormatChecker()


@FORMATS.checks("uri")
def _is_uri(value: object) -> bool:  # jsonschema checks "uri" only with an extra package; blank URLs need it
    return not isinstance(value, str) or bool(urlparse(value).scheme)


def _filled(path: str, world: dict[str, Any]) -> str | None:
    for prefix, pk in world["ids"].items():
        path = path.replace(f"/{prefix}/{{id}}", f"/{prefix}/{pk}")
    for prefix, code in world["codes"].items():
        path = path.replace(f"/{prefix}/{{code}}", f"/{prefix}/{code}")
    path = path.replace("{iso_code}", "RU-SAM").replace("{slug}", world["slug"])
    return None if "{" in path else path


def test_every_get_operation_answers_what_its_schema_says(world: dict[str, Any]) -> None:
    schema = _schema()
    components = _as_json_schema(schema["components"])
    client = client_for(world["staff"])
    query = {"organisation": world["organisation"].pk}
    problems = []
    for path, method, operation in _operations(schema):
        if method != "get":
            continue
        url = _filled(path, world)
        if url is None:
            problems.append(f"GET {path}: тест не знает, чем заполнить путь — добавьте объект в world")
            continue
        needs_subject = any(p["name"] == "organisation" for p in operation.get("parameters", []))
        response = client.get(url, query if needs_subject else {})
        content = operation["responses"]["200"]["content"]
        if response.status_code != 200:
            problems.append(f"GET {url}: {response.status_code} {response.content[:200]!r}")
            continue
        media_type = response["Content-Type"].split(";")[0]
        if media_type not in content:
            problems.append(f"GET {url}: тип {media_type} не описан ({sorted(content)})")
            continue
        if media_type != "application/json":
            continue
        body_schema = {**_as_json_schema(content[media_type]["schema"]), "components": components}
        try:
            jsonschema.validate(response.json(), body_schema, format_checker=FORMATS)
        except jsonschema.ValidationError as exc:
            problems.append(f"GET {url}: {exc.message} at {list(exc.absolute_path)}")
    assert not problems, "\n".join(problems)


# ---- JSON everywhere under /api/ ----


def test_unknown_api_path_answers_json_404_for_any_method_even_without_csrf_token() -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(role="staff"))
    for method in ("get", "post", "put", "patch", "delete"):
        response = getattr(client, method)("/api/v1/no-such-thing")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json()["error"]["code"] == "not_found"


def test_csrf_failure_under_api_is_json_and_the_page_elsewhere() -> None:
    api = errors.csrf_failure(RequestFactory().post("/api/v1/projects"), reason="CSRF cookie not set.")
    assert api.status_code == 403
    assert json.loads(api.content)["error"]["code"] == "csrf_failed"
    page = errors.csrf_failure(RequestFactory().post("/projects/new/"), reason="CSRF cookie not set.")
    assert page.status_code == 403
    assert page["Content-Type"].startswith("text/html")


def test_session_write_without_csrf_token_answers_json_403() -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(role="staff"))
    response = client.post("/api/v1/projects", "{}", content_type="application/json")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"


def test_method_not_allowed_is_json_with_allow_header(staff_client: Client) -> None:
    response = staff_client.delete(f"/api/v1/projects/{ProjectFactory().pk}")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
    assert "GET" in response["Allow"]


def test_a_crash_under_api_answers_json_500(monkeypatch: pytest.MonkeyPatch) -> None:
    from projectoffice.api import views

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(views.ProjectViewSet, "list", crash)
    client = client_for(UserFactory(role="staff"))
    client.raise_request_exception = False
    response = client.get("/api/v1/projects")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "server_error"


def test_form_bodies_are_refused_with_415(staff_client: Client) -> None:
    response = staff_client.post("/api/v1/classify", {"text": "нейросети", "scheme": "okpd2"})
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"


def test_downloads_carry_their_real_media_type(world: dict[str, Any]) -> None:
    client = client_for(world["staff"])
    url = f"/api/v1/applications/{world['ids']['applications']}/package"
    assert client.get(url, {"kind": "pdf"})["Content-Type"] == "application/pdf"
    assert client.get(url, {"kind": "zip"})["Content-Type"] == "application/zip"
    docx = client.get(url, {"kind": "docx"})["Content-Type"]
    assert docx == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
