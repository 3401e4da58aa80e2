"""Flagships in a browser: the showcase in English on a phone with its contact form; staff move a deal on the board."""

from __future__ import annotations

import pytest
from django.utils import timezone

from projectoffice.flagships import services
from projectoffice.flagships.models import Deal
from tests.browser.conftest import login, shot
from tests.factories import UserFactory
from tests.flagships.helpers import complete_materials, flagship_with_partners

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "browser-pass-123"


def test_a_foreign_partner_reads_the_showcase_in_english_on_a_phone_and_asks_for_an_introduction(
    page, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.REGISTRATION_MIN_SECONDS = 0
    staff = UserFactory(role="staff")
    flagship = flagship_with_partners(staff, showcase=True)
    complete_materials(staff, flagship, english=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base_url + "/en/showcase/")
    page.wait_for_selector("text=Flagship projects of the Samara Region")
    assert page.locator("html").get_attribute("lang") == "en"
    shot(page, "flagships-showcase-en-phone")
    page.click("text=Details and contact")
    page.wait_for_selector("h1:has-text('Digital twin of a pumping station')")
    page.fill("#id_name", "John Smith")
    page.fill("#id_organisation", "Acme GmbH")
    page.fill("#id_email", "john@acme.example")
    page.select_option("#id_funder_class", "foreign_business")
    page.fill("#id_message", "We would like to meet the team.")
    page.click("button:has-text('Request an introduction')")
    page.wait_for_selector("#sent")
    shot(page, "flagships-showcase-en-sent-phone")
    deal = Deal.objects.get()
    assert (deal.funder_name, deal.source, deal.stage) == ("Acme GmbH", "showcase", "intro_requested")
    page.click("text=Русский")
    page.wait_for_selector("h1:has-text('Цифровой двойник насосной станции')")
    assert page.locator("html").get_attribute("lang") == "ru"


def test_staff_open_the_portfolio_and_move_a_deal_to_a_meeting(page) -> None:  # type: ignore[no-untyped-def]
    staff = UserFactory(username="olga", role="staff", password=PASSWORD)
    flagship = flagship_with_partners(staff)
    deal = services.deal_create(
        actor=staff, project=flagship.project, data={"funder_name": "ПАО «Корпорация»", "funder_class": "large_company"}
    )
    services.deal_move(actor=staff, deal=deal, to_stage="intro_made", on=timezone.localdate())
    login(page, "olga", PASSWORD)
    page.click("nav >> text=Флагманы")
    page.wait_for_selector("#portfolio")
    shot(page, "flagships-portfolio")
    page.click("text=ПАО «Корпорация»")
    page.wait_for_selector("#stage >> text=Знакомство состоялось")
    page.select_option("#id_to_stage", "meeting")
    page.click("button:has-text('Перевести')")
    page.wait_for_selector("#stage >> text=Встреча")
    shot(page, "flagships-deal")
    page.click("text=Сделки")
    page.wait_for_selector("#stage-meeting >> text=ПАО «Корпорация»")
    shot(page, "flagships-board")


def test_the_flagship_tabs_fit_a_phone_and_the_showcase_tab_stays_on_screen(page) -> None:  # type: ignore[no-untyped-def]
    staff = UserFactory(username="olga", role="staff", password=PASSWORD)
    flagship_with_partners(staff)
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "olga", PASSWORD)
    for path in ("/flagships/", "/flagships/deals/", "/flagships/funders/"):
        page.goto(page.base_url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} scrolls sideways ({width}px)"
        tab = page.locator(".tabs a:has-text('Витрина')").bounding_box()
        assert tab and tab["x"] + tab["width"] <= 390, path
    shot(page, "flagships-tabs-phone")
