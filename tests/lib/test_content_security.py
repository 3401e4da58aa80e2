"""A Content-Security-Policy that runs only the site's own scripts and styles, and pages that live within it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from tests.conftest import client_for
from tests.factories import UserFactory

TEMPLATES = Path(__file__).resolve().parents[2] / "projectoffice" / "templates"
INLINE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "inline style element": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"\sstyle=[\"']", re.I),
    "event handler attribute": re.compile(r"\son[a-z]+=[\"']", re.I),
    "javascript: address": re.compile(r"javascript:", re.I),
    "htmx inline code": re.compile(r"\shx-on[:-]|\shx-vars=", re.I),
}


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/login/", "/opportunities/", "/events/", "/api/v1/opportunities"])
def test_every_answer_carries_a_policy_that_allows_only_the_sites_own_code(client: Client, url: str) -> None:
    policy = client.get(url).headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"


@pytest.mark.django_db
def test_signed_in_pages_carry_the_policy_too() -> None:
    response = client_for(UserFactory(role="staff")).get("/")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_no_template_carries_inline_code_or_styles_the_policy_would_block() -> None:
    found = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for what, pattern in INLINE.items():
            if pattern.search(text):
                found.append(f"{path.relative_to(TEMPLATES)}: {what}")
    assert not found, "\n".join(found)
