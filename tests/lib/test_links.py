"""Links in e-mails open on the address the site is served at, not on a default that may be dead."""

import re
import subprocess
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from projectoffice.applications import services
from projectoffice.applications.templates_loader import load_builtin_templates
from projectoffice.lib.links import absolute_url
from projectoffice.matching.digests import send_digests
from tests.conftest import client_for
from tests.events.factories import EventFactory
from tests.factories import (
    OpportunityFactory,
    OrganisationFactory,
    ProjectFactory,
    SubscriptionFactory,
    TenderFactory,
    UserFactory,
    member_of,
)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
URL = re.compile(r"https?://[^\s]+")


@pytest.fixture(autouse=True)
def _another_address(settings) -> None:  # type: ignore[no-untyped-def]
    settings.ALLOWED_HOSTS = ["demo.example"]
    settings.SITE_URL = "http://127.0.0.1:8000"
    settings.REGISTRATION_MIN_SECONDS = 0


def _links(message: mail.EmailMessage) -> list[str]:
    return URL.findall(message.body)


@pytest.mark.django_db(transaction=True)  # e-mails leave on commit, inside the request, as they do when served
def test_a_registration_on_another_host_and_port_gets_links_to_that_host() -> None:
    event = EventFactory(capacity=5)
    client = Client(HTTP_HOST="demo.example:8765")
    page = client.get(reverse("events:detail", args=[event.slug]))
    started = re.search(r'name="started" value="([^"]+)"', page.content.decode()).group(1)
    client.post(
        reverse("events:detail", args=[event.slug]),
        {"full_name": "Иван Петров", "email": "ivan@example.invalid", "consent": "on", "started": started},
    )
    confirm = _links(mail.outbox[-1])
    assert confirm and all(link.startswith("http://demo.example:8765/events/") for link in confirm)
    client.get(confirm[0].removeprefix("http://demo.example:8765"))
    ticket = mail.outbox[-1]
    assert "билет" in ticket.subject.lower()
    links = _links(ticket)
    assert len(links) == 2 and all(link.startswith("http://demo.example:8765/events/") for link in links)
    calendar = ticket.attachments[0][1]
    calendar = calendar if isinstance(calendar, str) else calendar.decode()
    assert "URL:http://demo.example:8765/events/" in calendar.replace("\r\n ", "")


def test_links_sent_outside_a_request_use_site_url(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SITE_URL = "http://demo.example:8765/"
    assert absolute_url("/events/") == "http://demo.example:8765/events/"
    organisation = OrganisationFactory(description="разработка мобильных приложений")
    subscription = SubscriptionFactory(
        user=member_of(organisation), organisation=organisation, email="dev@example.invalid"
    )
    TenderFactory(title="Разработка мобильного приложения")
    assert send_digests().sent == 1
    assert f"http://demo.example:8765/matching/unsubscribe/{subscription.unsubscribe_token}/" in mail.outbox[0].body


def test_make_demo_sets_site_url_from_host_and_port() -> None:
    plan = subprocess.run(
        ["make", "-n", "demo", "HOST=0.0.0.0", "PORT=8765"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "SITE_URL=http://0.0.0.0:8765 " in plan and "runserver 0.0.0.0:8765" in plan


@pytest.mark.django_db(transaction=True)
def test_an_expert_assigned_on_another_host_gets_the_review_link_of_that_host() -> None:
    load_builtin_templates()
    opportunity = OpportunityFactory()
    staff = UserFactory(role="staff")
    application = services.application_create(actor=staff, project=ProjectFactory(), opportunity=opportunity)
    expert = UserFactory(role="expert", email="expert@example.invalid")
    client = client_for(staff)
    client.defaults["HTTP_HOST"] = "demo.example:8765"
    client.post(f"/applications/{application.pk}/review/", {"action": "assign", "expert": expert.pk})
    [message] = [m for m in mail.outbox if m.to == ["expert@example.invalid"]]
    assert _links(message) == [f"http://demo.example:8765/applications/{application.pk}/review/"]
