"""The builder's panels follow what was just saved without reloading the page."""

import re

import pytest
from django.urls import reverse

from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _panel_score(html: str) -> int:
    panel = re.search(r'<section[^>]*id="readiness-panel"[^>]*>.*?</section>', html, re.S)
    assert panel, "no readiness panel in the answer"
    return int(re.search(r'<span id="readiness">(\d+)</span>', panel.group(0)).group(1))


def test_saving_a_section_with_htmx_also_refreshes_the_readiness_panel_out_of_band(setup) -> None:  # type: ignore[no-untyped-def]
    application = setup["application"]
    client = client_for(setup["member"])
    before = _panel_score(client.get(reverse("applications:detail", args=[application.pk])).content.decode())
    empty = application.sections.select_related("section").filter(text="").first()
    url = reverse("applications:section_save", args=[application.pk, empty.pk])
    text = "Подробное описание раздела. " * (empty.section.min_chars // 20 + 1)
    response = client.post(url, {"text": text[: empty.section.max_chars], "base_version": empty.version},
                           HTTP_HX_REQUEST="true")  # fmt: skip
    body = response.content.decode()
    assert f'id="section-{empty.pk}"' in body
    assert 'id="readiness-panel" hx-swap-oob="true"' in body
    after = _panel_score(body)
    application.refresh_from_db()
    assert after > before and after == application.readiness
    assert f"Раздел «{empty.section.title}» пуст" not in body
