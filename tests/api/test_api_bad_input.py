"""Requests that once answered 500 or were accepted against the schema: each answers 400 and stores nothing."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from projectoffice.opportunities.models import Opportunity
from tests.factories import OkvedFactory, OrganisationFactory, SubscriptionFactory, UserFactory

pytestmark = pytest.mark.django_db

OPPORTUNITY = {"kind": "grant", "external_id": "g-1", "title": "Грант", "provider_name": "Фонд"}


def _send(client: Client, method: str, url: str, body: object):  # type: ignore[no-untyped-def]
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("field", ["audience_kinds", "project_stages", "size_categories", "okved_prefixes"])
def test_opportunity_with_a_null_list_is_refused_not_crashed(staff_client: Client, field: str) -> None:
    response = _send(staff_client, "post", "/api/v1/opportunities", {**OPPORTUNITY, field: None})
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert not Opportunity.objects.exists()


def test_opportunity_sent_as_a_form_with_null_audience_is_refused_not_crashed(staff_client: Client) -> None:
    # A multipart body once turned "null" into a NULL for a NOT NULL column: 500 and a half-done request.
    response = staff_client.post("/api/v1/opportunities", {**OPPORTUNITY, "audience_kinds": "null"})
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"
    assert not Opportunity.objects.exists()


def test_opportunity_with_an_unknown_audience_is_refused(staff_client: Client) -> None:
    response = _send(staff_client, "post", "/api/v1/opportunities", {**OPPORTUNITY, "audience_kinds": ["aliens"]})
    assert response.status_code == 400
    assert not Opportunity.objects.exists()


def test_opportunity_whose_external_id_holds_invisible_characters_is_created(staff_client: Client) -> None:
    response = _send(staff_client, "post", "/api/v1/opportunities", {**OPPORTUNITY, "external_id": "g\u200b-2"})
    assert response.status_code == 201, response.content
    assert Opportunity.objects.get(pk=response.json()["id"]).external_id == "g-2"


def test_subscription_cannot_lose_both_its_organisation_and_its_query(staff_client: Client) -> None:
    user = UserFactory(role="staff")
    subscription = SubscriptionFactory(user=user, query="нейросети", email="s@example.invalid", email_confirmed_at=None)
    client = Client()
    client.force_login(user)
    url = f"/api/v1/subscriptions/{subscription.pk}"
    response = _send(client, "patch", url, {"query": "", "organisation": None})
    assert response.status_code == 400
    assert "query" in response.json()["error"]["fields"]
    subscription.refresh_from_db()
    assert subscription.query == "нейросети"
    assert _send(client, "patch", url, {"query": "\u200b "}).status_code == 400
    assert _send(client, "patch", url, {"kinds": None}).status_code == 400
    assert _send(client, "patch", url, {"is_active": False}).status_code == 200


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        ("/api/v1/classify", {"text": 0, "scheme": "okpd2"}, "text"),
        ("/api/v1/classify", {"text": "ИИ", "scheme": "okpd2", "top": "5"}, "top"),
        ("/api/v1/classify", {"text": "ИИ", "scheme": "okpd2", "top": 5.0}, "top"),
        ("/api/v1/kpis/reports", {"year": "2026", "quarter": 1}, "year"),
        ("/api/v1/subscriptions", {"query": "ИИ", "email": "s@example.invalid", "is_active": "no"}, "is_active"),
    ],
)
def test_a_value_of_another_json_type_is_refused(staff_client: Client, url: str, body: dict, field: str) -> None:
    response = _send(staff_client, "post", url, body)
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_blank_string_for_a_nullable_code_is_refused_not_read_as_null(staff_client: Client) -> None:
    organisation = OrganisationFactory(main_okved=OkvedFactory())
    response = _send(staff_client, "patch", f"/api/v1/organisations/{organisation.pk}", {"main_okved": ""})
    assert response.status_code == 400
    organisation.refresh_from_db()
    assert organisation.main_okved_id is not None


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/organisations?it_accredited=AAA",
        "/api/v1/opportunities?closes_before=",
        "/api/v1/opportunities?kind=",
        "/api/v1/projects?lead_organisation=1180591620717411303424",
        "/api/v1/matches?organisation=999999&limit=abc",
        "/api/v1/applications?page_size=null",
    ],
)
def test_a_query_value_the_schema_does_not_allow_answers_400(staff_client: Client, url: str) -> None:
    OrganisationFactory()
    response = staff_client.get(url)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        ("/api/v1/applications", {"project": 2**70, "opportunity": 1}, "project"),
        ("/api/v1/projects", {"title": "П", "lead_organisation": 2**70}, "lead_organisation"),
        ("/api/v1/matches/feedback", {"opportunity": 2**70, "verdict": "interested"}, "opportunity"),
        ("/api/v1/matches/feedback", {"opportunity": 1, "verdict": "interested", "project": 2**70}, "project"),
        ("/api/v1/subscriptions", {"organisation": 2**70, "email": "s@example.invalid"}, "organisation"),
    ],
)
def test_an_identifier_past_64_bits_in_a_body_answers_400(
    staff_client: Client, url: str, body: dict, field: str
) -> None:
    response = _send(staff_client, "post", url, body)
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
