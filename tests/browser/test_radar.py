"""The opportunity radar in a browser: the public catalogue, and a project's matches with reasons and feedback."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from projectoffice.classifiers.loaders import load_regions
from projectoffice.matching.index import rebuild_index
from projectoffice.matching.models import MatchFeedback
from projectoffice.opportunities.catalogue import load_catalogue
from projectoffice.opportunities.procurement import ItemRecord, TenderRecord
from projectoffice.opportunities.procurement_import import import_records
from tests.browser.conftest import login, shot
from tests.factories import OkvedFactory, OrganisationFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "browser-pass-123"


@pytest.fixture
def radar() -> None:
    load_regions()
    load_catalogue()
    moment = dt.datetime.now(dt.UTC)
    import_records(iter([TenderRecord(
        "0342000000000000777", "44", "Разработка мобильного приложения для записи к врачу", "ГБУ «ДЕМО»", "6316000012",
        "Электронный аукцион", Decimal(2_500_000), published_at=moment, version_at=moment,
        submission_ends_at=moment + dt.timedelta(days=20), items=[ItemRecord("62.01.11.000", "Разработка приложения")])]),
        "test")  # fmt: skip
    rebuild_index()


def test_the_public_catalogue_searches_in_russian_and_shows_sources(page, radar) -> None:  # type: ignore[no-untyped-def]
    page.goto(page.base_url + "/opportunities/")
    page.fill("#id_q", "грант для разработчика")
    page.wait_for_selector("#results >> text=Гранты разработчикам российского ПО")
    shot(page, "20-catalogue-search")
    page.goto(page.base_url + "/opportunities/?status=suspended")  # RFRIT's grants: suspended, as their source says
    page.click("text=Гранты на разработку цифровых продуктов")
    assert "Приём заявок приостановлен" in page.inner_text("#suspension")
    assert page.locator(".source-ref").count() >= 3
    assert "mspmo.ru" in page.locator("section.source").inner_text()
    shot(page, "21-opportunity-sources")


def test_a_project_lists_matching_opportunities_with_reasons_and_feedback(page, radar) -> None:  # type: ignore[no-untyped-def]
    developer = OrganisationFactory(main_okved=OkvedFactory(), description="разработка мобильных приложений",
                                    it_accredited=True)  # fmt: skip
    project = ProjectFactory(lead_organisation=developer, title="Мобильное приложение записи к врачу",
                             summary="Запись пациентов к врачу через мобильное приложение", trl=5,
                             requested_support=0)  # fmt: skip
    UserFactory(username="anna", role="staff", password=PASSWORD)
    login(page, "anna", PASSWORD)
    page.goto(page.base_url + f"/projects/{project.pk}/")
    first = page.locator("#matches-panel li.match").first
    first.wait_for()
    assert "Разработка мобильного приложения для записи к врачу" in first.inner_text()
    first.locator("summary").click()
    assert "Совпали слова" in first.inner_text()
    shot(page, "22-project-matches")
    first.locator("button:has-text('Не подходит')").click()
    expect(page.locator("#matches-panel")).not_to_contain_text("для записи к врачу")
    assert MatchFeedback.objects.get().verdict == "dismissed"
    shot(page, "23-project-match-dismissed")


def test_a_new_rd_project_gets_grants_before_tenders(page, radar) -> None:  # type: ignore[no-untyped-def]
    moment = dt.datetime.now(dt.UTC)
    import_records(iter([TenderRecord(
        "0342000000000000778", "44", "Поставка персональных компьютеров", "ГБУ «ДЕМО»", "6316000012",
        "Электронный аукцион", Decimal(900_000), published_at=moment, version_at=moment,
        submission_ends_at=moment + dt.timedelta(days=20), items=[ItemRecord("26.20.15.000", "Компьютер")])]),
        "test")  # fmt: skip
    rebuild_index()
    member = OrganisationFactory(main_okved=OkvedFactory(), founded_on=dt.date.today() - dt.timedelta(days=400),
                                 size_category="micro")  # fmt: skip
    project = ProjectFactory(lead_organisation=member, title="Цифровой двойник линии окраски кузовов",
                             summary="Модель линии окраски кузовов для подбора режимов", trl=4, stage="screening",
                             budget_total=Decimal(11_000_000), own_funds=Decimal(2_000_000),
                             requested_support=Decimal(9_000_000))  # fmt: skip
    UserFactory(username="boris", role="staff", password=PASSWORD)
    login(page, "boris", PASSWORD)
    page.goto(page.base_url + f"/projects/{project.pk}/")
    matches = page.locator("#matches-panel li.match")
    matches.first.wait_for()
    texts = matches.all_inner_texts()
    assert "Старт" in " ".join(texts[:3]) or "Взлёт" in " ".join(texts[:3])
    assert not any("Поставка персональных компьютеров" in text for text in texts)
    shot(page, "24-rd-project-grants-first")
