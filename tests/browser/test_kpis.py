"""The grantor's view: the dashboard, a drill-down to the records, a frozen report that keeps its figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from projectoffice.kpis.models import QuarterlyReport
from projectoffice.kpis.periods import quarter_of
from tests.browser.conftest import ARTIFACTS, login, shot
from tests.events.factories import EventFactory
from tests.factories import (
    ApplicationFactory,
    IndicatorFactory,
    OpportunityFactory,
    ProjectFactory,
    TargetFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "browser-pass-123"


def test_drill_down_submit_a_report_and_see_it_frozen(page, browser, live_server) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    year, quarter = today.year, quarter_of(today)
    investment = IndicatorFactory(code="investment", name="Привлечённые инвестиции", unit="rub", method="investment")
    IndicatorFactory(code="events", name="Проведённые мероприятия", unit="pieces", method="events")
    TargetFactory(indicator=investment, year=year, value=Decimal(10_000_000))
    ApplicationFactory(
        project=ProjectFactory(title="Мониторинг ЛЭП"),
        opportunity=OpportunityFactory(title="Грант РФРИТ", provider_name="РФРИТ"),
        status="supported",
        submitted_on=today,
        outcome_on=today,
        awarded_amount=Decimal(4_000_000),
        cofinancing_amount=Decimal(1_000_000),
    )
    UserFactory(username="anna", role="staff", password=PASSWORD)
    UserFactory(username="grigory", role="grantor", password=PASSWORD)

    staff = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900}).new_page()
    staff.base_url = live_server.url
    login(staff, "anna", PASSWORD)
    staff.goto(staff.base_url + "/kpis/reports/")
    staff.fill("#year", str(year))
    staff.fill("#quarter", str(quarter))
    staff.click("button:has-text('Открыть отчёт')")
    staff.fill("textarea[name=comment-investment]", "Грант РФРИТ на мониторинг ЛЭП")
    staff.click("button:has-text('Сдать и заморозить отчёт')")  # not confirmed yet: the browser holds the form
    assert staff.evaluate("document.getElementById('confirm-freeze').validity.valueMissing")
    assert QuarterlyReport.objects.get().status == "draft"
    staff.check("#confirm-freeze")
    shot(staff, "53-kpi-report-confirm")
    staff.click("button:has-text('Сдать и заморозить отчёт')")
    staff.wait_for_selector("text=Отчёт сдан и заморожен")

    EventFactory(
        title="Новый митап", starts_at=timezone.now() - dt.timedelta(hours=6)
    )  # a record changes after submission

    login(page, "grigory", PASSWORD)
    page.goto(page.base_url + f"/kpis/?year={year}")
    assert "5 000 000" in page.locator("#kpi-investment .fact").inner_text().replace("\xa0", " ")
    shot(page, "50-kpi-dashboard")
    page.click("#kpi-investment .fact")
    page.wait_for_selector("text=Мониторинг ЛЭП — Грант РФРИТ")
    shot(page, "51-kpi-drill-down")
    page.goto(page.base_url + "/kpis/reports/")
    page.click(f"text={quarter} кв. {year}")
    assert "Данные отчёта не менялись" in page.locator("#integrity").inner_text()
    assert "в отчёте 0, сейчас 1" in page.locator(".divergence").inner_text()
    shot(page, "52-kpi-frozen-report")
    for fmt in ("xlsx", "pdf"):
        with page.expect_download() as download:
            page.click(f"a:has-text('{fmt.upper()}')")
        target = ARTIFACTS / f"kpi-report.{fmt}"
        download.value.save_as(target)
        assert target.stat().st_size > 1000
    assert (ARTIFACTS / "kpi-report.pdf").read_bytes().startswith(b"%PDF")
