"""Relevance by the kind of need: the cases seen in issue 11 and one test per rule."""

import datetime as dt
from decimal import Decimal

import pytest

from projectoffice.matching.ranking import match_opportunities
from projectoffice.matching.relevance import capability, fully_funded, meaningful, supply_classes
from projectoffice.opportunities.catalogue import load_catalogue
from projectoffice.opportunities.models import GrantedStatus, Opportunity, OpportunityKind
from tests.factories import (
    FiguresFactory,
    OkvedFactory,
    OpportunityFactory,
    OrganisationFactory,
    ProjectFactory,
    RegionFactory,
    SoftwareProductFactory,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 26)
MILLION = Decimal(1_000_000)
VIDEO = ("62.01", "Разработка компьютерного программного обеспечения")


@pytest.fixture
def catalogue(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    RegionFactory(iso_code="RU-SAM", name="Самарская обл")
    with django_capture_on_commit_callbacks(execute=True):
        load_catalogue()


def small_it_company(**fields: object):  # type: ignore[no-untyped-def]
    company = OrganisationFactory(
        main_okved=OkvedFactory(), founded_on=dt.date(2025, 3, 1), size_category="micro", **fields
    )
    FiguresFactory(organisation=company, revenue=4 * MILLION, headcount=9)
    return company


def titles(matches) -> list[str]:  # type: ignore[no-untyped-def]
    return [m.opportunity.title for m in matches]


def test_a_new_rd_project_gets_grants_before_computer_tenders(
    catalogue, samara_tender, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        samara_tender(title="Поставка персональных компьютеров", items=[("26.20.15.000", "Компьютер персональный")])
        samara_tender(title="Поставка волоконно-оптического кабеля", items=[("27.31.12.000", "Кабель оптический")])
    company = small_it_company()
    project = ProjectFactory(
        lead_organisation=company,
        title="Цифровой двойник линии окраски кузовов",
        summary="Модель линии окраски кузовов для подбора режимов и снижения брака",
        trl=4,
        stage="screening",
        budget_total=11 * MILLION,
        own_funds=2 * MILLION,
        requested_support=9 * MILLION,
    )
    matches = match_opportunities(organisation=company, project=project, today=TODAY)
    assert matches and all(m.opportunity.kind != OpportunityKind.TENDER for m in matches)
    assert matches[0].opportunity.kind == OpportunityKind.GRANT
    assert "Старт" in titles(matches)[:3]


def test_video_analytics_is_not_matched_to_fire_extinguishing_on_a_shared_word(
    market, samara_tender, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        samara_tender(
            title="Поставка автоматических систем пожаротушения",
            items=[("28.29.22.110", "Системы пожаротушения автоматические")],
        )
    company = OrganisationFactory(main_okved=OkvedFactory(code=VIDEO[0], name=VIDEO[1]))
    project = ProjectFactory(
        lead_organisation=company,
        title="Видеоаналитика для безопасности",
        summary="Автоматический поиск событий на видео с камер",
        requested_support=0,
    )
    found = titles(match_opportunities(organisation=company, project=project, today=TODAY))
    assert "Поставка автоматических систем пожаротушения" not in found
    assert "Разработка веб-портала для жителей" in found  # software it can deliver still comes


def test_an_accredited_it_company_is_not_offered_accreditation(catalogue) -> None:  # type: ignore[no-untyped-def]
    accreditation = Opportunity.objects.get(external_id="it_accreditation_benefits")
    assert accreditation.grants_status == GrantedStatus.IT_ACCREDITATION
    accredited = OrganisationFactory(it_accredited=True, it_accreditation_date=dt.date(2022, 5, 1))
    not_yet = OrganisationFactory()
    assert accreditation not in [m.opportunity for m in match_opportunities(organisation=accredited, today=TODAY)]
    assert accreditation in [m.opportunity for m in match_opportunities(organisation=not_yet, today=TODAY)]


def test_a_company_with_a_registered_product_is_not_offered_the_registry() -> None:
    RegionFactory()
    registry = OpportunityFactory(
        title="Включение в реестр российского ПО", kind=OpportunityKind.TAX_BENEFIT, grants_status="software_registry"
    )
    vendor, newcomer = OrganisationFactory(), OrganisationFactory()
    SoftwareProductFactory(organisation=vendor, registry_number=1234)
    assert registry not in [m.opportunity for m in match_opportunities(organisation=vendor, today=TODAY)]
    assert registry in [m.opportunity for m in match_opportunities(organisation=newcomer, today=TODAY)]


def test_a_mortgage_for_individual_it_specialists_is_never_offered_to_a_company(catalogue) -> None:  # type: ignore[no-untyped-def]
    mortgage = Opportunity.objects.get(external_id="samara_it_mortgage_comp")
    assert mortgage.for_individuals
    company = OrganisationFactory(it_accredited=True, region=mortgage.region)
    project = ProjectFactory(lead_organisation=company, title="Ипотека для сотрудников ИТ-компании")
    assert mortgage not in [m.opportunity for m in match_opportunities(organisation=company, project=project)]
    assert mortgage not in [m.opportunity for m in match_opportunities(organisation=company)]


def test_identical_tenders_collapse_into_one(samara_tender, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    RegionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        for number in ("0342000000000000501", "0342000000000000502"):
            samara_tender(
                registry_number=number,
                title="Развитие региональной геоинформационной системы",
                items=[("62.01.11.000", "Доработка геоинформационной системы")],
            )
    company = OrganisationFactory(description="геоинформационные системы")
    project = ProjectFactory(lead_organisation=company, title="Геоинформационная система", requested_support=0)
    found = titles(match_opportunities(organisation=company, project=project, today=TODAY))
    assert found.count("Развитие региональной геоинформационной системы") == 1


def test_another_countrys_tender_is_never_offered_to_a_regional_organisation(
    samara_tender, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    RegionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        for number, title in (("0342000000000000601", "Портал для жителей"), ("ocds-md-1", "Портал для граждан")):
            samara_tender(registry_number=number, title=title, items=[("62.01.11.000", "Разработка портала")])
    Opportunity.objects.filter(title="Портал для граждан").update(country="MD")
    company = OrganisationFactory(main_okved=OkvedFactory(code=VIDEO[0], name=VIDEO[1]), description="порталы")
    project = ProjectFactory(lead_organisation=company, title="Портал для жителей", requested_support=0)
    found = titles(match_opportunities(organisation=company, project=project, today=TODAY))
    assert "Портал для жителей" in found and "Портал для граждан" not in found


def test_words_every_notice_uses_are_no_evidence() -> None:
    assert meaningful({"автоматический", "организация", "система", "поставка", "видеоаналитика"}) == {"видеоаналитика"}


def test_a_tender_is_deliverable_by_activity_class_or_by_a_product_not_by_a_word() -> None:
    developer = supply_classes({"62.01"})
    assert capability([("62.01.11.000", "Разработка портала")], developer, []).share == 1.0
    assert capability([("28.29.22.110", "Пожаротушение автоматическое")], developer, []).share == 0.0
    integrator = supply_classes({"46.51"})
    assert capability([("26.20.15.000", "Компьютер")], integrator, []).codes == ["26.20"]
    product = [{"видеоаналитика", "распознавание", "номер"}]
    able = capability([("58.29.50.000", "Лицензии видеоаналитика распознавание номеров")], set(), product)
    assert able.share == 1.0 and able.words == ["видеоаналитика", "номер", "распознавание"]
    one_word = capability([("58.29.50.000", "Видеоаналитика")], set(), product)
    assert one_word.share == 0.0


def test_a_computer_dealer_delivers_computers_but_not_software_licences_or_services() -> None:
    dealer = supply_classes({"46.51", "95.11"})
    assert capability([("26.20.15.000", "Компьютер персональный")], dealer, []).share == 1.0
    licences = [("58.29.50.000", "Права на использование программного обеспечения защиты информации")]
    assert capability(licences, dealer, []).share == 0.0
    assert capability([("62.02.30.000", "Техническая поддержка")], supply_classes({"47.41"}), []).share == 0.0
    assert capability(licences, supply_classes({"58.29", "46.51"}), []).share == 1.0  # a publisher that also trades


def test_a_dealer_is_offered_the_hardware_tender_and_not_the_licence_tender(
    samara_tender, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        samara_tender(title="Поставка персональных компьютеров", items=[("26.20.15.000", "Компьютер персональный")])
        samara_tender(
            title="Поставка неисключительных прав на средства защиты информации",
            items=[("58.29.50.000", "Права на использование программного обеспечения защиты информации")],
        )
    dealer = OrganisationFactory(
        kind="industrial", main_okved=OkvedFactory(code="46.51", name="Торговля оптовая компьютерами")
    )
    project = ProjectFactory(
        lead_organisation=dealer,
        title="Поставки компьютеров и программного обеспечения учреждениям",
        summary="Компьютеры, лицензии и защита информации для школ",
        trl=9,
    )
    found = titles(match_opportunities(organisation=dealer, project=project, today=TODAY))
    assert found == ["Поставка персональных компьютеров"]


def test_a_project_that_pays_for_itself_is_offered_no_grant_loan_or_subsidy(catalogue) -> None:  # type: ignore[no-untyped-def]
    company = small_it_company(description="разработка порталов для администраций")
    own_money = ProjectFactory(
        lead_organisation=company, trl=8, budget_total=5 * MILLION, own_funds=5 * MILLION, requested_support=0
    )
    unfilled = ProjectFactory(lead_organisation=company, trl=5, budget_total=0, own_funds=0, requested_support=0)
    assert fully_funded(own_money) and not fully_funded(unfilled)
    found = match_opportunities(organisation=company, project=own_money, today=TODAY, limit=20)
    assert all(m.opportunity.kind not in {"grant", "loan", "subsidy"} for m in found)
    assert "it_accreditation_benefits" in [m.opportunity.external_id for m in found]  # a status is still its need
    assert any(m.opportunity.kind == "grant" for m in match_opportunities(organisation=company, project=unfilled))


def test_a_project_seeking_money_ranks_a_fitting_grant_above_a_tender_it_can_deliver(catalogue, market) -> None:  # type: ignore[no-untyped-def]
    company = small_it_company(description="разработка мобильных приложений")
    asking = ProjectFactory(
        lead_organisation=company,
        title="Мобильное приложение записи к врачу",
        summary="Запись пациентов к врачу через мобильное приложение",
        trl=5,
        stage="screening",
        requested_support=5 * MILLION,
        budget_total=6 * MILLION,
    )
    selling = ProjectFactory(
        lead_organisation=company, title=asking.title, summary=asking.summary, trl=8, requested_support=0
    )
    funded = match_opportunities(organisation=company, project=asking, today=TODAY)
    sold = match_opportunities(organisation=company, project=selling, today=TODAY)
    assert funded[0].opportunity.kind == OpportunityKind.GRANT
    assert sum(m.opportunity.kind == OpportunityKind.TENDER for m in funded[:3]) <= 1
    assert sold[0].opportunity.title == "Разработка мобильного приложения для записи к врачу"
    assert all(0 <= m.score <= 1 for m in funded + sold)


def test_measures_whose_rules_fail_or_whose_scale_differs_are_not_offered(catalogue) -> None:  # type: ignore[no-untyped-def]
    company = small_it_company()
    small_ask = ProjectFactory(
        lead_organisation=company, trl=7, requested_support=3 * MILLION, budget_total=10 * MILLION
    )
    found = titles(match_opportunities(organisation=company, project=small_ask, today=TODAY, limit=20))
    assert "Старт" not in found  # TRL 7 is beyond «Старт»'s 1–5
    assert "Проекты развития" not in found  # a manufacturers' loan, 100 M ₽ and more
    ranked = {m.opportunity.title: m for m in match_opportunities(organisation=company, project=small_ask, limit=20)}
    special = "Особо значимые проекты по разработке и внедрению импортозамещающих ИТ-решений (волна 2025)"
    assert special not in ranked or ranked[special].score < 0.6  # its minimum is 100 M ₽


def test_a_university_is_not_offered_measures_for_small_businesses(catalogue) -> None:  # type: ignore[no-untyped-def]
    university = OrganisationFactory(
        kind="university", main_okved=OkvedFactory(code="72.19", name="Научные исследования")
    )
    project = ProjectFactory(lead_organisation=university, trl=3, requested_support=5 * MILLION)
    found = [m.opportunity for m in match_opportunities(organisation=university, project=project, limit=20)]
    assert all(not o.size_categories for o in found)


def test_a_measure_for_digital_solutions_is_not_offered_to_a_project_with_nothing_digital(catalogue) -> None:  # type: ignore[no-untyped-def]
    paints = OrganisationFactory(
        kind="industrial", size_category="small", main_okved=OkvedFactory(code="20.30", name="Производство красок")
    )
    project = ProjectFactory(
        lead_organisation=paints, title="Эмали на водной основе", summary="Выпуск водоразбавляемых эмалей", trl=5
    )
    found = [m.opportunity.external_id for m in match_opportunities(organisation=paints, project=project, limit=20)]
    assert "fsi_digital_2022" not in found


def test_reasons_quote_the_measure_not_the_private_figures(catalogue) -> None:  # type: ignore[no-untyped-def]
    company = small_it_company()
    project = ProjectFactory(
        lead_organisation=company, title="Платформа цифровых двойников", trl=5, requested_support=7 * MILLION
    )
    for match in match_opportunities(organisation=company, project=project, limit=20):
        text = " ".join(match.notes + [c.reason for c in match.eligibility.checks])
        assert "4 млн" not in text and "9 чел" not in text  # revenue and headcount stay private
        if match.opportunity.external_id == "fsi_start":
            assert "запрошенная сумма в пределах программы до 24 млн ₽" in [n.replace("\xa0", " ") for n in match.notes]
