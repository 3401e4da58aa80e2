"""The dashboard's SVG charts escape what people typed, like every other part of the page."""

from __future__ import annotations

from pathlib import Path

import pytest
from defusedxml.minidom import parseString

from tests.conftest import client_for
from tests.factories import IndicatorFactory, TargetFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2] / "projectoffice"
HOSTILE = '" onload="alert(1)" x="<script>alert(2)</script>'
# The only values marked safe: an SVG that segno drew from the ticket's own hexadecimal code.
SAFE_ALLOWED = {"events/ticket.html": "qr_svg|safe"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff", "grantor"])
def test_an_indicator_name_with_quotes_and_markup_cannot_run_script_on_the_dashboard(role: str) -> None:
    TargetFactory(indicator=IndicatorFactory(code="x", name=HOSTILE), year=2026, value=10)
    body = client_for(UserFactory(role=role)).get("/kpis/?year=2026").content.decode()
    assert 'onload="alert' not in body and "<script>alert" not in body
    svg = body[body.index("<svg") : body.index("</svg>") + 6]
    chart = parseString(svg).documentElement  # well-formed, so no attribute was broken out of
    assert chart.getAttribute("aria-label").startswith(HOSTILE)


def test_templates_mark_nothing_safe_but_the_allowed_drawings() -> None:
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        name = str(path.relative_to(ROOT / "templates"))
        for marker in ("|safe", "safeseq", "{% autoescape off"):
            if marker in text and not (name.endswith("_email.html") and marker == "{% autoescape off"):
                assert SAFE_ALLOWED.get(name) == "qr_svg|safe" and text.count(marker) == 1, f"{name}: {marker}"


def test_python_code_builds_no_html_by_hand() -> None:
    for path in ROOT.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "mark_safe(f" not in text and "SafeString(" not in text, path
