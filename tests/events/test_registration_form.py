"""The public registration form as a screen reader and a phone's keyboard meet it.

The sessions with limited seats are a group with its legend (not a label pointing at nothing); name, e-mail,
organisation and phone say what they hold (`autocomplete`), the phone opens the phone keypad (`type=tel`);
the honeypot is off-screen, out of the Tab order and hidden from assistive technology, so nobody is told
«Не заполняйте это поле».
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client

from projectoffice.events.models import Registration
from tests.events.factories import EventFactory, SessionFactory
from tests.events.helpers import register

pytestmark = pytest.mark.django_db


class Form(HTMLParser):
    """The registration form's elements with their attributes, and the open elements around each one."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None], list[dict[str, str | None]]]] = []
        self.open: list[tuple[str, dict[str, str | None]]] = []
        self.legends: list[str] = []
        self.in_legend = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.elements.append((tag, values, [a for _, a in self.open]))
        if tag not in ("input", "br", "meta", "link", "img"):
            self.open.append((tag, values))
        self.in_legend = tag == "legend" or self.in_legend

    def handle_endtag(self, tag: str) -> None:
        self.in_legend = self.in_legend and tag != "legend"
        while self.open and self.open.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        if self.in_legend and data.strip():
            self.legends.append(data.strip())

    def input(self, name: str) -> tuple[dict[str, str | None], list[dict[str, str | None]]]:
        return next((values, around) for tag, values, around in self.elements if values.get("name") == name)


def _form() -> Form:
    event = EventFactory(capacity=50)
    SessionFactory(event=event, title="Воркшоп", capacity=20)
    response = Client().get(f"/events/{event.slug}/")
    assert response.status_code == 200
    form = Form()
    form.feed(response.content.decode())
    return form


def test_the_sessions_are_a_fieldset_with_a_legend_and_no_label_points_at_nothing() -> None:
    form = _form()
    assert "Сессии с ограниченным числом мест" in form.legends
    checkbox, around = form.input("sessions")
    assert checkbox["type"] == "checkbox" and any(a.get("class", "").startswith("field choices") for a in around)
    assert [values for tag, values, _ in form.elements if tag == "label" and values.get("for") == ""] == []
    assert [tag for tag, _, _ in form.elements].count("fieldset") == 1


def test_name_email_organisation_and_phone_say_what_they_hold() -> None:
    form = _form()
    assert form.input("full_name")[0]["autocomplete"] == "name"
    assert form.input("email")[0]["autocomplete"] == "email"
    assert form.input("organisation_name")[0]["autocomplete"] == "organization"
    phone = form.input("phone")[0]
    assert (phone["type"], phone["autocomplete"], phone["inputmode"]) == ("tel", "tel", "tel")


def test_the_honeypot_is_hidden_from_assistive_technology_and_the_tab_order() -> None:
    honeypot, around = _form().input("website")
    assert honeypot["tabindex"] == "-1" and honeypot["autocomplete"] == "off"
    block = around[-1]
    assert block.get("aria-hidden") == "true" and "honeypot" in (block.get("class") or "")


def test_a_person_with_a_phone_number_still_registers(client: Client) -> None:
    """type=tel changes the keypad, not what is accepted: «+7 (846) 200-00-00» is kept as typed."""
    event = EventFactory(capacity=5)
    response = register(client, event, "ivan@example.org", phone="+7 (846) 200-00-00")
    assert "Проверьте почту" in response.content.decode()
    assert Registration.objects.get(event=event).phone == "+7 (846) 200-00-00"
