"""Eligibility: one Russian reason per rule of an opportunity, the private figures only for those who may see them."""

import datetime as dt
from decimal import Decimal

import pytest

from projectoffice.matching.eligibility import Outcome, Verdict, check_eligibility, plural
from projectoffice.opportunities.models import Opportunity
from projectoffice.opportunities.services import opportunity_create
from tests.factories import (
    FiguresFactory,
    OrganisationFactory,
    ProjectFactory,
    RegionFactory,
    SoftwareProductFactory,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 26)


def _measure(**fields) -> Opportunity:  # type: ignore[no-untyped-def]
    data = {
        "kind": "grant",
        "title": "Грант на разработку программного обеспечения",
        "external_id": "m1",
        "provider_name": "Фонд",
        "status": "published",
        **fields,
    }
    opportunity_create(actor=None, data=data)
    return Opportunity.objects.get(external_id=data["external_id"])


def test_plural_forms() -> None:
    assert [plural(n, ("год", "года", "лет")) for n in (1, 2, 5, 11, 21, 24)] == [
        "1 год",
        "2 года",
        "5 лет",
        "11 лет",
        "21 год",
        "24 года",
    ]


def test_every_rule_gives_one_russian_reason() -> None:
    organisation = OrganisationFactory(founded_on=dt.date(2021, 6, 1), size_category="medium", it_accredited=False)
    FiguresFactory(organisation=organisation, year=2025, revenue=Decimal(900_000_000), headcount=200)
    project = ProjectFactory(
        lead_organisation=organisation, trl=3, budget_total=100, own_funds=10, requested_support=90
    )
    measure = _measure(
        max_company_age_years=2,
        max_revenue=Decimal(150_000_000),
        max_headcount=100,
        size_categories=["micro", "small"],
        it_accreditation_required=True,
        registered_software_required=True,
        okved_prefixes=["72"],
        trl_min=4,
        trl_max=8,
        own_share_min=20,
        audience_kinds=["university"],
    )
    result = check_eligibility(measure, organisation, project, today=TODAY)
    discreet = {check.rule: check.reason for check in result.checks}
    assert discreet["revenue"] == "данные о выручке есть: больше допустимой"
    assert discreet["headcount"] == "данные о численности есть: больше допустимой"
    reasons = {check.rule: check.reason for check in result.with_private_figures().checks}
    assert result.verdict == Verdict.NOT_ELIGIBLE
    assert reasons["age"] == "компания зарегистрирована 5 лет назад, программа допускает не более 2 лет"
    assert reasons["revenue"].startswith("выручка 900\u00a0млн\u00a0₽ за 2025 г. больше допустимых 150\u00a0млн\u00a0₽")
    assert "численность 200 чел." in reasons["headcount"]
    assert "ваша категория — среднее предприятие" in reasons["size"]
    assert reasons["accreditation"] == "нужна аккредитация ИТ-компании — в профиле её нет"
    assert "реестре российского ПО" in reasons["software"]
    assert "72" in reasons["okved"]
    assert reasons["trl"] == "TRL проекта 3, программа рассчитана на 4–8"
    assert reasons["own_share"] == "собственные средства 10 % бюджета, требуется не менее 20 %"
    assert "вуз или научный институт" in reasons["audience"]
    assert all(check.outcome == Outcome.FAIL for check in result.checks)


def test_missing_profile_data_makes_the_verdict_unknown_with_a_hint() -> None:
    organisation = OrganisationFactory(founded_on=None, main_okved=None)
    result = check_eligibility(
        _measure(max_company_age_years=2, max_revenue=Decimal(1), okved_prefixes=["62"]), organisation, today=TODAY
    )
    assert result.verdict == Verdict.UNKNOWN
    reasons = [check.reason for check in result.checks]
    assert "нет даты регистрации — укажите её в профиле" in reasons
    assert "нет данных о выручке — укажите её в профиле" in reasons


def test_a_young_accredited_it_company_is_eligible() -> None:
    organisation = OrganisationFactory(founded_on=dt.date(2025, 3, 1), it_accredited=True, size_category="micro")
    result = check_eligibility(
        _measure(
            max_company_age_years=2,
            size_categories=["micro", "small"],
            it_accreditation_required=True,
            okved_prefixes=["62"],
        ),
        organisation,
        today=TODAY,
    )
    assert result.verdict == Verdict.ELIGIBLE
    assert "компании 1 год, допускается не более 2 лет" in [c.reason for c in result.checks]


def test_regional_measures_and_closed_deadlines() -> None:
    RegionFactory()
    other = RegionFactory(iso_code="RU-TA", name="Татарстан", name_with_type="Респ Татарстан", tax_code="16")
    measure = _measure(is_federal=False, region=other, closes_on=dt.date(2026, 1, 1))
    result = check_eligibility(measure, OrganisationFactory(), today=TODAY)
    reasons = [c.reason for c in result.checks]
    assert "мера действует только в регионе «Респ Татарстан»" in reasons
    assert "приём заявок закрыт 01.01.2026" in reasons


def test_figures_within_the_ceilings_pass_and_only_the_private_reading_names_them() -> None:
    organisation = OrganisationFactory()
    FiguresFactory(organisation=organisation, year=2025, revenue=Decimal(90_000_000), headcount=40)
    result = check_eligibility(_measure(max_revenue=Decimal(150_000_000), max_headcount=100), organisation, today=TODAY)
    assert result.verdict == Verdict.ELIGIBLE
    assert [(c.rule, c.reason) for c in result.checks] == [
        ("revenue", "данные о выручке есть: в пределах допустимой"),
        ("headcount", "данные о численности есть: в пределах допустимой"),
    ]
    assert [c.reason for c in result.with_private_figures().checks] == [
        "выручка 90\u00a0млн\u00a0₽ — в пределах 150\u00a0млн\u00a0₽ (за 2025 г., источник: профиль организации)",
        "численность 40 чел. — в пределах 100",
    ]


def test_a_year_of_revenue_without_headcount_leaves_the_headcount_rule_unknown() -> None:
    organisation = OrganisationFactory()
    FiguresFactory(organisation=organisation, year=2025, revenue=Decimal(1_000_000), headcount=None)
    result = check_eligibility(_measure(max_headcount=100), organisation, today=TODAY)
    assert result.verdict == Verdict.UNKNOWN
    assert [(c.rule, c.outcome, c.reason) for c in result.checks] == [
        ("headcount", Outcome.UNKNOWN, "нет данных о численности — укажите её в профиле")
    ]


def test_a_registered_product_meets_the_software_rule_and_is_named() -> None:
    organisation = OrganisationFactory()
    SoftwareProductFactory(organisation=organisation, name="Учёт станков", registry_number=12345)
    result = check_eligibility(_measure(registered_software_required=True), organisation, today=TODAY)
    assert [(c.rule, c.outcome, c.reason) for c in result.checks] == [
        ("software", Outcome.PASS, "продукт «Учёт станков» в реестре российского ПО (№ 12345)")
    ]


def test_a_project_without_a_budget_leaves_the_own_share_unknown() -> None:
    organisation = OrganisationFactory()
    project = ProjectFactory(lead_organisation=organisation, budget_total=0, own_funds=0, requested_support=0)
    result = check_eligibility(_measure(own_share_min=20), organisation, project, today=TODAY)
    assert [(c.rule, c.outcome, c.reason) for c in result.checks] == [
        ("own_share", Outcome.UNKNOWN, "бюджет проекта не указан — нельзя проверить долю собственных средств")
    ]


def test_project_rules_pass_inside_the_range_and_fail_when_more_is_asked_than_given() -> None:
    organisation = OrganisationFactory()
    project = ProjectFactory(
        lead_organisation=organisation, trl=5, budget_total=100, own_funds=30, requested_support=70_000_000
    )
    measure = _measure(trl_min=4, own_share_min=20, amount_max=Decimal(20_000_000))
    result = check_eligibility(measure, organisation, project, today=TODAY)
    assert [(c.rule, c.outcome, c.reason) for c in result.checks] == [
        ("trl", Outcome.PASS, "TRL проекта 5 — в диапазоне программы 4–9"),
        ("own_share", Outcome.PASS, "собственные средства 30 % бюджета (нужно ≥ 20 %)"),
        ("amount", Outcome.FAIL, "запрошено 70\u00a0млн\u00a0₽, а программа даёт не более 20\u00a0млн\u00a0₽"),
    ]
    assert result.verdict == Verdict.NOT_ELIGIBLE


def test_rules_are_checked_in_the_registered_order_and_project_rules_only_with_a_project() -> None:
    organisation = OrganisationFactory(founded_on=dt.date(2025, 3, 1), it_accredited=True, size_category="micro")
    measure = _measure(
        closes_on=dt.date(2026, 1, 1),
        audience_kinds=["it_company"],
        max_company_age_years=2,
        size_categories=["micro"],
        it_accreditation_required=True,
        okved_prefixes=["62"],
        trl_min=1,
    )
    without_project = check_eligibility(measure, organisation, today=TODAY)
    assert [c.rule for c in without_project.checks] == ["deadline", "audience", "age", "size", "accreditation", "okved"]
    with_project = check_eligibility(measure, organisation, ProjectFactory(lead_organisation=organisation), today=TODAY)
    assert [c.rule for c in with_project.checks] == [c.rule for c in without_project.checks] + ["trl"]
