"""An event's «Материалы»: the label is the link's text, the address its target, and no link on the page is dead."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db

HREF = re.compile(r'<a [^>]*href="([^"]*)"[^>]*>([^<]*)</a>')


def test_material_lines_become_links_with_their_label_as_text() -> None:
    event = EventFactory(materials="Презентации: https://example.invalid/forum-slides\n\n"
                                   "Запись — https://example.invalid/forum-video.\n"
                                   "https://example.invalid/report.pdf\n"
                                   "Раздаточные материалы выдаются на входе\n"
                                   "javascript:alert('http')")  # fmt: skip
    body = Client().get(reverse("events:detail", args=[event.slug])).content.decode()
    materials = body[body.index("<h2>Материалы</h2>") :]
    links = dict((text, href) for href, text in HREF.findall(materials[: materials.index("</ul>")]))
    assert links == {
        "Презентации": "https://example.invalid/forum-slides",
        "Запись": "https://example.invalid/forum-video",
        "https://example.invalid/report.pdf": "https://example.invalid/report.pdf",
    }
    assert "<li>Раздаточные материалы выдаются на входе</li>" in materials
    assert 'href="javascript' not in body


def test_no_link_on_an_event_page_points_to_a_missing_page_of_the_site() -> None:
    event = EventFactory(materials="Презентации: https://example.invalid/slides\nЗапись: https://example.invalid/video")
    client = Client()
    body = client.get(reverse("events:detail", args=[event.slug])).content.decode()
    local = [href for href, _text in HREF.findall(body) if not href.startswith(("http://", "https://", "#", "mailto:"))]
    assert local, "the page has no links of the site"
    dead = [href for href in local if client.get(href).status_code == 404]
    assert not dead, dead
