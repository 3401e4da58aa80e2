"""Registration with double opt-in, seats and the waiting list, approval, check-in, certificates, feedback.

Seats are taken when a registration is confirmed: the event's row is locked (SELECT … FOR UPDATE on
PostgreSQL, an immediate write transaction on SQLite) while the confirmed registrations are counted, so
capacity is never exceeded however many people confirm at once.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from projectoffice.accounts.models import User
from projectoffice.accounts.rules import is_staff
from projectoffice.audit.services import audit_record
from projectoffice.events import notifications
from projectoffice.events.answers import clean_answers
from projectoffice.events.models import (
    ACTIVE_STATUSES,
    Certificate,
    CheckIn,
    Event,
    EventKind,
    EventStatus,
    Feedback,
    Registration,
    RegistrationStatus,
    Session,
    SessionBooking,
)
from projectoffice.lib import formats
from projectoffice.lib.cleaning import strip_invisible
from projectoffice.lib.jobs import Failure, JobRun

logger = logging.getLogger(__name__)

CONFIRM_SALT, CANCEL_SALT, FEEDBACK_SALT = "events.confirm", "events.cancel", "events.feedback"


class RegistrationError(Exception):
    """A registration that cannot be taken, with a message for the person."""


def sign(registration: Registration, salt: str) -> str:
    return signing.TimestampSigner(salt=salt).sign(f"{registration.pk}:{registration.ticket_code}")


def unsign(token: str, salt: str, *, max_age: dt.timedelta | None = None) -> Registration:
    """The registration a link names; a forged, altered or expired link raises RegistrationError."""
    try:
        value = signing.TimestampSigner(salt=salt).unsign(token, max_age=max_age)
    except signing.SignatureExpired:
        raise RegistrationError("Срок действия ссылки истёк: зарегистрируйтесь ещё раз.") from None
    except signing.BadSignature:
        raise RegistrationError("Ссылка недействительна.") from None
    pk, _, code = value.partition(":")
    registration = Registration.objects.select_related("event").filter(pk=pk, ticket_code=code).first()
    if registration is None:
        raise RegistrationError("Ссылка недействительна.")
    return registration


def registration_open(event: Event, now: dt.datetime | None = None) -> bool:
    return event.status == EventStatus.PUBLISHED and (now or timezone.now()) < event.ends_at


def registration_create(
    *,
    event: Event,
    email: str,
    full_name: str,
    organisation_name: str = "",
    phone: str = "",
    answers: Mapping[str, Any] | None = None,
    sessions: list[int] | None = None,
) -> Registration:
    """A pending registration and the confirmation e-mail; a second one for the same address is refused.

    `answers` are keyed as the page's fields (`q<id>`) and checked by the event's questions whoever calls
    (the page, the API): ValidationError({key: messages}) for a missing required answer, a choice outside
    the list or a key the event has no question for; nothing is stored then.
    """
    if not registration_open(event):
        raise RegistrationError("Регистрация на это мероприятие закрыта.")
    answered = clean_answers(event, answers or {})
    email = email.strip().lower()
    if Registration.objects.filter(event=event, email=email, status__in=ACTIVE_STATUSES).exists():
        raise RegistrationError(
            "С этим адресом уже есть регистрация на мероприятие. Проверьте почту или отмените её по ссылке из письма."
        )
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                event=event,
                email=email,
                full_name=strip_invisible(full_name).strip(),
                organisation_name=strip_invisible(organisation_name).strip(),
                phone=strip_invisible(phone).strip(),
                answers=answered,
                requested_sessions=sorted(
                    event.sessions.filter(pk__in=sessions or [], capacity__isnull=False).values_list("pk", flat=True)
                ),
                consent_text=event.consent_text,
                consent_at=timezone.now(),
            )
    except IntegrityError:  # the same address submitted twice at once
        raise RegistrationError("С этим адресом уже есть регистрация на мероприятие.") from None
    transaction.on_commit(lambda: notifications.confirmation(registration, sign(registration, CONFIRM_SALT)))
    return registration


def book_sessions(registration: Registration) -> list[Session]:
    """Seats in the requested sessions that have their own capacity, while they last (each session row locked)."""
    full = []
    for session in Session.objects.select_for_update().filter(pk__in=registration.requested_sessions).order_by("pk"):
        if session.bookings.filter(registration=registration).exists():
            continue
        if session.capacity is not None and session.bookings.count() >= session.capacity:
            full.append(session)
            continue
        SessionBooking.objects.create(registration=registration, session=session)
    return full


def _seat(registration: Registration, event: Event, now: dt.datetime) -> None:
    """Give the registration a seat or a place on the waiting list; the caller holds the event's lock."""
    free = event.seats_left
    if free is None or free > 0:
        registration.status, registration.seated_at = RegistrationStatus.CONFIRMED, now
        full = book_sessions(registration)
        transaction.on_commit(
            lambda: notifications.ticket(registration, sign(registration, CANCEL_SALT), full_sessions=full)
        )
    else:
        registration.status = RegistrationStatus.WAITLISTED
        transaction.on_commit(lambda: notifications.waitlisted(registration, sign(registration, CANCEL_SALT)))


def registration_confirm(token: str) -> Registration:
    """The e-mail link: confirms once; a replayed link shows the current state and changes nothing."""
    max_age = dt.timedelta(hours=settings.CONFIRMATION_MAX_AGE_HOURS)
    registration = unsign(token, CONFIRM_SALT, max_age=max_age)
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=registration.event_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status != RegistrationStatus.PENDING:
            return registration
        now = timezone.now()
        registration.confirmed_at = now
        if event.requires_approval:
            registration.status = RegistrationStatus.AWAITING_APPROVAL
        else:
            _seat(registration, event, now)
        registration.save(update_fields=["status", "confirmed_at", "seated_at"])
    return registration


def promote_waitlist(event: Event) -> list[Registration]:
    """Fill free seats from the waiting list in order of confirmation, with an e-mail to each."""
    promoted = []
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        free = event.seats_left
        waiting = Registration.objects.filter(event=event, status=RegistrationStatus.WAITLISTED).order_by(
            "confirmed_at", "pk"
        )
        for registration in waiting if free is None else waiting[:free]:
            registration.status, registration.seated_at = RegistrationStatus.CONFIRMED, timezone.now()
            registration.save(update_fields=["status", "seated_at"])
            book_sessions(registration)
            transaction.on_commit(lambda r=registration: notifications.promoted(r, sign(r, CANCEL_SALT)))  # type: ignore[misc]
            promoted.append(registration)
    return promoted


def registration_cancel(token: str) -> Registration:
    registration = unsign(token, CANCEL_SALT)
    with transaction.atomic():
        Event.objects.select_for_update().get(pk=registration.event_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status not in ACTIVE_STATUSES:
            return registration
        had_seat = registration.status == RegistrationStatus.CONFIRMED
        registration.status, registration.cancelled_at = RegistrationStatus.CANCELLED, timezone.now()
        registration.save(update_fields=["status", "cancelled_at"])
        freed = list(registration.bookings.values_list("session_id", flat=True))
        registration.bookings.all().delete()  # the session seats are freed with the event seat
        offer_session_seats(freed)
    if had_seat:
        promote_waitlist(registration.event)
    return registration


def offer_session_seats(session_ids: list[int]) -> list[SessionBooking]:
    """Give freed session seats to those seated at the event who asked for the session and missed it, first come
    first served (by when they got their event seat), with an e-mail to each."""
    booked = []
    for session in Session.objects.select_for_update().filter(pk__in=session_ids).order_by("pk"):
        if session.capacity is None:
            continue
        free = session.capacity - session.bookings.count()
        if free <= 0:
            continue
        missed = (
            Registration.objects.filter(event_id=session.event_id, status=RegistrationStatus.CONFIRMED)
            .exclude(bookings__session=session)
            .order_by("seated_at", "pk")
        )
        for registration in missed.iterator():
            if free == 0:
                break
            if session.pk not in registration.requested_sessions:
                continue  # a JSON list: membership is checked here, as SQLite has no JSON "contains"
            booking = SessionBooking.objects.create(registration=registration, session=session)
            transaction.on_commit(lambda r=registration, s=session: notifications.session_seat(r, s))  # type: ignore[misc]
            booked.append(booking)
            free -= 1
    return booked


def registration_decide(*, actor: User, registration: Registration, approve: bool) -> Registration:
    """Staff approve (a seat or the waiting list) or decline a registration that waits for approval."""
    if not is_staff(actor):
        raise PermissionDenied
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=registration.event_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status != RegistrationStatus.AWAITING_APPROVAL:
            raise RegistrationError("Решение по этой регистрации уже принято.")
        if approve:
            _seat(registration, event, timezone.now())
        else:
            registration.status = RegistrationStatus.DECLINED
            transaction.on_commit(lambda: notifications.declined(registration))
        registration.save(update_fields=["status", "seated_at"])
        audit_record(
            actor=actor,
            action="events.registration_decided",
            instance=event,
            changes={registration.full_name: {"before": "ждёт одобрения", "after": registration.get_status_display()}},
        )
    return registration


@dataclass(frozen=True)
class CheckInResult:
    ok: bool
    message: str
    registration: Registration | None = None


def check_in(*, actor: User, event: Event, code: str, session: Session | None = None) -> CheckInResult:
    if not is_staff(actor):
        raise PermissionDenied
    code = code.strip().upper()
    registration = Registration.objects.select_related("event").filter(ticket_code=code).first()
    if registration is None:
        return CheckInResult(False, f"Билет {code} не найден.")
    if registration.event_id != event.pk:
        return CheckInResult(False, f"Это билет другого мероприятия: «{registration.event}».", registration)
    if session is not None and session.event_id != event.pk:
        return CheckInResult(False, "Сессия из другого мероприятия.", registration)
    if registration.status != RegistrationStatus.CONFIRMED:
        return CheckInResult(
            False,
            f"{registration.full_name}: регистрация не подтверждена ({registration.get_status_display()}).",
            registration,
        )
    if (
        session is not None
        and session.capacity is not None
        and not registration.bookings.filter(session=session).exists()
    ):
        seats = formats.plural(session.capacity, "место", "места", "мест")
        message = f"{registration.full_name}: нет места на сессии «{session.title}» ({seats})."
        return CheckInResult(False, message, registration)
    try:
        with transaction.atomic():
            CheckIn.objects.create(registration=registration, session=session, checked_by=actor)
    except IntegrityError:
        earlier = CheckIn.objects.filter(registration=registration, session=session).first()
        when = formats.time(earlier.checked_at) if earlier else ""
        return CheckInResult(
            False, f"{registration.full_name} уже отмечен(а){' в ' + when if when else ''}.", registration
        )
    return CheckInResult(True, f"{registration.full_name} — отмечен(а).", registration)


def sessions_attended(registration: Registration) -> int:
    return registration.checkins.filter(session__isnull=False).count()


def issue_certificates(*, event: Event) -> list[Certificate]:
    """Certificates for those who attended enough sessions of a course (idempotent)."""
    if event.kind != EventKind.COURSE or not event.min_sessions_for_certificate:
        return []
    issued = []
    for registration in Registration.objects.filter(
        event=event, status=RegistrationStatus.CONFIRMED, anonymised_at__isnull=True
    ):
        attended = sessions_attended(registration)
        if attended >= event.min_sessions_for_certificate:
            certificate, _ = Certificate.objects.get_or_create(
                registration=registration, defaults={"full_name": registration.full_name, "sessions_attended": attended}
            )
            issued.append(certificate)
    return issued


def feedback_submit(*, token: str, rating: int, nps: int, comment: str) -> Feedback:
    registration = unsign(token, FEEDBACK_SALT)
    if not 1 <= rating <= 5 or not 0 <= nps <= 10:
        raise ValidationError("Оценка — от 1 до 5, готовность рекомендовать — от 0 до 10.")
    try:
        with transaction.atomic():
            return Feedback.objects.create(
                registration=registration, rating=rating, nps=nps, comment=strip_invisible(comment).strip()[:5000]
            )
    except IntegrityError:
        raise RegistrationError("Спасибо, ваш отзыв уже получен.") from None


@dataclass
class BatchReport:
    """What a run of a periodic job did: how many items, and which failed (they are tried again next run)."""

    done: int = 0
    failures: list[Failure] = field(default_factory=list)


def send_feedback_requests(*, now: dt.datetime | None = None) -> BatchReport:
    """Invite attendees of events that ended in the last week to the survey, once each.

    A registration is marked and its e-mail sent in one transaction: the mark (a conditional update that holds the
    row) keeps a second worker from sending it too, and a failed e-mail rolls the mark back, so it is retried.
    """
    now = now or timezone.now()
    report = BatchReport()
    run = JobRun("event feedback requests", logger)
    candidates = Registration.objects.filter(
        event__ends_at__lte=now,
        event__ends_at__gte=now - dt.timedelta(days=7),
        status=RegistrationStatus.CONFIRMED,
        feedback_requested_at__isnull=True,
        checkins__isnull=False,
        anonymised_at__isnull=True,
    ).distinct()
    for registration in candidates.select_related("event"):
        with run.item(f"registration={registration.pk} event={registration.event_id} <{registration.email}>"):
            with transaction.atomic():
                marked = Registration.objects.filter(pk=registration.pk, feedback_requested_at__isnull=True).update(
                    feedback_requested_at=now
                )
                if marked:  # only the run that marked it sends it
                    notifications.feedback_request(registration, sign(registration, FEEDBACK_SALT))
            report.done += marked
    report.failures = run.failures
    run.finish(f"invitations sent: {report.done}")
    return report


def anonymise_registrations(*, older_than_days: int, now: dt.datetime | None = None) -> BatchReport:
    """Strip personal data from registrations of events that ended more than N days ago (each on its own: one that
    cannot be changed is logged and left for the next run, the others go on)."""
    now = now or timezone.now()
    report = BatchReport()
    run = JobRun("registration anonymisation", logger)
    stale = Registration.objects.filter(
        event__ends_at__lt=now - dt.timedelta(days=older_than_days), anonymised_at__isnull=True
    )
    for pk in list(stale.values_list("pk", flat=True)):
        with run.item(f"registration={pk}"), transaction.atomic():
            report.done += _anonymise(pk, now)
    report.failures = run.failures
    run.finish(f"registrations anonymised: {report.done}")
    return report


def _anonymise(pk: int, now: dt.datetime) -> int:
    return Registration.objects.filter(pk=pk, anonymised_at__isnull=True).update(
        email=f"anon-{pk}@anonymised.invalid", full_name="(обезличено)", phone="", answers={}, anonymised_at=now
    )
