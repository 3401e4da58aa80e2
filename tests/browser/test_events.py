"""Events in a browser: register on the public page, confirm by the e-mailed link, waitlist when full, check in."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from projectoffice.events.models import CheckIn, Registration
from tests.browser.conftest import login, shot
from tests.events.factories import EventFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "browser-pass-123"


def _register(page, event, name: str, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(page.base_url + f"/events/{event.slug}/")
    page.fill("#id_full_name", name)
    page.fill("#id_email", email)
    page.check("#id_consent")
    page.click("button:has-text('Зарегистрироваться')")
    page.wait_for_selector("text=Проверьте почту")


def _confirm_link(email: str) -> str:
    message = [m for m in mail.outbox if m.to == [email] and "Подтвердите" in m.subject][-1]
    return re.search(r"https?://[^/\s]+(/events/confirm/[^\s]+/)", message.body).group(1)


def test_register_confirm_waitlist_and_check_in(page, settings) -> None:  # type: ignore[no-untyped-def]
    settings.REGISTRATION_MIN_SECONDS = 0
    event = EventFactory(title="Митап «Данные на заводе»", capacity=1)
    _register(page, event, "Ольга Первая", "olga@example.invalid")
    shot(page, "40-event-check-email")
    page.goto(page.base_url + _confirm_link("olga@example.invalid"))
    page.wait_for_selector("text=Вы зарегистрированы")
    page.click("text=Открыть билет")
    page.wait_for_selector(".qr svg")
    shot(page, "41-event-ticket")
    ticket = Registration.objects.get(email="olga@example.invalid").ticket_code
    assert any(m.attachments for m in mail.outbox if m.to == ["olga@example.invalid"])

    _register(page, event, "Пётр Второй", "petr@example.invalid")
    page.goto(page.base_url + _confirm_link("petr@example.invalid"))
    page.wait_for_selector("text=Вы в листе ожидания")
    shot(page, "42-event-waitlisted")

    UserFactory(username="anna", role="staff", password=PASSWORD)
    login(page, "anna", PASSWORD)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base_url + f"/events/{event.slug}/checkin/")
    page.fill("#code", ticket)
    page.click("#checkin-form button[type=submit]")
    page.wait_for_selector(".checkin-result.ok")
    page.fill("#code", ticket)
    page.click("#checkin-form button[type=submit]")
    page.wait_for_selector(".checkin-result.bad >> text=уже отмечен")
    shot(page, "43-event-checkin-phone")
    assert CheckIn.objects.count() == 1


def test_check_in_updates_the_counter_and_readies_the_field_for_the_next_ticket(page) -> None:  # type: ignore[no-untyped-def]
    from tests.events.factories import RegistrationFactory

    event = EventFactory(title="Митап «Очередь на входе»", capacity=20)
    first, second, _third = (RegistrationFactory(event=event) for _ in range(3))
    UserFactory(username="boris", role="staff", password=PASSWORD)
    login(page, "boris", PASSWORD)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base_url + f"/events/{event.slug}/checkin/")
    assert "Отмечено 0 из 3" in page.inner_text("#checkin-counter")
    page.fill("#code", first.ticket_code)
    page.press("#code", "Enter")
    page.wait_for_selector("#checkin-counter >> text=Отмечено 1 из 3")
    expect(page.locator("#code")).to_have_value("")
    expect(page.locator("#code")).to_be_focused()
    page.keyboard.type(second.ticket_code)  # the next scan goes straight into the field
    page.keyboard.press("Enter")
    page.wait_for_selector("#checkin-counter >> text=Отмечено 2 из 3")
    expect(page.locator("#code")).to_have_value("")
    page.fill("#code", "NOSUCHTICKET")
    page.press("#code", "Enter")
    page.wait_for_selector(".checkin-result.bad >> text=не найден")
    expect(page.locator("#code")).to_be_focused()
    assert page.input_value("#code") == "NOSUCHTICKET"  # a refused code stays, selected, to be corrected
    shot(page, "44-event-checkin-counter")
    assert CheckIn.objects.count() == 2
