"""Roles × every operation of the OpenAPI schema: who gets through and who is turned away, with nothing changed.

The operations come from /api/v1/openapi.json, so an endpoint added tomorrow fails this test until someone says
here which roles may use it. For each operation, every role calls it on the same small world (their own
organisation, another one, a project, an application with an assigned expert, an event, a KPI report):

- a role that may not use it gets 400, 401, 403 or 404 — never a success — and no row changes anywhere;
- a role that may use it is never turned away (no 401, 403 or 404); the body may still be refused as invalid.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken

from projectoffice.kpis.services import report_get_or_create
from projectoffice.materials.models import Section
from tests.events.factories import EventFactory, RegistrationFactory
from tests.factories import (
    ApplicationFactory,
    DealFactory,
    ExpertAssignmentFactory,
    FlagshipFactory,
    FunderProfileFactory,
    IndicatorFactory,
    OkpdFactory,
    OkvedFactory,
    OpportunityFactory,
    OrganisationFactory,
    ProjectFactory,
    SubscriptionFactory,
    UserFactory,
    member_of,
)
from tests.needs.ops_factories import api_world
from tests.participation.factories import ProposalFactory

pytestmark = pytest.mark.django_db
PASSWORD = "secret-pass-123"  # what UserFactory gives everyone

ROLES = ["anonymous", "community", "member_other", "expert", "grantor", "member_own", "staff"]
EVERYONE = set(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
OFFICE = {"staff"}
OVERSIGHT = {"staff", "grantor"}
OWN = {"staff", "member_own"}
READERS_OF_THE_PROJECT = {"staff", "grantor", "expert", "member_own"}  # experts read every project
READERS_OF_THE_APPLICATION = {"staff", "grantor", "expert", "member_own"}  # this expert is assigned to it
LISTERS_OF_APPLICATIONS = {"staff", "grantor", "expert", "member_own", "member_other"}
READERS_OF_MATERIALS = {"staff", "grantor", "member_own"}  # the project's members and the oversight, no experts
MATCH_READERS = {"staff", "grantor", "expert", "member_own"}  # of a project; experts see projects' matches
PARTICIPANTS = SIGNED_IN - {"grantor"}
NEED_READERS = {
    "staff",
    "grantor",
    "expert",
    "member_own",
}  # the need was sent to the expert and to own's solution  # the grantor oversees and does not take part

Call = tuple[str, dict[str, Any], Any]  # path with its parameters filled, query, body
Build = Callable[[dict[str, Any], str], Call]


def _path(template: str) -> Build:
    def build(world: dict[str, Any], role: str) -> Call:
        return template.format(**world["ids"], key=world["token_keys"].get(role, "x")), {}, {}

    return build


def _with(template: str, *, query: dict[str, Any] | None = None, body: Any = None) -> Build:
    def build(world: dict[str, Any], role: str) -> Call:
        ids = world["ids"]
        fill = lambda v: v.format(**ids) if isinstance(v, str) else v  # noqa: E731
        return (
            template.format(**ids),
            {k: fill(v) for k, v in (query or {}).items()},
            json.loads(json.dumps(body or {}).replace('"@project"', str(ids["project"])).replace(
                '"@opportunity"', str(ids["opportunity"])).replace('"@organisation"', str(ids["own"])).replace('"@subject"', str(ids["subject"]))),
        )  # fmt: skip

    return build


# Who may use each operation, and how to call it. Every operation in the schema must be here.
MATRIX: dict[str, tuple[set[str], Build]] = {
    "applications_list": (LISTERS_OF_APPLICATIONS, _path("/api/v1/applications")),
    "applications_create": (OWN, _with("/api/v1/applications", body={"project": "@project", "opportunity": "@opportunity"})),
    "applications_retrieve": (READERS_OF_THE_APPLICATION, _path("/api/v1/applications/{application}")),
    "applications_attachments_create": (OWN, _path("/api/v1/applications/{application}/attachments")),
    "applications_budget_create": (OWN, _with("/api/v1/applications/{application}/budget", body={"name": "Работы", "own_funds": "1", "requested": "1", "cofinancing": "0"})),
    "applications_declare_create": ({"expert"}, _with("/api/v1/applications/{application}/declare", body={"no_conflict": True})),
    "applications_experts_create": (OFFICE, _with("/api/v1/applications/{application}/experts", body={"expert": "{expert}"})),
    "applications_outcome_create": (OWN, _with("/api/v1/applications/{application}/outcome", body={"outcome": "supported", "decided_on": "2026-01-10"})),
    "applications_package_retrieve": (READERS_OF_THE_APPLICATION, _with("/api/v1/applications/{application}/package", query={"kind": "docx"})),
    "applications_readiness_retrieve": (READERS_OF_THE_APPLICATION, _path("/api/v1/applications/{application}/readiness")),
    "applications_review_retrieve": (READERS_OF_THE_APPLICATION, _path("/api/v1/applications/{application}/review")),
    "applications_scores_create": ({"expert"}, _with("/api/v1/applications/{application}/scores", body={"scores": []})),
    "applications_sections_create": (OWN, _with("/api/v1/applications/{application}/sections", body={"section": "{section}", "text": "Текст", "base_version": 1})),
    "applications_submit_create": (OWN, _with("/api/v1/applications/{application}/submit", body={"submitted_on": "2026-01-10", "number": "1"})),
    "auth_logout_create": (SIGNED_IN, _path("/api/v1/auth/logout")),
    "auth_token_create": (EVERYONE, lambda world, role: ("/api/v1/auth/token", {}, {"username": world["users"].get(role, world["users"]["staff"]).username, "password": PASSWORD})),
    "auth_tokens_list": (SIGNED_IN, _path("/api/v1/auth/tokens")),
    "auth_tokens_destroy": (SIGNED_IN, _path("/api/v1/auth/tokens")),
    "auth_token_revoke": (SIGNED_IN, _path("/api/v1/auth/tokens/{key}")),
    "classifiers_okpd2_list": (SIGNED_IN, _path("/api/v1/classifiers/okpd2")),
    "classifiers_okpd2_retrieve": (SIGNED_IN, _path("/api/v1/classifiers/okpd2/{okpd}")),
    "classifiers_okved2_list": (SIGNED_IN, _path("/api/v1/classifiers/okved2")),
    "classifiers_okved2_retrieve": (SIGNED_IN, _path("/api/v1/classifiers/okved2/{okved}")),
    "classifiers_regions_list": (SIGNED_IN, _path("/api/v1/classifiers/regions")),
    "classifiers_regions_retrieve": (SIGNED_IN, _path("/api/v1/classifiers/regions/{region}")),
    "classify_create": (SIGNED_IN, _with("/api/v1/classify", body={"text": "разработка программ", "scheme": "okved2"})),
    "events_list": (EVERYONE, _path("/api/v1/events")),
    "events_retrieve": (EVERYONE, _path("/api/v1/events/{event}")),
    "events_checkin_create": (OFFICE, _with("/api/v1/events/{event}/checkin", body={"code": "{ticket}"})),
    "events_register_create": (EVERYONE, _with("/api/v1/events/{event}/register", body={"full_name": "Иван", "email": "x@example.invalid", "consent": True})),
    "flagships_list": (OVERSIGHT, _path("/api/v1/flagships")),
    "flagships_retrieve": (OVERSIGHT, _path("/api/v1/flagships/{flagship}")),
    "flagships_funders_list": (OVERSIGHT, _path("/api/v1/flagships/funders")),
    "flagships_funders_retrieve": (OVERSIGHT, _path("/api/v1/flagships/funders/{funder}")),
    "flagships_deals_list": (SIGNED_IN, _path("/api/v1/flagships/deals")),
    "flagships_deals_create": (OFFICE, _with("/api/v1/flagships/deals", body={"project": "@project", "funder_name": "ЕАБР", "funder_class": "interstate_fund"})),
    "flagships_deals_retrieve": (OVERSIGHT | {"member_own"}, _path("/api/v1/flagships/deals/{deal}")),
    "flagships_deals_move_create": (OFFICE, _with("/api/v1/flagships/deals/{deal}/move", body={"to_stage": "intro_made"})),
    "kpis_indicators_list": (OVERSIGHT, _path("/api/v1/kpis/indicators")),
    "kpis_indicators_retrieve": (OVERSIGHT, _path("/api/v1/kpis/indicators/{indicator}")),
    "kpis_indicators_records_retrieve": (OVERSIGHT, _path("/api/v1/kpis/indicators/{indicator}/records")),
    "kpis_reports_list": (OVERSIGHT, _path("/api/v1/kpis/reports")),
    "kpis_reports_create": (OFFICE, _with("/api/v1/kpis/reports", body={"year": 2026, "quarter": 2})),
    "kpis_reports_retrieve": (OVERSIGHT, _path("/api/v1/kpis/reports/{report}")),
    "kpis_reports_submit_create": (OFFICE, _with("/api/v1/kpis/reports/{report}/submit", body={"confirm": True})),
    "materials_list": (SIGNED_IN, _path("/api/v1/materials")),
    "materials_retrieve": (READERS_OF_MATERIALS, _path("/api/v1/materials/{project}")),
    "matches_list": (MATCH_READERS, _with("/api/v1/matches", query={"project": "{project}"})),
    "matches_feedback_create": (OWN, _with("/api/v1/matches/feedback", body={"opportunity": "@opportunity", "verdict": "interested", "project": "@project"})),
    "needs_list": (SIGNED_IN, _path("/api/v1/needs")),
    "needs_create": (EVERYONE, _with("/api/v1/needs", body={"inn": "7707083893", "organisation_name": "ПАО «Завод»", "contact_name": "Иван", "contact_email": "i@example.invalid", "subject": "@subject", "description": "Нужна MES", "consent": True})),
    "needs_retrieve": (NEED_READERS, _path("/api/v1/needs/{need}")),
    "needs_landscape_retrieve": (EVERYONE, _path("/api/v1/needs/landscape")),
    "needs_matches_list": (SIGNED_IN, _path("/api/v1/needs/matches")),
    "needs_matches_retrieve": ({"staff", "grantor", "expert"}, _path("/api/v1/needs/matches/{need_match}")),
    "needs_matches_status_create": ({"staff", "expert"}, _with("/api/v1/needs/matches/{need_match}/status", body={"status": "taken"})),
    "needs_solutions_list": (EVERYONE, _path("/api/v1/needs/solutions")),
    "needs_solutions_create": (OWN, _with("/api/v1/needs/solutions", body={"vendor": "@organisation", "name": "Новое решение", "description": "MES"})),
    "needs_solutions_retrieve": (EVERYONE, _path("/api/v1/needs/solutions/{solution}")),
    "needs_solutions_update": (OWN, _with("/api/v1/needs/solutions/{solution}", body={"vendor": "@organisation", "name": "Решение", "description": "MES"})),
    "needs_solutions_partial_update": (OWN, _with("/api/v1/needs/solutions/{solution}", body={"name": "Решение 2"})),
    "opportunities_list": (EVERYONE, _path("/api/v1/opportunities")),
    "opportunities_create": (OFFICE, _with("/api/v1/opportunities", body={"kind": "grant", "title": "Новая мера", "external_id": "new-1", "provider_name": "Фонд"})),
    "opportunities_retrieve": (EVERYONE, _path("/api/v1/opportunities/{opportunity}")),
    "opportunities_update": (OFFICE, _with("/api/v1/opportunities/{opportunity}", body={"kind": "grant", "title": "Мера", "external_id": "m-1", "provider_name": "Фонд"})),
    "opportunities_partial_update": (OFFICE, _with("/api/v1/opportunities/{opportunity}", body={"title": "Мера (уточнено)"})),
    "opportunities_eligibility_retrieve": (MATCH_READERS, _with("/api/v1/opportunities/{opportunity}/eligibility", query={"project": "{project}"})),
    "opportunities_participants_list": (OVERSIGHT, _path("/api/v1/opportunities/{opportunity}/participants")),
    "organisations_list": (SIGNED_IN, _path("/api/v1/organisations")),
    "organisations_create": (OFFICE, _with("/api/v1/organisations", body={"kind": "it_company", "name": "ООО «Новая»"})),
    "organisations_retrieve": (SIGNED_IN, _path("/api/v1/organisations/{own}")),
    "organisations_update": (OWN, _with("/api/v1/organisations/{own}", body={"kind": "it_company", "name": "ООО «Своя»"})),
    "organisations_partial_update": (OWN, _with("/api/v1/organisations/{own}", body={"description": "Изменено"})),
    "organisations_figures_list": (OVERSIGHT | {"member_own"}, _path("/api/v1/organisations/{own}/figures")),
    "organisations_figures_create": (OWN, _with("/api/v1/organisations/{own}/figures", body={"year": 2025, "revenue": "1000", "headcount": 3})),
    "organisations_products_list": (SIGNED_IN, _path("/api/v1/organisations/{own}/products")),
    "organisations_products_create": (OWN, _with("/api/v1/organisations/{own}/products", body={"name": "Продукт"})),
    "participation_processes_list": (EVERYONE, _path("/api/v1/participation/processes")),
    "participation_processes_retrieve": (EVERYONE, _path("/api/v1/participation/processes/{process}")),
    "participation_processes_remarks_list": (EVERYONE, _path("/api/v1/participation/processes/{process}/remarks")),
    "participation_processes_results_list": (EVERYONE, _path("/api/v1/participation/processes/{process}/results")),
    "participation_proposals_list": (EVERYONE, _with("/api/v1/participation/proposals", query={"process": "{process}"})),
    "participation_proposals_create": (PARTICIPANTS, lambda world, role: ("/api/v1/participation/proposals", {}, {"process": world["ids"]["process"], "title": "Открытые данные", "body": "Публиковать расписания"})),
    "participation_proposals_retrieve": (EVERYONE, _path("/api/v1/participation/proposals/{proposal}")),
    "participation_proposals_comments_list": (EVERYONE, _path("/api/v1/participation/proposals/{proposal}/comments")),
    "participation_proposals_support_create": (PARTICIPANTS, _path("/api/v1/participation/proposals/{proposal}/support")),
    "participation_proposals_withdraw_create": ({"community"}, _with("/api/v1/participation/proposals/{own_proposal}/withdraw", body={"reason": "Передумал"})),
    "projects_list": (LISTERS_OF_APPLICATIONS, _path("/api/v1/projects")),
    "projects_create": (OWN, _with("/api/v1/projects", body={"title": "Новый", "lead_organisation": "@organisation", "summary": "Кратко"})),
    "projects_retrieve": (READERS_OF_THE_PROJECT, _path("/api/v1/projects/{project}")),
    "projects_update": (OWN, _with("/api/v1/projects/{project}", body={"title": "Проект", "lead_organisation": "@organisation", "summary": "Кратко"})),
    "projects_partial_update": (OWN, _with("/api/v1/projects/{project}", body={"title": "Переименован"})),
    "projects_move_create": (OFFICE, _with("/api/v1/projects/{project}/move", body={"to_stage": "screening", "reason": "Отбор"})),
    "projects_stage_moves_list": (READERS_OF_THE_PROJECT, _path("/api/v1/projects/{project}/stage-moves")),
    "subscriptions_list": (SIGNED_IN, _path("/api/v1/subscriptions")),
    "subscriptions_create": (SIGNED_IN, _with("/api/v1/subscriptions", body={"query": "бензин"})),
    "subscriptions_partial_update": ({"member_own"}, _with("/api/v1/subscriptions/{subscription}", body={"query": "дизель"})),
    "subscriptions_destroy": ({"member_own"}, _path("/api/v1/subscriptions/{subscription}")),
}  # fmt: skip


def _schema_operations() -> dict[str, tuple[str, str]]:
    schema = Client().get("/api/v1/openapi.json").json()
    return {
        operation["operationId"]: (method, path)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    }


def _world() -> dict[str, Any]:
    own, other = OrganisationFactory(name="ООО «Своя»"), OrganisationFactory(name="ООО «Чужая»")
    users = {
        "community": UserFactory(role="community"),
        "expert": UserFactory(role="expert"),
        "grantor": UserFactory(role="grantor"),
        "staff": UserFactory(role="staff"),
        "member_own": member_of(own),
        "member_other": member_of(other),
    }
    project = ProjectFactory(lead_organisation=own)
    Section.objects.create(project=project, document="memo", key="problem", lang="ru", text="Проблема")
    application = ApplicationFactory(project=project)
    ExpertAssignmentFactory(application=application, expert=users["expert"], assigned_by=users["staff"])
    event = EventFactory()
    ticket = RegistrationFactory(event=event).ticket_code
    indicator = IndicatorFactory(code="investment", name="Инвестиции", unit="rub", method="investment")
    okpd = OkpdFactory(code="62.01.11.000", name="Услуги по разработке ПО")
    proposal = ProposalFactory()
    own_proposal = ProposalFactory(process=proposal.process, author=users["community"])
    tokens = {role: AuthToken.objects.create(user=user) for role, user in users.items()}
    return {
        "users": users,
        "tokens": {role: plain for role, (_, plain) in tokens.items()},
        "token_keys": {role: instance.token_key for role, (instance, _) in tokens.items()},
        "ids": {
            "own": own.pk,
            "project": project.pk,
            "application": application.pk,
            "section": application.sections.first().pk,
            "opportunity": OpportunityFactory(closes_on=timezone.localdate().replace(year=2099)).pk,
            "expert": users["expert"].pk,
            "event": event.slug,
            "ticket": ticket,
            "indicator": indicator.code,
            "report": report_get_or_create(year=2026, quarter=1).pk,
            "subscription": SubscriptionFactory(user=users["member_own"], organisation=own).pk,
            "okved": OkvedFactory().code,
            "okpd": okpd.code,
            "region": own.region.iso_code,
            "process": proposal.process.slug,
            "proposal": proposal.pk,
            "own_proposal": own_proposal.pk,
            "flagship": FlagshipFactory(project=project).pk,
            "funder": FunderProfileFactory().pk,
            "deal": DealFactory(project=project).pk,
            **api_world(own, users),
        },
    }


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model.__module__.startswith("projectoffice.") or model._meta.app_label == "knox"
    }


def test_every_operation_in_the_schema_says_who_may_use_it() -> None:
    operations = _schema_operations()
    assert set(operations) - set(MATRIX) == set(), "operations nobody has placed in the role matrix"
    assert set(MATRIX) - set(operations) == set(), "matrix rows for operations the schema no longer has"


@pytest.mark.parametrize("operation_id", sorted(MATRIX))
def test_each_role_gets_through_or_is_turned_away_with_nothing_changed(operation_id: str) -> None:
    allowed, build = MATRIX[operation_id]
    method, _ = _schema_operations()[operation_id]
    world = _world()
    problems = []
    for role in sorted(ROLES, key=lambda r: r in allowed):  # the turned-away first, while nothing has changed
        path, query, body = build(world, role)
        headers = {} if role == "anonymous" else {"HTTP_AUTHORIZATION": f"Bearer {world['tokens'][role]}"}
        client = Client()
        before = _row_counts() if role not in allowed else None
        if method == "get":
            response = client.get(path, query, **headers)
        else:
            url = path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
            response = getattr(client, method)(url, json.dumps(body), content_type="application/json", **headers)
        status = response.status_code
        if role in allowed:
            if status in (401, 403, 404) or status >= 500:
                problems.append(f"{role}: {status} {response.content[:200]!r}")
        else:
            if status < 400 or status >= 500:
                problems.append(f"{role} got through: {status}")
            elif before != _row_counts():
                problems.append(f"{role}: {status}, but rows changed")
    assert not problems, f"{method.upper()} {operation_id}:\n" + "\n".join(problems)
