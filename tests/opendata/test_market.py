"""Market figures for the KPI ledger from the open data: IT companies by size, their headcount and income by year,
each figure the sum of the records behind it; the dynamics chart on the dashboard and the public page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from projectoffice.kpis.ledger import dashboard_years, records_for
from projectoffice.lib import formats
from projectoffice.matching.eligibility import check_eligibility
from projectoffice.opendata.models import Company, YearFigure
from tests.factories import IndicatorFactory, OpportunityFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def market() -> None:
    for inn, category, kind in (("6300000001", "micro", "it_company"), ("6300000002", "small", "it_company"),
                                ("6300000003", "micro", "industrial")):  # fmt: skip
        Company.objects.create(inn=inn, name=f"ООО {inn}", kind=kind, category=category, in_sme_registry=True,
                               sme_as_of=dt.date(2025, 10, 10), region_code="63")  # fmt: skip
    for inn, year, headcount, income in (("6300000001", 2022, 10, "5000000"), ("6300000001", 2023, 14, "9000000"),
                                         ("6300000002", 2023, 40, "70000000"), ("6300000003", 2023, 500, "1")):  # fmt: skip
        YearFigure.objects.create(inn=inn, year=year, measure="headcount", value=headcount,
                                  as_of=dt.date(year, 12, 31), source="ФНС")  # fmt: skip
        YearFigure.objects.create(inn=inn, year=year, measure="income", value=Decimal(income),
                                  as_of=dt.date(year, 12, 31), source="ФНС")  # fmt: skip


def test_it_companies_are_counted_by_size_category_with_the_companies_behind_the_figure(market: None) -> None:
    everyone = IndicatorFactory(code="it-all", method="market_companies", unit="pieces")
    micro = IndicatorFactory(code="it-micro", method="market_companies", method_param="micro", unit="pieces")
    table = dashboard_years(years=[2025], indicators=[everyone, micro])[2025]
    assert [row.fact_year for row in table] == [Decimal(2), Decimal(1)]
    assert [r.label for r in records_for(micro, 2025, None)] == ["ООО 6300000001, ИНН 6300000001"]


def test_headcount_and_income_of_it_companies_by_year_add_up_to_their_records(market: None) -> None:
    headcount = IndicatorFactory(code="it-people", method="market_headcount", unit="persons")
    income = IndicatorFactory(code="it-income", method="market_income", unit="rub")
    table = dashboard_years(years=[2022, 2023], indicators=[headcount, income])
    assert [row.fact_year for row in table[2023]] == [Decimal(54), Decimal(79000000)]
    assert [row.fact_year for row in table[2022]] == [Decimal(10), Decimal(5000000)]
    records = records_for(income, 2023, None)
    assert sum(r.value for r in records) == Decimal(79000000)
    assert {r.label for r in records} == {"ООО 6300000001, ИНН 6300000001", "ООО 6300000002, ИНН 6300000002"}


def test_a_record_opens_the_card_when_the_company_has_one(market: None) -> None:
    card = OrganisationFactory(inn="6300000002")
    Company.objects.filter(inn="6300000002").update(organisation=card)
    income = IndicatorFactory(code="it-income", method="market_income", unit="rub")
    urls = {r.label: r.url for r in records_for(income, 2023, None)}
    assert urls["ООО 6300000002, ИНН 6300000002"] == f"/organisations/{card.pk}/"
    assert urls["ООО 6300000001, ИНН 6300000001"].startswith("/opendata/?status=all&q=6300000001")


def test_the_dashboard_and_the_public_page_chart_the_markets_dynamics(market: None, staff_client, client) -> None:  # type: ignore[no-untyped-def]
    IndicatorFactory(code="it-income", name="Доходы ИТ-компаний региона", method="market_income", unit="rub",
                     is_public=True)  # fmt: skip
    page = staff_client.get("/kpis/?year=2023").content.decode()
    assert 'id="market-it-income"' in page
    assert 'href="/kpis/it-income/2023/year/"' in page
    assert f"<title>2023: {formats.number(Decimal(79000000))}</title>" in page
    public = client.get("/kpis/public/?year=2023").content.decode()
    assert 'id="market-it-income"' in public and "доходы — не выручка" in public


def test_an_eligibility_rule_needing_revenue_says_it_used_fns_income_and_its_source() -> None:
    card = OrganisationFactory(inn="6300000009")
    YearFigure.objects.create(inn=card.inn, year=2023, measure="income", value=Decimal(50_000_000),
                              as_of=dt.date(2023, 12, 31), source="ФНС, доходы и расходы за 2023 г.")  # fmt: skip
    opportunity = OpportunityFactory(max_revenue=Decimal(120_000_000))
    reasons = {c.rule: c for c in check_eligibility(opportunity, card).with_private_figures().checks}
    assert reasons["revenue"].outcome == "pass"
    assert reasons["revenue"].reason == (
        f"выручки в профиле нет; доходы за 2023 г. — {formats.millions(Decimal(50_000_000))} "
        f"(ФНС, доходы и расходы за 2023 г.) — не больше допустимых {formats.millions(Decimal(120_000_000))}, "
        "а выручка не больше доходов"
    )
