"""The application every builder test starts from: a grant, a lead organisation with a member, and a project."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from projectoffice.applications import services
from projectoffice.applications.templates_loader import load_builtin_templates
from projectoffice.opportunities.models import Opportunity
from projectoffice.opportunities.services import opportunity_create
from tests.factories import OrganisationFactory, ProjectFactory, UserFactory, member_of


@pytest.fixture
def setup():  # type: ignore[no-untyped-def]
    load_builtin_templates()
    opportunity_create(actor=None, data={
        "kind": "grant", "title": "Гранты на разработку", "external_id": "rfrit", "provider_name": "РФРИТ (Минцифры)",
        "status": "published", "amount_max": Decimal(500_000_000), "own_share_min": 20,
        "closes_on": timezone.localdate() + dt.timedelta(days=30)})  # fmt: skip
    lead = OrganisationFactory(description="Разработчик ПО")
    member = member_of(lead)
    member.email = "member@example.invalid"
    member.save()
    project = ProjectFactory(lead_organisation=lead, title="Видеоаналитика", problem="Проблема " * 20,
                             budget_total=Decimal(1_000_000), own_funds=Decimal(300_000), requested_support=Decimal(700_000))  # fmt: skip
    staff = UserFactory(role="staff")
    application = services.application_create(
        actor=staff, project=project, opportunity=Opportunity.objects.get(external_id="rfrit")
    )
    return {"staff": staff, "member": member, "project": project, "application": application, "lead": lead}
