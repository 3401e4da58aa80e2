"""The public event pages: registering with double opt-in, refusals that store nothing, the rate limit, the check-in page."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from projectoffice.events.models import CheckIn, Registration
from tests.conftest import client_for
from tests.events.factories import EventFactory, RegistrationFactory
from tests.events.helpers import mailed_link, register
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_register_confirm_by_email_and_get_a_ticket_with_ics(
    client: Client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    event = EventFactory(capacity=10)
    with django_capture_on_commit_callbacks(execute=True):
        response = register(client, event, "Ivan@Example.invalid")
    assert "Проверьте почту" in response.content.decode()
    registration = Registration.objects.get()
    assert (registration.status, registration.email) == ("pending", "ivan@example.invalid")
    assert registration.consent_text == event.consent_text and registration.consent_at
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.get(mailed_link("confirm"))
    assert "Вы зарегистрированы" in confirmed.content.decode()
    ticket_mail = mail.outbox[-1]
    name, content, _mime = ticket_mail.attachments[0]
    assert name == "event.ics" and "BEGIN:VEVENT" in (content if isinstance(content, str) else content.decode())
    ticket = client.get(reverse("events:ticket", args=[Registration.objects.get().ticket_code]))
    assert "<svg" in ticket.content.decode()


def test_duplicate_email_is_refused_and_nothing_extra_is_stored(client: Client) -> None:
    event = EventFactory()
    register(client, event, "same@example.invalid")
    response = register(client, event, "SAME@example.invalid")
    assert "уже есть регистрация" in response.content.decode()
    assert Registration.objects.count() == 1


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"email": "not-an-email"}, "Введите правильный адрес"),
        ({"consent": ""}, "Без согласия"),
        ({"website": "http://spam"}, "заполнена автоматически"),
        ({"started": "forged"}, "Форма устарела"),
        ({"full_name": "я" * 500}, "не более 200"),
    ],
)
def test_bad_or_automated_submissions_store_nothing(client: Client, extra, message: str) -> None:  # type: ignore[no-untyped-def]
    event = EventFactory()
    data_email = extra.pop("email", "ok@example.invalid")
    response = register(client, event, data_email, **extra)
    assert message in response.content.decode()
    assert not Registration.objects.exists()


def test_a_form_filled_too_fast_is_refused(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.REGISTRATION_MIN_SECONDS = 60
    response = register(client, EventFactory(), "fast@example.invalid")
    assert "слишком быстро" in response.content.decode()
    assert not Registration.objects.exists()


def test_the_rate_limit_answers_429(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.REGISTRATION_RATE_LIMIT = 2
    event = EventFactory(capacity=None)
    for n in range(2):
        register(client, event, f"r{n}@example.invalid")
    assert register(client, event, "r3@example.invalid").status_code == 429
    assert Registration.objects.count() == 2


def test_oversized_answers_are_refused(client: Client) -> None:
    event = EventFactory()
    question = event.questions.create(label="О себе", kind="text")
    response = register(client, event, "long@example.invalid", **{f"q{question.pk}": "я" * 5000})
    assert "не более 2000" in response.content.decode()
    assert not Registration.objects.exists()


def test_forged_replayed_and_expired_links(client: Client, settings, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    event = EventFactory(capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        register(client, event, "a@example.invalid")
    link = mailed_link("confirm")
    assert client.get(link[:-5] + "XXXX/").status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        client.get(link)
    assert "Вы зарегистрированы" in client.get(link).content.decode()  # a replay shows the state, takes no second seat
    assert Registration.objects.filter(status="confirmed").count() == 1
    settings.CONFIRMATION_MAX_AGE_HOURS = 0
    with django_capture_on_commit_callbacks(execute=True):
        register(client, event, "b@example.invalid")
    import time

    time.sleep(1.1)
    expired = client.get(mailed_link("confirm"))
    assert expired.status_code == 400 and "истёк" in expired.content.decode()
    assert Registration.objects.get(email="b@example.invalid").status == "pending"


@pytest.mark.parametrize(("role", "sees"), [("grantor", True), ("staff", True), ("member", False), (None, False)])
def test_the_event_page_links_to_its_results_for_those_who_may_open_them(client: Client, role, sees: bool) -> None:  # type: ignore[no-untyped-def]
    event = EventFactory()
    viewer = client_for(UserFactory(role=role)) if role else client
    results = reverse("events:results", args=[event.slug])
    assert (results in viewer.get(reverse("events:detail", args=[event.slug])).content.decode()) is sees
    assert (viewer.get(results).status_code == 200) is sees


def test_check_in_page_is_staff_only(client: Client) -> None:
    registration = RegistrationFactory()
    url = reverse("events:checkin", args=[registration.event.slug])
    assert client_for(UserFactory(role="member")).post(url, {"code": registration.ticket_code}).status_code == 403
    assert (
        client_for(UserFactory(role="grantor"))
        .get(reverse("events:attendees", args=[registration.event.slug]))
        .status_code
        == 403
    )
    assert not CheckIn.objects.exists()
    response = client_for(UserFactory(role="staff")).post(
        url, {"code": registration.ticket_code}, HTTP_HX_REQUEST="true"
    )
    assert "отмечен" in response.content.decode()
    assert CheckIn.objects.get().registration == registration


def test_behind_a_trusted_proxy_the_rate_limit_keys_on_the_forwarded_client_not_on_what_it_claims(
    client: Client, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.REGISTRATION_RATE_LIMIT = 1
    settings.TRUSTED_PROXY_COUNT = 1
    event = EventFactory(capacity=None)
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    assert register(client, event, "a@example.invalid").status_code == 200
    first = register(client, event, "b@example.invalid", {**proxy, "HTTP_X_FORWARDED_FOR": "203.0.113.7"})
    other = register(client, event, "c@example.invalid", {**proxy, "HTTP_X_FORWARDED_FOR": "198.51.100.9"})
    spoofed = register(client, event, "d@example.invalid", {**proxy, "HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.7"})
    assert (first.status_code, other.status_code, spoofed.status_code) == (200, 200, 429)
    assert Registration.objects.count() == 3


def test_the_page_refuses_a_choice_outside_the_list(client: Client) -> None:
    event = EventFactory()
    question = event.questions.create(label="Формат", kind="choice", choices=["Очно", "Онлайн"], required=True)
    response = register(client, event, "b@example.invalid", **{f"q{question.pk}": "Заочно"})
    assert "Варианта «Заочно» нет среди предложенных" in response.content.decode()
    assert not Registration.objects.exists()
