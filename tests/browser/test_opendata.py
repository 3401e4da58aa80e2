"""Staff open the discovery feed, confirm a discovered IT company and see its card with sources; the market
indicator opens down to the companies behind it."""

from __future__ import annotations

from pathlib import Path

import pytest

from projectoffice.opendata.imports import Options, run_import
from tests.browser.conftest import login, shot
from tests.factories import IndicatorFactory, OkvedFactory, RegionFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "browser-pass-123"
DATA = "projectoffice/opendata/data/fns-rsmp/rsmp-v4.01-2019-excerpt.xml"


def test_confirm_a_discovered_it_company_and_open_the_market_figure(page) -> None:  # type: ignore[no-untyped-def]
    RegionFactory(iso_code="RU-YAN", name="Ямало-Ненецкий", name_with_type="Ямало-Ненецкий АО", tax_code="89")
    OkvedFactory(code="62.02", name="Деятельность консультативная и работы в области компьютерных технологий")
    run_import("sme", [Path(DATA)], options=Options(region_codes=frozenset({"89"})))
    IndicatorFactory(code="it-market", name="ИТ-компании региона", unit="pieces", method="market_companies")
    UserFactory(username="anna", role="staff", password=PASSWORD)
    login(page, "anna", PASSWORD)

    page.click("nav >> text=Компании региона")
    page.select_option("#id_kind", "it_company")
    page.click("button:has-text('Показать')")
    row = page.locator("#feed tr", has_text="СКАЙНЕТ")
    shot(page, "70-opendata-feed")
    row.locator("summary:has-text('Подтвердить')").click()
    row.locator("button:has-text('Внести в реестр')").click()
    page.wait_for_selector("h1:has-text('СКАЙНЕТ')")
    assert page.locator("h1 + small.source").inner_text() == "ФНС, реестр МСП на 10.02.2019"
    assert "ФНС, реестр МСП на 10.02.2019" in page.locator("dd", has_text="62.02").inner_text()
    assert page.locator("#fns").is_visible()
    shot(page, "71-opendata-card-with-sources")

    page.goto(page.base_url + "/kpis/?year=2019")
    page.click("#market-it-market a:has-text('4')")
    page.wait_for_url("**/kpis/it-market/2019/year/")
    assert page.locator("td[data-label='Значение']").count() == 4  # the four IT companies of the sample
    page.click("a:has-text('ИНН 8901037353')")
    page.wait_for_selector("h1:has-text('СКАЙНЕТ')")
    shot(page, "72-market-figure-to-company")
