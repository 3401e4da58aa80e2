"""Yearly figures and software products of an organisation through the API: the same rules as the UI."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from projectoffice.audit.models import AuditEvent
from projectoffice.organisations.models import Organisation, OrganisationFigures, SoftwareProduct
from tests.api.helpers import post_json
from tests.conftest import client_for
from tests.factories import FiguresFactory, OrganisationFactory, SoftwareProductFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db


def test_member_records_figures_of_own_organisation_and_it_is_audited() -> None:
    organisation = OrganisationFactory()
    client = client_for(member_of(organisation))
    url = f"/api/v1/organisations/{organisation.pk}/figures"
    response = post_json(client, url, {"year": 2024, "revenue": "150000000.00", "headcount": 40})
    assert response.status_code == 200, response.content
    assert response.json() == {"year": 2024, "revenue": "150000000.00", "headcount": 40, "size_category": "small"}
    organisation.refresh_from_db()
    assert organisation.size_category == "small"
    event = AuditEvent.objects.get(action="organisations.figures_set")
    assert event.changes["2024.headcount"] == {"before": None, "after": 40}
    assert client.get(url).json() == [response.json()]


def test_staff_corrects_a_year_instead_of_adding_a_second_row(staff_client: Client) -> None:
    organisation = OrganisationFactory()
    url = f"/api/v1/organisations/{organisation.pk}/figures"
    post_json(staff_client, url, {"year": 2024, "revenue": 1000, "headcount": 5})
    response = post_json(staff_client, url, {"year": 2024, "revenue": "2000.50", "headcount": 6})
    assert response.status_code == 200
    figures = OrganisationFigures.objects.get(organisation=organisation)
    assert (figures.revenue, figures.headcount) == (Decimal("2000.50"), 6)


def test_member_cannot_write_figures_of_other_organisation() -> None:
    organisation = OrganisationFactory()
    client = client_for(member_of(OrganisationFactory()))
    response = post_json(client, f"/api/v1/organisations/{organisation.pk}/figures", {"year": 2024, "headcount": 4})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert not OrganisationFigures.objects.exists()


@pytest.mark.parametrize("role", ["grantor", "expert", "community"])
def test_only_staff_and_members_write_figures(role: str) -> None:
    organisation = OrganisationFactory()
    client = client_for(UserFactory(role=role))
    response = post_json(client, f"/api/v1/organisations/{organisation.pk}/figures", {"year": 2024, "headcount": 4})
    assert response.status_code == 403
    assert not OrganisationFigures.objects.exists()


def test_grantor_reads_figures_but_community_user_does_not() -> None:
    organisation = OrganisationFactory()
    FiguresFactory(organisation=organisation, year=2024, revenue=Decimal(5), headcount=1)
    url = f"/api/v1/organisations/{organisation.pk}/figures"
    read = client_for(UserFactory(role="grantor")).get(url)
    assert read.status_code == 200
    assert [(row["year"], row["headcount"]) for row in read.json()] == [(2024, 1)]
    refused = client_for(UserFactory(role="community")).get(url)
    assert (refused.status_code, "2024" in refused.content.decode()) == (403, False)
    anonymous = Client().get(url)
    assert (anonymous.status_code, "2024" in anonymous.content.decode()) == (401, False)


@pytest.mark.parametrize(
    "body",
    [
        {"year": 1800, "headcount": 4},
        {"year": 2024, "revenue": "-1", "headcount": 4},
        {"year": 2024, "revenue": "1000000000000.00"},
        {"year": 2024, "headcount": 10**12},
        {"year": "2024", "headcount": 4},
        {"headcount": 4},
    ],
)
def test_bad_figures_are_refused_and_nothing_is_stored(staff_client: Client, body: dict) -> None:
    organisation = OrganisationFactory()
    response = post_json(staff_client, f"/api/v1/organisations/{organisation.pk}/figures", body)
    assert response.status_code == 400
    assert response.json()["error"]["fields"]
    assert not OrganisationFigures.objects.exists()
    assert not AuditEvent.objects.filter(action="organisations.figures_set").exists()


def test_member_adds_a_product_and_it_is_audited() -> None:
    organisation = OrganisationFactory()
    client = client_for(member_of(organisation))
    url = f"/api/v1/organisations/{organisation.pk}/products"
    body = {"name": "ВолгаBI", "registry_number": 12345, "description": "Аналитика"}
    response = post_json(client, url, body)
    assert response.status_code == 201, response.content
    assert response.json() == {"id": response.json()["id"], **body}
    assert AuditEvent.objects.filter(action="organisations.product_added").count() == 1
    assert client.get(url).json() == [response.json()]


def test_product_with_a_taken_registry_number_is_refused(staff_client: Client) -> None:
    SoftwareProductFactory(name="Первый", registry_number=777)
    organisation = OrganisationFactory()
    response = post_json(
        staff_client, f"/api/v1/organisations/{organisation.pk}/products", {"name": "Второй", "registry_number": 777}
    )
    assert response.status_code == 400
    assert "registry_number" in response.json()["error"]["fields"]
    assert not organisation.products.exists()


@pytest.mark.parametrize("role", ["grantor", "expert", "community"])
def test_only_staff_and_members_add_products(role: str) -> None:
    organisation = OrganisationFactory()
    response = post_json(
        client_for(UserFactory(role=role)), f"/api/v1/organisations/{organisation.pk}/products", {"name": "Чужой"}
    )
    assert response.status_code == 403
    assert not SoftwareProduct.objects.exists()


def test_member_cannot_add_a_product_to_other_organisation() -> None:
    organisation = OrganisationFactory()
    client = client_for(member_of(OrganisationFactory()))
    response = post_json(client, f"/api/v1/organisations/{organisation.pk}/products", {"name": "Чужой"})
    assert response.status_code == 403
    assert not SoftwareProduct.objects.exists()


def test_member_still_cannot_create_organisations() -> None:
    client = client_for(member_of(OrganisationFactory()))
    response = post_json(client, "/api/v1/organisations", {"kind": "it_company", "name": "Новая", "inn": "7707083893"})
    assert response.status_code == 403
    assert not Organisation.objects.filter(inn="7707083893").exists()
