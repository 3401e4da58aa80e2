"""Pages a person with a phone, a keyboard or a screen reader uses.

axe-core checks every page these journeys show (tests/browser/conftest.py); here, besides, nothing is wider than
a 360 px phone, public pages signed out and the main pages of each signed-in role, and the registration form
reads as a screen reader and a phone's keyboard need it.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command

from projectoffice.classifiers.loaders import load_all
from tests.browser.conftest import audit, login, shot

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = 360
PUBLIC = [
    "/",
    "/opportunities/",
    "/opportunities/closing-soon/",
    "/events/",
    "/events/industrial-ai-hackathon-demo/",
    "/events/data-engineering-course-demo/",
    "/kpis/public/",
    "/accounts/login/",
]
SIGNED_IN = {
    "staff": ["/", "/organisations/", "/projects/", "/projects/board/", "/applications/", "/applications/board/",
              "/applications/calendar/", "/kpis/", "/kpis/reports/", "/events/", "/opportunities/",
              "/classifiers/okved2/", "/matching/subscriptions/"],
    "member": ["/", "/organisations/", "/projects/", "/applications/", "/opportunities/", "/events/"],
    "grantor": ["/", "/kpis/", "/projects/board/"],
}  # fmt: skip


@pytest.fixture
def demo() -> None:
    load_all()
    call_command("load_demo", allow_non_embedded=True, stdout=None)


def _overflow(page, paths: list[str]) -> list[str]:  # type: ignore[no-untyped-def]
    wide = []
    for path in paths:
        page.goto(page.base_url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE:
            wide.append(f"{path}: {width} px")
    return wide


def test_public_pages_signed_out_fit_a_360_px_phone(page, demo) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": PHONE, "height": 800})
    assert _overflow(page, PUBLIC) == []
    page.goto(page.base_url + "/events/")
    login_button = page.locator(".topbar a:has-text('Войти')").bounding_box()
    assert login_button and login_button["x"] + login_button["width"] <= PHONE
    shot(page, "a11y-01-events-phone-signed-out")


@pytest.mark.parametrize("role", sorted(SIGNED_IN))
def test_the_main_pages_of_each_role_fit_a_360_px_phone(page, demo, role: str) -> None:  # type: ignore[no-untyped-def]
    login(page, role, "demo-password")
    page.set_viewport_size({"width": PHONE, "height": 800})
    assert _overflow(page, SIGNED_IN[role]) == []
    shot(page, f"a11y-02-{role}-phone")


def test_the_demo_proposal_pages_fit_a_360_px_phone_with_their_support_counts(page, demo) -> None:  # type: ignore[no-untyped-def]
    from projectoffice.participation.models import Proposal, Visibility

    page.set_viewport_size({"width": PHONE, "height": 800})
    shown = Proposal.objects.filter(visibility=Visibility.VISIBLE, process__is_published=True)
    paths = [f"/participation/proposals/{pk}/" for pk in shown.values_list("pk", flat=True)]
    assert paths and _overflow(page, paths) == []
    for card in page.locator(".stat").all():  # the counts stay inside their cards
        box, value = card.bounding_box(), card.locator(".stat-value").bounding_box()
        assert box and value and value["x"] + value["width"] <= box["x"] + box["width"]


def test_the_registration_form_reads_right_to_a_screen_reader_and_a_phone_keypad(page, demo) -> None:  # type: ignore[no-untyped-def]
    page.goto(page.base_url + "/events/industrial-ai-hackathon-demo/")
    group = page.get_by_role("group", name="Сессии с ограниченным числом мест")
    assert group.get_by_role("checkbox").count() == 1
    assert page.get_by_role("textbox", name="Фамилия, имя, отчество").get_attribute("autocomplete") == "name"
    assert page.get_by_role("textbox", name="Эл. почта").get_attribute("autocomplete") == "email"
    phone = page.get_by_role("textbox", name="Телефон")
    assert (phone.get_attribute("type"), phone.get_attribute("autocomplete")) == ("tel", "tel")
    # The honeypot is not in the accessibility tree, and Tab goes from the phone past it.
    assert page.get_by_role("textbox", name="Не заполняйте это поле").count() == 0
    phone.focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") != "website"
    shot(page, "a11y-03-registration-form")
    page.get_by_role("textbox", name="Фамилия, имя, отчество").fill("Мария Иванова")
    page.get_by_role("textbox", name="Эл. почта").fill("maria@example.invalid")
    page.click("button:has-text('Зарегистрироваться')")  # refused (consent not given): the errors are checked too
    page.wait_for_selector(".has-error")
    audit(page)
    shot(page, "a11y-04-registration-errors")
