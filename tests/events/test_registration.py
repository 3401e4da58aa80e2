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
from projectoffice.events.selectors import attendance, events_held, feedback_scores, trained_persons
from tests.conftest import client_for
from tests.events.factories import EventFactory, RegistrationFactory, SessionFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_forms(settings) -> None:  # type: ignore[no-untyped-def]
    settings.REGISTRATION_MIN_SECONDS = 0


def _register(client: Client, event, email: str, meta: dict[str, str] | None = None, **extra):  # type: ignore[no-untyped-def]
    page = client.get(reverse("events:detail", args=[event.slug]))
    started = re.search(r'name="started" value="([^"]+)"', page.content.decode()).group(1)
    data = {"full_name": "Иван Петров", "email": email, "consent": "on", "started": started, **extra}
    return client.post(reverse("events:detail", args=[event.slug]), data, **(meta or {}))


def _link(pattern: str, message_index: int = -1) -> str:
    body = mail.outbox[message_index].body
    return re.search(rf"https?://[^/\s]+(/events/{pattern}/[^\s]+/)", body).group(1)


def test_register_confirm_by_email_and_get_a_ticket_with_ics(
    client: Client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    event = EventFactory(capacity=10)
    with django_capture_on_commit_callbacks(execute=True):
        response = _register(client, event, "Ivan@Example.invalid")
    assert "Проверьте почту" in response.content.decode()
    registration = Registration.objects.get()
    assert (registration.status, registration.email) == ("pending", "ivan@example.invalid")
    assert registration.consent_text == event.consent_text and registration.consent_at
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.get(_link("confirm"))
    assert "Вы зарегистрированы" in confirmed.content.decode()
    ticket_mail = mail.outbox[-1]
    name, content, _mime = ticket_mail.attachments[0]
    assert name == "event.ics" and "BEGIN:VEVENT" in (content if isinstance(content, str) else content.decode())
    ticket = client.get(reverse("events:ticket", args=[Registration.objects.get().ticket_code]))
    assert "<svg" in ticket.content.decode()


def test_capacity_fills_then_waitlist_then_promotion_on_cancel(
    client: Client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    event = EventFactory(capacity=2)
    links = []
    for n in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            _register(client, event, f"p{n}@example.invalid")
        links.append(_link("confirm"))
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


def test_duplicate_email_is_refused_and_nothing_extra_is_stored(client: Client) -> None:
    event = EventFactory()
    _register(client, event, "same@example.invalid")
    response = _register(client, event, "SAME@example.invalid")
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
    response = _register(client, event, data_email, **extra)
    assert message in response.content.decode()
    assert not Registration.objects.exists()


def test_a_form_filled_too_fast_is_refused(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.REGISTRATION_MIN_SECONDS = 60
    response = _register(client, EventFactory(), "fast@example.invalid")
    assert "слишком быстро" in response.content.decode()
    assert not Registration.objects.exists()


def test_the_rate_limit_answers_429(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.REGISTRATION_RATE_LIMIT = 2
    event = EventFactory(capacity=None)
    for n in range(2):
        _register(client, event, f"r{n}@example.invalid")
    assert _register(client, event, "r3@example.invalid").status_code == 429
    assert Registration.objects.count() == 2


def test_oversized_answers_are_refused(client: Client) -> None:
    event = EventFactory()
    question = event.questions.create(label="О себе", kind="text")
    response = _register(client, event, "long@example.invalid", **{f"q{question.pk}": "я" * 5000})
    assert "не более 2000" in response.content.decode()
    assert not Registration.objects.exists()


def test_forged_replayed_and_expired_links(client: Client, settings, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    event = EventFactory(capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        _register(client, event, "a@example.invalid")
    link = _link("confirm")
    assert client.get(link[:-5] + "XXXX/").status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        client.get(link)
    assert "Вы зарегистрированы" in client.get(link).content.decode()  # a replay shows the state, takes no second seat
    assert Registration.objects.filter(status="confirmed").count() == 1
    settings.CONFIRMATION_MAX_AGE_HOURS = 0
    with django_capture_on_commit_callbacks(execute=True):
        _register(client, event, "b@example.invalid")
    import time

    time.sleep(1.1)
    expired = client.get(_link("confirm"))
    assert expired.status_code == 400 and "истёк" in expired.content.decode()
    assert Registration.objects.get(email="b@example.invalid").status == "pending"


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


def test_course_certificates_and_verification(client: Client) -> None:
    course = EventFactory(
        kind="course", min_sessions_for_certificate=2, starts_at=timezone.now() - dt.timedelta(days=20)
    )
    sessions = [SessionFactory(event=course) for _ in range(3)]
    diligent, absent = RegistrationFactory(event=course), RegistrationFactory(event=course)
    staff = UserFactory(role="staff")
    for session in sessions[:2]:
        services.check_in(actor=staff, event=course, code=diligent.ticket_code, session=session)
    services.check_in(actor=staff, event=course, code=absent.ticket_code, session=sessions[0])
    certificates = services.issue_certificates(event=course)
    assert [c.registration for c in certificates] == [diligent]
    assert services.issue_certificates(event=course)[0].pk == certificates[0].pk
    page = client.get(reverse("events:certificate", args=[certificates[0].code]))
    assert "Сертификат действителен" in page.content.decode()
    assert client.get(reverse("events:certificate", args=["NOPE"])).status_code == 404
    pdf = client.get(reverse("events:certificate_pdf", args=[certificates[0].code])).content
    from io import BytesIO

    from pypdf import PdfReader

    text = PdfReader(BytesIO(pdf)).pages[0].extract_text()
    assert "СЕРТИФИКАТ" in text and str(diligent.full_name) in text and str(certificates[0].code) in text


def test_feedback_requests_once_and_scores(client: Client) -> None:
    event = EventFactory(starts_at=timezone.now() - dt.timedelta(days=2))
    registrations = [RegistrationFactory(event=event) for _ in range(3)]
    staff = UserFactory(role="staff")
    for registration in registrations:
        services.check_in(actor=staff, event=event, code=registration.ticket_code)
    assert services.send_feedback_requests() == 3
    assert services.send_feedback_requests() == 0
    link = re.search(r"(/events/feedback/[^\s]+/)", mail.outbox[0].body).group(1)
    client.post(link, {"rating": 5, "nps": 10, "comment": "Отлично"})
    assert "уже получен" in client.post(link, {"rating": 1, "nps": 0}).content.decode()
    Feedback.objects.create(registration=registrations[1], rating=3, nps=5)
    scores = feedback_scores(event)
    assert (scores.responses, scores.rating, scores.nps) == (2, 4.0, 0.0)


def test_kpi_figures_count_unique_trained_people() -> None:
    start, end = timezone.now() - dt.timedelta(days=60), timezone.now()
    course = EventFactory(
        kind="course", min_sessions_for_certificate=1, starts_at=timezone.now() - dt.timedelta(days=30)
    )
    session = SessionFactory(event=course)
    staff = UserFactory(role="staff")
    for email in ("a@example.invalid", "A@example.invalid"):
        other_course = (
            course
            if email.islower()
            else EventFactory(
                kind="course", min_sessions_for_certificate=1, starts_at=timezone.now() - dt.timedelta(days=20)
            )
        )
        other_session = session if email.islower() else SessionFactory(event=other_course)
        registration = RegistrationFactory(event=other_course, email=email)
        services.check_in(actor=staff, event=other_course, code=registration.ticket_code, session=other_session)
    assert trained_persons(start=start, end=end) == ["a@example.invalid"]
    assert events_held(start=start, end=end) == {"course": 2}
    assert attendance(start=start, end=end) == 2


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


def test_calendar_feeds(client: Client) -> None:
    event = EventFactory(title="Митап по данным")
    EventFactory(status="draft", title="Черновик")
    feed = client.get(reverse("events:feed")).content.decode()
    assert "Митап по данным" in feed and "Черновик" not in feed
    assert "BEGIN:VCALENDAR" in client.get(reverse("events:ics", args=[event.slug])).content.decode()


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


def test_behind_a_trusted_proxy_the_rate_limit_keys_on_the_forwarded_client_not_on_what_it_claims(
    client: Client, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.REGISTRATION_RATE_LIMIT = 1
    settings.TRUSTED_PROXY_COUNT = 1
    event = EventFactory(capacity=None)
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    assert _register(client, event, "a@example.invalid").status_code == 200
    first = _register(client, event, "b@example.invalid", {**proxy, "HTTP_X_FORWARDED_FOR": "203.0.113.7"})
    other = _register(client, event, "c@example.invalid", {**proxy, "HTTP_X_FORWARDED_FOR": "198.51.100.9"})
    spoofed = _register(client, event, "d@example.invalid", {**proxy, "HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.7"})
    assert (first.status_code, other.status_code, spoofed.status_code) == (200, 200, 429)
    assert Registration.objects.count() == 3


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


def test_the_page_refuses_a_choice_outside_the_list(client: Client) -> None:
    event = EventFactory()
    question = event.questions.create(label="Формат", kind="choice", choices=["Очно", "Онлайн"], required=True)
    response = _register(client, event, "b@example.invalid", **{f"q{question.pk}": "Заочно"})
    assert "Варианта «Заочно» нет среди предложенных" in response.content.decode()
    assert not Registration.objects.exists()
