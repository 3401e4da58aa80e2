"""The event services: seats, the waiting list and sessions, approval, check-in, answers, feedback requests and anonymisation."""

import datetime as dt
import re
from io import BytesIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from projectoffice.events import services
from projectoffice.events.models import CheckIn, Feedback, Registration
from projectoffice.events.selectors import feedback_scores
from tests.conftest import client_for
from tests.events.factories import EventFactory, RegistrationFactory, SessionFactory
from tests.events.helpers import mailed_link, register
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_capacity_fills_then_waitlist_then_promotion_on_cancel(
    client: Client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    event = EventFactory(capacity=2)
    links = []
    for n in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            register(client, event, f"p{n}@example.invalid")
        links.append(mailed_link("confirm"))
    for link in links:
        with django_capture_on_commit_callbacks(execute=True):
            client.get(link)
    statuses = list(Registration.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == ["confirmed", "confirmed", "waitlisted"]
    assert "лист ожидания" in mail.outbox[-1].subject.lower()
    cancel_link = re.search(
        r"(/events/cancel/[^\s]+/)", [m for m in mail.outbox if m.to == ["p0@example.invalid"]][-1].body
    ).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(cancel_link)
    statuses = list(Registration.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == ["cancelled", "confirmed", "confirmed"]
    assert "Освободилось место" in mail.outbox[-1].subject and mail.outbox[-1].to == ["p2@example.invalid"]


def test_manual_approval(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    event = EventFactory(requires_approval=True, capacity=5)
    registration = services.registration_create(event=event, email="x@example.invalid", full_name="Икс")
    registration = services.registration_confirm(services.sign(registration, services.CONFIRM_SALT))
    assert registration.status == "awaiting_approval"
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_decide(actor=UserFactory(role="staff"), registration=registration, approve=True)
    assert Registration.objects.get().status == "confirmed"
    with pytest.raises(services.RegistrationError):
        services.registration_decide(actor=UserFactory(role="staff"), registration=registration, approve=False)


def test_check_in_twice_and_another_events_ticket() -> None:
    staff = UserFactory(role="staff")
    registration = RegistrationFactory()
    other = RegistrationFactory()
    assert services.check_in(actor=staff, event=registration.event, code=registration.ticket_code.lower()).ok
    second = services.check_in(actor=staff, event=registration.event, code=registration.ticket_code)
    assert not second.ok and "уже отмечен" in second.message
    foreign = services.check_in(actor=staff, event=registration.event, code=other.ticket_code)
    assert not foreign.ok and "другого мероприятия" in foreign.message
    assert CheckIn.objects.count() == 1


def test_feedback_requests_once_and_scores(client: Client) -> None:
    event = EventFactory(starts_at=timezone.now() - dt.timedelta(days=2))
    registrations = [RegistrationFactory(event=event) for _ in range(3)]
    staff = UserFactory(role="staff")
    for registration in registrations:
        services.check_in(actor=staff, event=event, code=registration.ticket_code)
    assert services.send_feedback_requests().done == 3
    assert services.send_feedback_requests().done == 0
    link = re.search(r"(/events/feedback/[^\s]+/)", mail.outbox[0].body).group(1)
    client.post(link, {"rating": 5, "nps": 10, "comment": "Отлично"})
    assert "уже получен" in client.post(link, {"rating": 1, "nps": 0}).content.decode()
    Feedback.objects.create(registration=registrations[1], rating=3, nps=5)
    scores = feedback_scores(event)
    assert (scores.responses, scores.rating, scores.nps) == (2, 4.0, 0.0)


def test_anonymisation_and_staff_only_export(client: Client) -> None:
    old = EventFactory(starts_at=timezone.now() - dt.timedelta(days=400))
    registration = RegistrationFactory(event=old, phone="+7 900 000-00-00", full_name="Мария Старая")
    call_command("anonymise_registrations", "--older-than-days", "365")
    registration.refresh_from_db()
    assert registration.full_name == "(обезличено)" and registration.phone == "" and registration.anonymised_at
    url = reverse("events:attendees_xlsx", args=[old.slug])
    refused = client_for(UserFactory(role="member")).get(url)
    assert refused.status_code == 403 and b"PK" not in refused.content[:2]
    export = client_for(UserFactory(role="staff")).get(url)
    cells = {cell for row in load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True) for cell in row}
    assert "(обезличено)" in cells and "Мария Старая" not in cells and "+7 900 000-00-00" not in cells


def test_sessions_with_their_own_capacity_are_booked_while_seats_last(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    event = EventFactory(capacity=None)
    workshop = SessionFactory(event=event, title="Мастер-класс", capacity=1)
    staff = UserFactory(role="staff")
    seated = []
    for n in range(2):
        registration = services.registration_create(event=event, email=f"w{n}@example.invalid", full_name=f"Участник {n}",
                                                    sessions=[workshop.pk])  # fmt: skip
        with django_capture_on_commit_callbacks(execute=True):
            seated.append(services.registration_confirm(services.sign(registration, services.CONFIRM_SALT)))
    assert workshop.bookings.count() == 1
    assert "Мест на сессии «Мастер-класс» уже нет" in mail.outbox[-1].body
    assert services.check_in(actor=staff, event=event, code=seated[0].ticket_code, session=workshop).ok
    refused = services.check_in(actor=staff, event=event, code=seated[1].ticket_code, session=workshop)
    assert not refused.ok and "нет места на сессии" in refused.message
    cancel = services.sign(seated[0], services.CANCEL_SALT)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(cancel)
    assert list(workshop.bookings.values_list("registration", flat=True)) == [seated[1].pk]
    assert mail.outbox[-1].to == ["w1@example.invalid"]
    assert "освободилось место на сессии «Мастер-класс»" in mail.outbox[-1].body
    assert services.check_in(actor=staff, event=event, code=seated[1].ticket_code, session=workshop).ok


def test_a_freed_session_seat_goes_to_the_earliest_who_asked_and_never_to_one_who_did_not(
    django_capture_on_commit_callbacks,
) -> None:  # type: ignore[no-untyped-def]
    event = EventFactory(capacity=None)
    workshop = SessionFactory(event=event, title="Мастер-класс", capacity=1)
    lecture = SessionFactory(event=event, title="Лекция", capacity=5)
    people = []
    for n, wanted in enumerate([[workshop.pk], [lecture.pk], [workshop.pk], [workshop.pk]]):
        registration = services.registration_create(event=event, email=f"q{n}@example.invalid", full_name=f"Участник {n}",
                                                    sessions=wanted)  # fmt: skip
        with django_capture_on_commit_callbacks(execute=True):
            people.append(services.registration_confirm(services.sign(registration, services.CONFIRM_SALT)))
    services.registration_cancel(services.sign(people[0], services.CANCEL_SALT))
    assert list(workshop.bookings.values_list("registration", flat=True)) == [people[2].pk]
    assert list(lecture.bookings.values_list("registration", flat=True)) == [people[1].pk]
    services.registration_cancel(
        services.sign(people[1], services.CANCEL_SALT)
    )  # a lecture seat frees: nobody missed it
    assert lecture.bookings.count() == 0 and workshop.bookings.count() == 1


def test_the_service_checks_answers_by_the_events_questions_whoever_calls_it() -> None:
    event = EventFactory()
    question = event.questions.create(label="Формат", kind="choice", choices=["Очно", "Онлайн"], required=True)
    for answers, key in [({}, f"q{question.pk}"), ({f"q{question.pk}": "Заочно"}, f"q{question.pk}"),
                         ({f"q{question.pk}": "Очно", "лишний": "1"}, "лишний")]:  # fmt: skip
        with pytest.raises(ValidationError) as refused:
            services.registration_create(event=event, email="a@example.invalid", full_name="Анна", answers=answers)
        assert key in refused.value.message_dict
    assert not Registration.objects.exists()
    services.registration_create(
        event=event, email="a@example.invalid", full_name="Анна", answers={f"q{question.pk}": "Онлайн"}
    )
    assert Registration.objects.get().answers == {"Формат": "Онлайн"}
