"""API v1 for needs by role: filing through the public form's rules, an expert reading only what was sent to them
(contacts only once taken), a vendor's member editing only their solutions, match moves through the lifecycle,
the anonymised landscape."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from projectoffice.needs.models import IntakeRequest, Match, MatchStatus, Solution
from tests.api.helpers import assert_error_shape, bearer, patch_json, post_json
from tests.factories import UserFactory, member_of, valid_inn
from tests.needs.ops_factories import ExpertFactory, MatchFactory, NeedFactory, SolutionFactory, SubjectFactory

pytestmark = pytest.mark.django_db


def _intake(**changes: object) -> dict[str, object]:
    body = {"inn": valid_inn(9), "organisation_name": "АО «Тяжмаш»", "contact_name": "Иван Петров",
            "contact_email": "petrov@example.invalid", "subject": SubjectFactory().pk,
            "description": "Нужна диспетчеризация станков", "consent": True}  # fmt: skip
    return {**body, **changes}


def test_anyone_files_a_request_and_gets_the_confirmation_email(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        answer = post_json(Client(), "/api/v1/needs", _intake())
    assert answer.status_code == 201, answer.content
    request = IntakeRequest.objects.get(pk=answer.json()["request"])
    assert request.source == "API" and request.consent_at is not None
    assert [m.to for m in mail.outbox] == [["petrov@example.invalid"]]


@pytest.mark.parametrize(("changes", "field"), [
    ({"inn": "7707083894"}, "inn"),  # a wrong check digit
    ({"consent": False}, "consent"),
    ({"subject": 10**9}, "subject"),
    ({"description": ""}, "description"),
])  # fmt: skip
def test_bad_requests_are_refused_with_nothing_stored(changes: dict[str, object], field: str) -> None:
    answer = post_json(Client(), "/api/v1/needs", _intake(**changes))
    assert answer.status_code == 400
    assert field in assert_error_shape(answer, "invalid")["fields"]
    assert IntakeRequest.objects.count() == 0


def test_the_address_limit_of_the_form_applies_to_the_api(settings) -> None:  # type: ignore[no-untyped-def]
    settings.NEEDS_INTAKE_RATE_LIMIT = 1
    client = Client()
    assert post_json(client, "/api/v1/needs", _intake()).status_code == 201
    refused = post_json(client, "/api/v1/needs", _intake(contact_email="again@example.invalid"))
    assert refused.status_code == 429 and IntakeRequest.objects.count() == 1


def test_an_expert_reads_only_the_needs_sent_to_them_and_contacts_only_once_taken() -> None:
    expert = ExpertFactory()
    mine = MatchFactory(expert=expert)
    other = NeedFactory()
    client = Client()
    listed = client.get("/api/v1/needs", **bearer(expert.user)).json()
    assert [n["id"] for n in listed["results"]] == [mine.need_id]
    assert listed["results"][0]["contact"] is None
    assert client.get(f"/api/v1/needs/{other.pk}", **bearer(expert.user)).status_code == 404
    moved = post_json(client, f"/api/v1/needs/matches/{mine.pk}/status", {"status": "taken"}, user=expert.user)
    assert moved.status_code == 200 and moved.json()["status"] == "taken"
    detail = client.get(f"/api/v1/needs/{mine.need_id}", **bearer(expert.user)).json()
    assert detail["contact"]["name"] == mine.need.request.contact_name and detail["status"] == "taken"


def test_a_refused_transition_answers_409_and_changes_nothing() -> None:
    expert = ExpertFactory()
    match = MatchFactory(expert=expert)
    client = Client()
    refused = post_json(client, f"/api/v1/needs/matches/{match.pk}/status", {"status": "helped"}, user=expert.user)
    assert refused.status_code == 409 and "нельзя" in assert_error_shape(refused, "conflict")["message"]
    no_reason = post_json(client, f"/api/v1/needs/matches/{match.pk}/status", {"status": "not_for_me"},
                          user=expert.user)  # fmt: skip
    assert no_reason.status_code == 409
    match.refresh_from_db()
    assert match.status == MatchStatus.NEW


def test_another_expert_cannot_move_a_match_that_is_not_theirs() -> None:
    match = MatchFactory()
    stranger = ExpertFactory()
    answer = post_json(Client(), f"/api/v1/needs/matches/{match.pk}/status", {"status": "taken"}, user=stranger.user)
    assert answer.status_code == 404
    assert Match.objects.get(pk=match.pk).status == MatchStatus.NEW


def test_a_vendors_member_edits_only_their_own_solutions() -> None:
    own, foreign = SolutionFactory(), SolutionFactory()
    member = member_of(own.vendor)
    client = Client()
    renamed = patch_json(client, f"/api/v1/needs/solutions/{own.pk}", {"name": "Диспетчер 2.0"}, user=member)
    assert renamed.status_code == 200 and renamed.json()["name"] == "Диспетчер 2.0"
    refused = patch_json(client, f"/api/v1/needs/solutions/{foreign.pk}", {"name": "Захват"}, user=member)
    assert refused.status_code == 403 and Solution.objects.get(pk=foreign.pk).name != "Захват"
    created = post_json(client, "/api/v1/needs/solutions", {"vendor": foreign.vendor_id, "name": "Чужое",
                                                            "description": "x"}, user=member)  # fmt: skip
    assert created.status_code == 403
    mine = post_json(client, "/api/v1/needs/solutions", {"vendor": own.vendor_id, "name": "Склад",
                                                         "description": "WMS"}, user=member)  # fmt: skip
    assert mine.status_code == 201 and mine.json()["verified"] is False
    assert client.delete(f"/api/v1/needs/solutions/{own.pk}", **bearer(member)).status_code == 405  # never deleted
    assert patch_json(client, f"/api/v1/needs/solutions/{own.pk}", {"published": False}, user=member).status_code == 200
    assert Solution.objects.get(pk=own.pk).published is False
    assert Client().get(f"/api/v1/needs/solutions/{own.pk}").status_code == 404  # no longer public


def test_the_landscape_api_is_anonymised() -> None:
    need = NeedFactory()
    body = Client().get("/api/v1/needs/landscape").json()
    assert body["anonymised"] is True and body["total"] == 1
    text = str(body)
    for secret in (need.organisation.name, need.organisation.inn, need.request.contact_email, need.description):
        assert secret not in text


@pytest.mark.parametrize("role", ["community", "member"])
def test_users_with_no_matches_see_no_needs(role: str) -> None:
    NeedFactory()
    user = UserFactory(role=role)
    assert Client().get("/api/v1/needs", **bearer(user)).json()["results"] == []
