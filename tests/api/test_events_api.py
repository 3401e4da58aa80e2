import json

import pytest
from django.core import mail
from django.test import Client

from projectoffice.events.models import Registration
from tests.api.helpers import assert_error_shape, bearer
from tests.events.factories import EventFactory, RegistrationFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_public_calendar_and_registration(client: Client, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    event = EventFactory(capacity=3)
    EventFactory(status="draft")
    listed = client.get("/api/v1/events").json()
    assert [e["slug"] for e in listed["results"]] == [event.slug] and listed["results"][0]["seats_left"] == 3
    body = {"full_name": "Ирина", "email": "irina@example.invalid", "consent": True}
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(
            f"/api/v1/events/{event.slug}/register", json.dumps(body), content_type="application/json"
        )
    assert created.status_code == 201 and "Подтвердите регистрацию" in mail.outbox[0].subject
    again = client.post(f"/api/v1/events/{event.slug}/register", json.dumps(body), content_type="application/json")
    assert "email" in assert_error_shape(again, "invalid")["fields"]
    no_consent = client.post(
        f"/api/v1/events/{event.slug}/register",
        json.dumps({**body, "email": "x@example.invalid", "consent": False}),
        content_type="application/json",
    )
    assert "consent" in assert_error_shape(no_consent, "invalid")["fields"]
    assert Registration.objects.count() == 1


def test_checkin_api_is_for_staff_and_reports_repeats(client: Client) -> None:
    registration = RegistrationFactory()
    url = f"/api/v1/events/{registration.event.slug}/checkin"
    body = json.dumps({"code": registration.ticket_code})
    assert (
        client.post(url, body, content_type="application/json", **bearer(UserFactory(role="member"))).status_code == 403
    )
    staff = bearer(UserFactory(role="staff"))
    assert client.post(url, body, content_type="application/json", **staff).json()["ok"] is True
    repeat = client.post(url, body, content_type="application/json", **staff)
    assert repeat.status_code == 409 and "уже отмечен" in repeat.json()["message"]


def _questions(event):  # type: ignore[no-untyped-def]
    required = event.questions.create(label="Должность", kind="text", required=True)
    choice = event.questions.create(label="Формат участия", kind="choice", choices=["Очно", "Онлайн"], required=True)
    consent = event.questions.create(label="Согласен на фото", kind="consent")
    return f"q{required.pk}", f"q{choice.pk}", f"q{consent.pk}"


def test_the_api_shows_the_questions_with_the_keys_registration_takes(client: Client) -> None:
    event = EventFactory()
    position, fmt, _ = _questions(event)
    questions = client.get(f"/api/v1/events/{event.slug}").json()["questions"]
    assert [(q["key"], q["kind"], q["required"]) for q in questions] == [
        (position, "text", True),
        (fmt, "choice", True),
        (questions[2]["key"], "consent", False),
    ]
    assert questions[1]["choices"] == ["Очно", "Онлайн"]


@pytest.mark.parametrize(
    ("make", "field", "message"),
    [
        (lambda position, fmt: {fmt: "Очно"}, "position", "Обязательное поле."),
        (lambda position, fmt: {position: "Инженер", fmt: "Заочно"}, "fmt", "Варианта «Заочно» нет среди предложенных"),
        (lambda position, fmt: {position: "Инженер", fmt: "Очно", "q999999": "?"}, "q999999", "нет такого вопроса"),
        (lambda position, fmt: {position: ["Инженер"], fmt: "Очно"}, "position", "должен быть строкой"),
        (lambda position, fmt: {position: "я" * 2001, fmt: "Очно"}, "position", "не более 2000"),
    ],
)
def test_the_api_applies_the_forms_rules_to_answers_and_stores_nothing_on_error(
    client: Client, make, field: str, message: str
) -> None:  # type: ignore[no-untyped-def]
    event = EventFactory()
    position, fmt, _ = _questions(event)
    body = {"full_name": "Ирина", "email": "irina@example.invalid", "consent": True, "answers": make(position, fmt)}
    response = client.post(f"/api/v1/events/{event.slug}/register", json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    errors = assert_error_shape(response, "invalid")["fields"]["answers"]
    assert message in " ".join(errors[{"position": position, "fmt": fmt}.get(field, field)])
    assert not Registration.objects.exists()


def test_good_answers_through_the_api_are_stored_as_the_page_stores_them(client: Client) -> None:
    event = EventFactory()
    position, fmt, consent = _questions(event)
    body = {
        "full_name": "Ирина",
        "email": "irina@example.invalid",
        "consent": True,
        "answers": {position: "Инженер", fmt: "Онлайн", consent: True},
    }
    response = client.post(f"/api/v1/events/{event.slug}/register", json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    assert Registration.objects.get().answers == {
        "Должность": "Инженер",
        "Формат участия": "Онлайн",
        "Согласен на фото": True,
    }
