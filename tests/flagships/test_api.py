"""API v1 for flagships: reading the portfolio and moving a deal, with the same rules as the pages."""

from __future__ import annotations

import pytest
from django.test import Client

from projectoffice.flagships.models import Deal
from tests.api.helpers import bearer, post_json
from tests.factories import DealFactory, ProjectFactory, UserFactory, member_of
from tests.flagships.helpers import flagship_with_partners

pytestmark = pytest.mark.django_db


def test_the_office_moves_a_deal_through_the_api_and_a_skipped_stage_is_refused() -> None:
    staff = UserFactory(role="staff")
    deal = DealFactory()
    response = post_json(Client(), f"/api/v1/flagships/deals/{deal.pk}/move", {"to_stage": "intro_made"}, staff)
    assert response.status_code == 200 and response.json()["stage"] == "intro_made"
    response = post_json(Client(), f"/api/v1/flagships/deals/{deal.pk}/move", {"to_stage": "closed"}, staff)
    assert response.status_code == 400
    deal.refresh_from_db()
    assert deal.stage == "intro_made"


def test_the_portfolio_lists_readiness_and_the_promise() -> None:
    staff = UserFactory(role="staff")
    flagship = flagship_with_partners(staff)
    body = Client().get("/api/v1/flagships", **bearer(UserFactory(role="grantor"))).json()
    row = body["results"][0]
    assert row["id"] == flagship.pk and row["meets_promise"] is False
    assert row["readiness"][0]["funder_class"] == "large_company" and row["readiness"][0]["missing"]


def test_a_member_lists_only_the_deals_of_projects_their_organisation_leads() -> None:
    own = ProjectFactory()
    mine, _other = DealFactory(project=own), DealFactory()
    body = Client().get("/api/v1/flagships/deals", **bearer(member_of(own.lead_organisation))).json()
    assert [d["id"] for d in body["results"]] == [mine.pk]
    assert Deal.objects.count() == 2


def test_a_stage_move_dated_in_the_future_is_refused_through_the_api() -> None:
    staff = UserFactory(role="staff")
    deal = DealFactory()
    response = post_json(
        Client(), f"/api/v1/flagships/deals/{deal.pk}/move", {"to_stage": "intro_made", "on": "2999-05-05"}, staff
    )
    assert response.status_code == 400 and "позже сегодняшнего дня" in str(response.json())
    deal.refresh_from_db()
    assert deal.stage == "intro_requested"
