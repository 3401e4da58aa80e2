"""The demo's needs: one helped need answered the survey and became a pilot project that the KPI ledger counts."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from projectoffice.classifiers.loaders import load_all
from projectoffice.demo.needs import PILOT_INVESTMENT, PILOT_PARTNER, PILOT_TITLE
from projectoffice.kpis import ledger
from projectoffice.kpis.models import Indicator
from projectoffice.needs.models import MatchStatus, Need, SatisfactionSurvey
from projectoffice.organisations.models import Organisation, OrganisationKind
from projectoffice.projects.models import Project, ProjectInvestment

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    load_all()
    call_command("load_demo", allow_non_embedded=True)


def test_the_demo_pilot_shows_in_the_digitalisation_and_investment_kpi_figures_with_its_records(demo: None) -> None:
    need = Need.objects.select_related("pilot_project", "organisation").get(pilot_project__isnull=False)
    pilot = need.pilot_project
    assert pilot is not None and pilot.title == PILOT_TITLE and need.is_demo and pilot.is_demo
    assert need.matches.filter(status=MatchStatus.HELPED).exists()
    assert pilot.lead_organisation == need.organisation and need.organisation.kind == OrganisationKind.INDUSTRIAL
    assert [o.pk for o in pilot.partners.all()] == [Organisation.objects.get(short_name__startswith=PILOT_PARTNER).pk]
    assert need.investment == PILOT_INVESTMENT
    money = ProjectInvestment.objects.get(project=pilot)
    assert money.amount == PILOT_INVESTMENT and money.investor == need.organisation

    year = timezone.localdate().year
    digital = Indicator.objects.get(code="digital-industry")
    investment = Indicator.objects.get(code="investment")
    assert digital.name == "Промышленные предприятия с проектами цифровизации"
    figures = {row.indicator.code: row for row in ledger.dashboard(year=year, indicators=[digital, investment])}
    digital_records = ledger.records_for(digital, year, None)
    assert ("organisations.organisation", need.organisation_id) in [(r.model, r.pk) for r in digital_records]
    assert figures["digital-industry"].fact_year == len(digital_records) >= 1
    pilot_money = [
        r
        for r in ledger.records_for(investment, year, None)
        if (r.model, r.pk) == ("projects.projectinvestment", money.pk)
    ]
    assert len(pilot_money) == 1 and pilot_money[0].value == PILOT_INVESTMENT
    assert figures["investment"].fact_year >= PILOT_INVESTMENT


def test_the_demo_has_an_answered_survey_on_the_pilot_need(demo: None) -> None:
    survey = SatisfactionSurvey.objects.select_related("need").get(answered_at__isnull=False)
    assert survey.need.pilot_project_id is not None
    assert survey.contacted and survey.useful and survey.outcome == "chose_solution" and survey.comment
    assert survey.sent_at is not None and survey.answered_at is not None and survey.answered_at > survey.sent_at
    assert Project.objects.filter(title=PILOT_TITLE).count() == 1
