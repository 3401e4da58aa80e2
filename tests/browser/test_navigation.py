"""Navigation in a browser: the visitor's landing page, headers that fit a phone, boards whose columns all show."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from projectoffice.classifiers.loaders import load_all
from tests.browser.conftest import login, shot

pytestmark = pytest.mark.django_db(transaction=True)
PHONES = [360, 390, 412]


@pytest.fixture
def demo() -> None:
    load_all()
    call_command("load_demo", allow_non_embedded=True, stdout=None)


def _fits(page, width: int) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": width, "height": 800})
    page.reload()
    header = page.evaluate("document.querySelector('.topbar').scrollWidth")
    document = page.evaluate("document.documentElement.scrollWidth")
    assert header <= width and document <= width, f"{page.url} at {width} px: header {header}, page {document}"
    for control in page.locator(".topbar a:visible, .topbar button:visible").all():
        box = control.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, f"{control.inner_text()} at {width} px"


def test_a_visitor_lands_on_a_public_page_whose_header_fits_a_phone(page, demo) -> None:  # type: ignore[no-untyped-def]
    page.goto(page.base_url + "/")
    assert page.url == page.base_url + "/"
    page.wait_for_selector("h2:has-text('Скоро закрывается приём заявок')")
    assert page.locator("section[aria-labelledby=events-title] li a").count() >= 1
    assert page.locator("section[aria-labelledby=kpi-title] .stat").count() >= 1
    shot(page, "05-landing")
    for width in PHONES:
        _fits(page, width)
        assert page.locator(".topbar a:has-text('Войти')").is_visible()
    shot(page, "05-landing-phone-360")
    for path in ("/opportunities/", "/events/"):
        page.goto(page.base_url + path)
        page.set_viewport_size({"width": 360, "height": 800})
        header = page.evaluate("document.querySelector('.topbar').scrollWidth")
        assert header <= 360, f"{path}: header {header} px"


def test_a_signed_in_header_fits_a_phone_and_opens_its_menu(page, demo) -> None:  # type: ignore[no-untyped-def]
    login(page, "member", "demo-password")
    for width in PHONES:
        _fits(page, width)
    page.set_viewport_size({"width": 360, "height": 800})
    page.click(".nav-toggle")
    page.wait_for_selector("#nav.open")
    box = page.locator("#nav").bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 360
    shot(page, "06-member-menu-phone")


def test_every_column_of_the_board_is_reachable_with_a_hint(page, demo) -> None:  # type: ignore[no-untyped-def]
    login(page, "staff", "demo-password")
    page.set_viewport_size({"width": 1366, "height": 800})
    page.goto(page.base_url + "/projects/board/")
    columns = page.locator(".kanban-col")
    assert columns.count() == 8
    for index in range(8):
        box = columns.nth(index).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 1366, f"column {index + 1} is off-screen"
    assert page.locator(".board-stages a").count() == 8
    shot(page, "07-board-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator(".board-stages a").last.click()
    last = page.locator(".kanban-col").last
    expect(last).to_be_in_viewport()  # no string predicates: the Content-Security-Policy refuses eval
    shot(page, "07-board-phone-last-column")


def test_the_registry_sorts_by_a_column_in_place_and_keeps_it_when_filtering(page, demo) -> None:  # type: ignore[no-untyped-def]
    login(page, "community", "demo-password")
    page.goto(page.base_url + "/organisations/")
    names = page.locator("td[data-label='Организация'] > a").all_inner_texts()
    assert len(names) > 5 and names == sorted(names)  # by the names shown, not by the legal names behind them
    page.click("th a.sort:has-text('Регистрация')")
    page.wait_for_url("**sort=founded**")
    page.wait_for_selector("th[aria-sort=ascending] >> text=Регистрация")
    page.select_option("#id_kind", "it_company")
    page.wait_for_url("**kind=it_company**")
    assert "sort=founded" in page.url
    page.wait_for_selector("th[aria-sort=ascending] >> text=Регистрация")
    dates = [d for d in page.locator("td[data-label='Регистрация']").all_inner_texts() if d != "—"]
    as_iso = ["-".join(reversed(d.split("."))) for d in dates]
    assert len(as_iso) >= 2 and as_iso == sorted(as_iso)
    assert set(page.locator("td[data-label='Тип']").all_inner_texts()) == {"ИТ-компания"}
    shot(page, "08-registry-sorted")


def test_event_materials_open_their_addresses(page, demo) -> None:  # type: ignore[no-untyped-def]
    from projectoffice.events.models import Event

    event = Event.objects.exclude(materials="").first()
    page.goto(page.base_url + f"/events/{event.slug}/")
    links = page.locator("h2:has-text('Материалы') + ul a")
    assert links.count() >= 2
    for index in range(links.count()):
        assert links.nth(index).get_attribute("href").startswith("https://")
        assert "http" not in links.nth(index).inner_text()
    shot(page, "09-event-materials")


def test_a_suspended_call_says_so_and_other_regions_wait_behind_all_regions(page, demo) -> None:  # type: ignore[no-untyped-def]
    from projectoffice.opportunities.models import Opportunity

    rfrit = Opportunity.objects.get(external_id="rfrit_dev_grants_pp550")
    page.goto(page.base_url + f"/opportunities/{rfrit.pk}/")
    assert "Приём заявок приостановлен" in page.inner_text("#suspension")
    shot(page, "10-opportunity-suspended")
    page.goto(page.base_url + "/opportunities/?kind=loan")
    assert page.locator("text=Совместные программы").count() == 0
    page.select_option("#id_region", "all")
    page.wait_for_selector("text=Совместные программы")
    assert "region=all" in page.url
    shot(page, "11-catalogue-all-regions")
