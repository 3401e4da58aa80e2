"""Ranking: opportunities for an organisation or a project and participants for an opportunity, with the reasons."""

import datetime as dt

import pytest
from django.urls import reverse

from projectoffice.matching import ranking
from projectoffice.matching.ranking import match_opportunities, match_participants
from tests.conftest import client_for
from tests.factories import (
    OkvedFactory,
    OrganisationFactory,
    ProjectFactory,
    RegionFactory,
    UserFactory,
    member_of,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 26)


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


def test_one_shared_word_is_weaker_evidence_than_several(
    samara_tender, django_capture_on_commit_callbacks, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    RegionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        samara_tender(
            registry_number="0342000000000000011",
            title="Цифровой архив документов",
            items=[("62.01.11.000", "Архив документов")],
        )
        samara_tender(
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
    weak, strong = "Цифровой архив документов", "Цифровой учёт обслуживания станков"
    assert weighed[weak][1] == ["цифровой"] and len(weighed[strong][1]) >= 2
    assert weighed[weak][0] < unweighed[weak][0]
    assert weighed[strong][0] == unweighed[strong][0]


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


def test_a_tender_for_goods_nobody_here_makes_lists_no_participants(market) -> None:  # type: ignore[no-untyped-def]
    OrganisationFactory(main_okved=OkvedFactory(), description="разработка мобильных приложений")
    assert match_participants(opportunity=market["Поставка бензина АИ-92"], today=TODAY) == []
