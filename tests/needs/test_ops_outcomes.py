"""Outcomes: the survey 10 days after the first match closes (signed link, answered once, shared with the expert)
and «Создать пилотный проект»: a project led by the enterprise with the IT company as partner, the investment
recorded, counted in the KPI ledger with the records behind the figures."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from projectoffice.kpis import ledger
from projectoffice.kpis.models import Method
from projectoffice.needs import outcomes
from projectoffice.needs.models import SatisfactionSurvey
from projectoffice.organisations.models import OrganisationKind
from projectoffice.projects.models import Project, ProjectInvestment
from tests.conftest import client_for
from tests.factories import IndicatorFactory, OrganisationFactory, UserFactory
from tests.needs.ops_factories import MatchFactory, SolutionFactory, closed_need

pytestmark = pytest.mark.django_db


def _link(message: mail.EmailMessage) -> str:
    found = re.search(r"https?://[^/\s]+(/needs/survey/[^\s]+/)", message.body)
    assert found, message.body
    return found.group(1)


def test_the_survey_goes_ten_days_after_the_first_match_closes_and_only_once() -> None:
    due = closed_need(10.2)
    closed_need(9.5)  # not yet
    assert outcomes.send_surveys().sent == 1
    assert [m.to for m in mail.outbox] == [[due.request.contact_email]]
    assert SatisfactionSurvey.objects.get().need == due
    assert outcomes.send_surveys().sent == 0 and len(mail.outbox) == 1


def test_the_enterprise_answers_by_the_signed_link_and_the_expert_gets_the_answer(
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    need = closed_need(11)
    outcomes.send_surveys()
    link = _link(mail.outbox[0])
    mail.outbox.clear()
    client = Client()
    page = client.get(link)
    assert page.status_code == 200 and "Как прошла работа" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(link, {"contacted": "yes", "useful": "yes", "outcome": "chose_solution", "rating": "5",
                                    "comment": "Выбрали MES, запускаем пилот"})  # fmt: skip
    assert answer.status_code == 200 and "Спасибо" in answer.content.decode()
    survey = SatisfactionSurvey.objects.get(need=need)
    assert survey.answered_at and survey.useful is True and survey.outcome == "chose_solution" and survey.rating == 5
    expert_email = need.matches.get().expert.user.email
    assert [m.to for m in mail.outbox] == [[expert_email]]
    assert "Выбрали MES" in mail.outbox[0].body and "выбрали решение" in mail.outbox[0].body


def test_a_second_answer_is_refused_and_the_first_kept() -> None:
    need = closed_need(11)
    outcomes.send_surveys()
    link = _link(mail.outbox[0])
    client = Client()
    client.post(link, {"contacted": "yes", "useful": "no", "outcome": "other", "comment": "первый"})
    again = client.post(link, {"contacted": "no", "useful": "yes", "outcome": "learned", "comment": "второй"})
    assert "уже ответили" in again.content.decode()
    survey = SatisfactionSurvey.objects.get(need=need)
    assert survey.comment == "первый" and survey.useful is False


@pytest.mark.parametrize("token", ["garbage", signing.dumps("no-such-token", salt="needs.survey"),
                                   signing.dumps("x", salt="events.feedback")])  # fmt: skip
def test_a_forged_or_foreign_link_opens_nothing(token: str) -> None:
    page = Client().get(reverse("needs:ops-survey", args=[token]))
    assert page.status_code == 400 and "не сработала" in page.content.decode()


def test_an_expired_link_is_refused(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    closed_need(11)
    outcomes.send_surveys()
    link = _link(mail.outbox[0])
    monkeypatch.setattr(outcomes, "SURVEY_MAX_AGE", dt.timedelta(seconds=-1))
    page = Client().get(link)
    assert page.status_code == 400 and "истёк" in page.content.decode()


def test_bad_answers_are_refused_and_nothing_is_stored() -> None:
    need = closed_need(11)
    outcomes.send_surveys()
    link = _link(mail.outbox[0])
    answer = Client().post(link, {"contacted": "maybe", "outcome": "rich"})
    assert answer.status_code == 400
    assert SatisfactionSurvey.objects.get(need=need).answered_at is None


def _pilot(need, vendor, investment="1500000.00"):  # type: ignore[no-untyped-def]
    staff = client_for(UserFactory(role="staff"))
    return staff, staff.post(reverse("needs:ops-pilot", args=[need.pk]), {
        "title": "Пилот MES на заводе", "summary": "Диспетчеризация 40 станков", "it_company": vendor.pk,
        "investment": investment, "received_on": timezone.localdate().isoformat(),
    })  # fmt: skip


def test_staff_turn_an_outcome_into_a_pilot_project_with_both_partners_and_the_investment() -> None:
    need = closed_need(12)
    solution = SolutionFactory()
    MatchFactory(need=need, kind="solution", expert=None, solution=solution)
    staff = client_for(UserFactory(role="staff"))
    form = staff.get(reverse("needs:ops-pilot", args=[need.pk]))
    assert form.context["form"].fields["it_company"].initial == solution.vendor_id
    _client, answer = _pilot(need, solution.vendor)
    project = Project.objects.get()
    assert answer.status_code == 302 and answer.url == reverse("projects:detail", args=[project.pk])
    assert project.lead_organisation == need.organisation
    assert list(project.partners.all()) == [solution.vendor]
    investment = ProjectInvestment.objects.get(project=project)
    assert investment.amount == Decimal("1500000.00") and investment.investor == need.organisation
    need.refresh_from_db()
    assert need.pilot_project == project and need.investment == Decimal("1500000.00")


def test_the_pilot_counts_in_the_kpi_ledger_with_its_records() -> None:
    need = closed_need(12)
    vendor = OrganisationFactory(kind=OrganisationKind.IT_COMPANY)
    digital = IndicatorFactory(code="digital-industry", name="Промышленные предприятия с проектами цифровизации",
                               method=Method.DIGITALISATION)  # fmt: skip
    money = IndicatorFactory(code="investment", method=Method.INVESTMENT, unit="rub")
    year = timezone.localdate().year
    before = {row.indicator.code: row.fact_year for row in ledger.dashboard(year=year, indicators=[digital, money])}
    _pilot(need, vendor)
    after = {row.indicator.code: row.fact_year for row in ledger.dashboard(year=year, indicators=[digital, money])}
    assert after["digital-industry"] == before["digital-industry"] + 1
    assert after["investment"] == before["investment"] + Decimal("1500000.00")
    records = ledger.records_for(digital, year, None)
    assert [r.pk for r in records] == [need.organisation_id]
    assert [r.value for r in ledger.records_for(money, year, None)] == [Decimal("1500000.00")]


def test_a_pilot_is_created_once_and_only_with_an_it_company() -> None:
    need = closed_need(12)
    factory_plant = OrganisationFactory(kind=OrganisationKind.INDUSTRIAL)
    _client, refused = _pilot(need, factory_plant)
    assert refused.status_code == 400 and "it_company" in refused.context["form"].errors
    assert Project.objects.count() == 0
    vendor = OrganisationFactory(kind=OrganisationKind.IT_COMPANY)
    _pilot(need, vendor)
    _staff, again = _pilot(need, vendor)
    assert again.status_code == 302 and Project.objects.count() == 1
    negative = closed_need(13)
    _client, bad = _pilot(negative, vendor, investment="-5")
    assert bad.status_code == 400 and Project.objects.count() == 1


@pytest.mark.parametrize("role", ["expert", "member", "grantor", "community"])
def test_only_staff_create_pilots(role: str) -> None:
    need = closed_need(12)
    vendor = OrganisationFactory(kind=OrganisationKind.IT_COMPANY)
    client = client_for(UserFactory(role=role))
    assert client.get(reverse("needs:ops-pilot", args=[need.pk])).status_code == 403
    assert client.post(reverse("needs:ops-pilot", args=[need.pk]), {"title": "x", "summary": "y",
                                                                     "it_company": vendor.pk}).status_code == 403  # fmt: skip
    assert Project.objects.count() == 0


def test_the_service_itself_refuses_an_enterprise_as_the_it_partner() -> None:
    need = closed_need(12)
    with pytest.raises(outcomes.ValidationError, match="только ИТ-компания"):
        outcomes.pilot_create(actor=UserFactory(role="staff"), need=need, title="t", summary="s",
                              it_company=OrganisationFactory(kind=OrganisationKind.INDUSTRIAL), investment=None)  # fmt: skip
    assert Project.objects.count() == 0
