import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from projectoffice.matching import ranking
from projectoffice.matching.eligibility import Outcome, Verdict, check_eligibility, plural
from projectoffice.matching.models import MatchFeedback
from projectoffice.matching.ranking import match_opportunities, match_participants
from projectoffice.opportunities.models import Opportunity
from projectoffice.opportunities.services import opportunity_save
from projectoffice.projects.models import Project
from tests.conftest import client_for
from tests.factories import (
    FiguresFactory,
    OkvedFactory,
    OrganisationFactory,
    ProjectFactory,
    RegionFactory,
    SoftwareProductFactory,
    TenderFactory,
    UserFactory,
    member_of,
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
    opportunity_save(actor=None, opportunity=None, data=data)
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
        "выручка 90\u00a0млн\u00a0₽ — в пределах 150\u00a0млн\u00a0₽",
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


def _tender(**fields) -> None:  # type: ignore[no-untyped-def]
    """A notice of a Samara customer (INN 63…), published a week before TODAY, open for twenty days."""
    TenderFactory(customer_inn="6316000012", published_at=dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC), **fields)


@pytest.fixture
def market(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    RegionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        _tender(
            registry_number="0342000000000000001",
            title="Разработка мобильного приложения для записи к врачу",
            items=[("62.01.11.000", "Услуги по разработке мобильного приложения")],
        )
        _tender(
            registry_number="0342000000000000002",
            title="Поставка бензина АИ-92",
            items=[("19.20.21.110", "Бензин автомобильный")],
        )
        _tender(
            registry_number="0342000000000000003",
            title="Разработка веб-портала для жителей",
            items=[("62.01.11.000", "Разработка портала")],
        )
    return {o.title: o for o in Opportunity.objects.all()}


def test_a_project_gets_the_matching_tender_first_with_reasons(market) -> None:  # type: ignore[no-untyped-def]
    developer = OrganisationFactory(main_okved=OkvedFactory(), description="разработка мобильных приложений")
    project = ProjectFactory(
        lead_organisation=developer,
        title="Мобильное приложение записи к врачу",
        summary="Запись пациентов к врачу через мобильное приложение",
    )
    matches = match_opportunities(organisation=developer, project=project, today=TODAY)
    assert matches[0].opportunity.title.startswith("Разработка мобильного приложения")
    assert {"мобильный", "приложение", "врач"} <= set(matches[0].matched_terms)
    assert "62.01" in matches[0].matched_codes
    assert "Поставка бензина АИ-92" not in [m.opportunity.title for m in matches[:2]]


def test_one_shared_word_is_weaker_evidence_than_several(django_capture_on_commit_callbacks, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    RegionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        _tender(
            registry_number="0342000000000000011",
            title="Поставка цифровых осциллографов",
            items=[("26.51.43.110", "Осциллограф цифровой")],
        )
        _tender(
            registry_number="0342000000000000012",
            title="Цифровой учёт обслуживания станков",
            items=[("62.01.11.000", "Учёт обслуживания станков")],
        )
    plant_it = OrganisationFactory(main_okved=OkvedFactory(), description="")
    project = ProjectFactory(
        lead_organisation=plant_it, title="Цифровой паспорт станка", summary="Учёт обслуживания станка"
    )

    def scores() -> dict[str, tuple[float, list[str]]]:
        found = match_opportunities(organisation=plant_it, project=project, today=TODAY)
        return {m.opportunity.title: (m.score, m.matched_terms) for m in found}

    weighed = scores()
    monkeypatch.setattr(ranking, "TEXT_EVIDENCE_WORDS", 1)  # every keyword hit counted in full
    unweighed = scores()
    weak, strong = "Поставка цифровых осциллографов", "Цифровой учёт обслуживания станков"
    assert weighed[weak][1] == ["цифровой"] and len(weighed[strong][1]) >= 2
    assert weighed[weak][0] < unweighed[weak][0]
    assert weighed[strong][0] == unweighed[strong][0]


def test_a_tenders_codes_score_by_class_then_by_section_then_nothing(market) -> None:  # type: ignore[no-untyped-def]
    software = market["Разработка веб-портала для жителей"]  # OKPD2 62.01.11.000
    nothing_checked = check_eligibility(software, OrganisationFactory(), today=TODAY)
    assert ranking._code_fit(software, {"62.01"}, nothing_checked) == (1.0, ["62.01"], "")
    assert ranking._code_fit(software, {"62.02"}, nothing_checked) == (0.4, [], "совпадает раздел классификатора")
    assert ranking._code_fit(software, {"19.20"}, nothing_checked) == (0.0, [], "")


def test_dismissed_matches_stay_hidden_and_feedback_is_stored(market) -> None:  # type: ignore[no-untyped-def]
    developer = OrganisationFactory(main_okved=OkvedFactory(), description="разработка мобильных приложений и порталов")
    user = member_of(developer)
    client = client_for(user)
    first = match_opportunities(organisation=developer, today=TODAY)[0].opportunity
    url = reverse("matching:feedback", args=["organisation", developer.pk, first.pk])
    response = client.post(url, {"verdict": "dismissed"})
    assert response.status_code == 200
    assert MatchFeedback.objects.get().verdict == "dismissed"
    assert first.pk not in [m.opportunity.pk for m in match_opportunities(organisation=developer, today=TODAY)]
    assert client.post(url, {"verdict": "nonsense"}).status_code == 400


def test_another_organisations_member_cannot_see_or_mark_its_matches(market) -> None:  # type: ignore[no-untyped-def]
    own, other = OrganisationFactory(), OrganisationFactory()
    client = client_for(member_of(own))
    opportunity = next(iter(market.values()))
    assert client.get(reverse("matching:matches", args=["organisation", other.pk])).status_code == 403
    assert (
        client.post(
            reverse("matching:feedback", args=["organisation", other.pk, opportunity.pk]), {"verdict": "dismissed"}
        ).status_code
        == 403
    )
    hidden = ProjectFactory(lead_organisation=other)
    assert client.get(reverse("matching:matches", args=["project", hidden.pk])).status_code == 404
    assert not MatchFeedback.objects.exists()


def test_the_panel_shows_the_explanation(market) -> None:  # type: ignore[no-untyped-def]
    developer = OrganisationFactory(main_okved=OkvedFactory(), description="разработка мобильных приложений")
    project = ProjectFactory(lead_organisation=developer, title="Мобильное приложение записи к врачу")
    body = (
        client_for(UserFactory(role="staff"))
        .get(reverse("matching:matches", args=["project", project.pk]))
        .content.decode()
    )
    assert "Почему" in body and "Совпали слова" in body and "Совпали коды" in body


def test_an_opportunity_lists_fitting_organisations_of_the_region(market) -> None:  # type: ignore[no-untyped-def]
    developer = OrganisationFactory(main_okved=OkvedFactory(), description="разработка мобильных приложений")
    project = ProjectFactory(lead_organisation=developer, title="Мобильное приложение записи к врачу")
    concrete = OrganisationFactory(
        description="производство бетона",
        main_okved=OkvedFactory(code="23.63", name="Производство бетона", section="C"),
    )
    tender = market["Разработка мобильного приложения для записи к врачу"]
    participants = match_participants(opportunity=tender, today=TODAY)
    assert (participants[0].organisation, participants[0].project) == (developer, project)
    assert concrete not in [p.organisation for p in participants]
    page = client_for(UserFactory(role="staff")).get(reverse("matching:participants", args=[tender.pk]))
    assert page.status_code == 200
    assert str(developer) in page.content.decode() and str(concrete) not in page.content.decode()
    assert client_for(member_of(developer)).get(reverse("matching:participants", args=[tender.pk])).status_code == 403


def test_project_pages_load_the_panel(market) -> None:  # type: ignore[no-untyped-def]
    project = ProjectFactory()
    body = client_for(UserFactory(role="staff")).get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Подходящие возможности" in body
    assert reverse("matching:matches", args=["project", project.pk]) in body
    assert Project.objects.count() == 1


def test_project_page_suggests_codes_from_its_description() -> None:
    from projectoffice.classifiers.loaders import load_okpd, load_okved

    load_okved()
    load_okpd()
    project = ProjectFactory(title="Разработка мобильного приложения", summary="Приложение для записи к врачу")
    body = client_for(UserFactory(role="staff")).get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Коды ОКПД2 и ОКВЭД2 по описанию" in body
    assert "<code>62.01" in body


def test_a_tender_for_goods_nobody_here_makes_lists_no_participants(market) -> None:  # type: ignore[no-untyped-def]
    OrganisationFactory(main_okved=OkvedFactory(), description="разработка мобильных приложений")
    assert match_participants(opportunity=market["Поставка бензина АИ-92"], today=TODAY) == []
