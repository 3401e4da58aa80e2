from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from projectoffice.kpis.models import Method
from projectoffice.participation import services
from projectoffice.participation.models import ProgressSource, Result
from projectoffice.participation.progress import progress
from projectoffice.projects.models import Project
from tests.conftest import client_for
from tests.factories import (
    IndicatorFactory,
    OrganisationFactory,
    ProjectFactory,
    TargetFactory,
    UserFactory,
    member_of,
)
from tests.participation.factories import ProposalFactory, answer_state, open_process

pytestmark = pytest.mark.django_db


def test_progress_from_projects_is_the_mean_of_their_stages() -> None:
    result = Result.objects.create(process=open_process(), title="Данные", source=ProgressSource.PROJECTS)
    assert progress(result).percent is None
    result.projects.set([ProjectFactory(stage="completed"), ProjectFactory(stage="idea")])
    assert progress(result).percent == 50


def test_progress_from_an_indicator_is_its_fact_against_this_years_target() -> None:
    staff = UserFactory(role="staff")
    indicator = IndicatorFactory(code="strategy-proposals", method=Method.STRATEGY)
    TargetFactory(indicator=indicator, year=timezone.localdate().year, quarter=None, value=Decimal(4))
    proposal = ProposalFactory()
    services.answer_draft(actor=staff, proposal=proposal, state=answer_state("Принято"), text="")
    services.answers_publish(actor=staff, process=proposal.process)
    result = Result.objects.create(
        process=proposal.process, title="Учтено", source=ProgressSource.INDICATOR, indicator_code="strategy-proposals"
    )
    assert progress(result).percent == 25
    assert progress(result).how == "показатель: факт 1 из плана 4"


def test_manual_progress_needs_evidence_and_a_parent_averages_its_children() -> None:
    process = open_process()
    with pytest.raises(ValidationError):
        Result(process=process, title="Вручную", source=ProgressSource.MANUAL, manual_progress=40).full_clean()
    parent = Result.objects.create(process=process, title="Всё", source=ProgressSource.CHILDREN)
    Result.objects.create(
        process=process, parent=parent, title="А", source=ProgressSource.MANUAL, manual_progress=40, evidence="Акт"
    )
    child = Result.objects.create(process=process, parent=parent, title="Б", source=ProgressSource.PROJECTS)
    child.projects.set([ProjectFactory(stage="completed")])
    assert progress(parent).percent == 70


def test_the_public_accountability_page_shows_what_became_of_an_accepted_proposal() -> None:
    staff = UserFactory(role="staff")
    proposal = ProposalFactory(title="Открытые данные транспорта")
    services.answer_draft(actor=staff, proposal=proposal, state=answer_state("Принято"), text="Включено")
    services.answers_publish(actor=staff, process=proposal.process)
    services.project_from_proposal(actor=staff, proposal=proposal, lead_organisation=OrganisationFactory())
    page = Client().get(f"/participation/{proposal.process.slug}/accountability/").content.decode()
    assert "Открытые данные транспорта" in page and "Идея" in page
    project = Project.objects.get()
    staff_page = Client()
    staff_page.force_login(staff)
    assert f"/participation/proposals/{proposal.pk}/" in staff_page.get(f"/projects/{project.pk}/").content.decode()


def test_the_accountability_page_links_a_project_only_for_those_who_may_open_it() -> None:
    staff = UserFactory(role="staff")
    proposal = ProposalFactory(title="Открытые данные транспорта")
    services.answer_draft(actor=staff, proposal=proposal, state=answer_state("Принято"), text="Включено")
    services.answers_publish(actor=staff, process=proposal.process)
    lead = OrganisationFactory()
    project = services.project_from_proposal(actor=staff, proposal=proposal, lead_organisation=lead)
    link = f'href="/projects/{project.pk}/"'
    path = f"/participation/{proposal.process.slug}/accountability/"
    # A member of another organisation has a projects page, but not this project.
    outsider = client_for(member_of(OrganisationFactory()))
    assert outsider.get(f"/projects/{project.pk}/").status_code == 404
    page = outsider.get(path).content.decode()
    assert project.title in page and link not in page
    assert link in client_for(member_of(lead)).get(path).content.decode()
    assert link in client_for(staff).get(path).content.decode()
    assert link not in Client().get(path).content.decode()


def test_the_accountability_page_asks_the_same_number_of_queries_however_many_projects_it_links() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff = UserFactory(role="staff")
    lead = OrganisationFactory()
    process = open_process()
    client = client_for(member_of(lead))
    counts = []
    for _ in range(2):
        for _ in range(2):
            proposal = ProposalFactory(process=process)
            services.answer_draft(actor=staff, proposal=proposal, state=answer_state("Принято"), text="Включено")
            services.answers_publish(actor=staff, process=process)
            services.project_from_proposal(actor=staff, proposal=proposal, lead_organisation=lead)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/participation/{process.slug}/accountability/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
