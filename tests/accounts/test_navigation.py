"""Every item of the menu a role sees opens for that role, and a visitor gets a landing page, not a login wall."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.test import Client

from projectoffice.accounts.models import User
from projectoffice.classifiers.loaders import load_all

pytestmark = pytest.mark.django_db

DEMO_USERS = ["admin", "staff", "grantor", "expert", "member", "community"]
HEADER = re.compile(r'<header class="topbar[^"]*">(.*?)</header>', re.S)
HREF = re.compile(r'<a [^>]*href="([^"]+)"')


@pytest.fixture
def demo() -> None:
    load_all()
    call_command("load_demo", allow_non_embedded=True, stdout=None)


def _menu(client: Client) -> list[str]:
    home = client.get("/")
    assert home.status_code == 200
    return HREF.findall(HEADER.search(home.content.decode()).group(1))


def test_every_menu_link_each_role_sees_opens_for_that_role(demo) -> None:  # type: ignore[no-untyped-def]
    User.objects.create_user("newcomer", role="member", password="x-pass-12345")  # a member not yet in any organisation
    broken = []
    for username in ["anonymous", *DEMO_USERS, "newcomer"]:  # one demo load for all roles: it takes seconds
        client = Client()
        if username != "anonymous":
            client.force_login(User.objects.get(username=username))
        links = _menu(client)
        assert len(links) >= 3, username
        for link in links:
            status = client.get(link).status_code
            if status != 200:
                broken.append(f"{username}: {link} → {status}")
    assert not broken, broken


def test_community_and_organisation_less_users_are_not_offered_projects_and_applications(demo) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(User.objects.get(username="community"))
    links = _menu(client)
    assert "/projects/" not in links and "/applications/" not in links
    client.force_login(User.objects.get(username="member"))
    links = _menu(client)
    assert "/projects/" in links and "/applications/" in links


def test_a_visitor_gets_a_landing_page_with_measures_events_indicators_and_login(demo) -> None:  # type: ignore[no-untyped-def]
    response = Client().get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Скоро закрывается приём заявок" in body and "Ближайшие мероприятия" in body
    assert "Показатели офиса" in body and 'href="/accounts/login/"' in body
    assert re.search(r'href="/opportunities/\d+/"', body), "no measure closing soon is listed"
    assert re.search(r'href="/events/[\w-]+/"', body), "no coming event is listed"
    assert "stat-value" in body, "no public indicator is shown"
