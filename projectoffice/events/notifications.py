"""E-mails of the registration flow (console e-mail in the embedded default)."""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone

from projectoffice.events.calendars import ics
from projectoffice.events.models import Registration, Session
from projectoffice.lib.links import absolute_url


def _url(name: str, *args: object) -> str:
    return absolute_url(reverse(name, args=args))


def _when(registration: Registration) -> str:
    event = registration.event
    start = timezone.localtime(event.starts_at)
    return f"{start:%d.%m.%Y %H:%M}, {event.venue or event.online_url or 'место уточняется'}"


def _send(registration: Registration, subject: str, body: str, *, with_ics: bool = False) -> None:
    message = EmailMessage(subject=subject, body=body, to=[registration.email])
    if with_ics:
        message.attach("event.ics", ics([registration.event]), "text/calendar")
    message.send()


def confirmation(registration: Registration, token: str) -> None:
    _send(
        registration,
        f"Подтвердите регистрацию: {registration.event}",
        f"Здравствуйте, {registration.full_name}!\n\nЧтобы подтвердить регистрацию на «{registration.event}» "
        f"({_when(registration)}), откройте ссылку:\n{_url('events:confirm', token)}\n\n"
        "Место закрепляется после подтверждения. Если вы не регистрировались, просто проигнорируйте письмо.",
    )


def ticket(registration: Registration, cancel_token: str, full_sessions: list[Session] | None = None) -> None:
    full = "".join(f"\nМест на сессии «{session}» уже нет." for session in full_sessions or [])
    _send(
        registration,
        f"Ваш билет: {registration.event}",
        f"Вы зарегистрированы на «{registration.event}», {_when(registration)}.{full}\n\n"
        f"Билет с QR-кодом (номер {registration.ticket_code}): {_url('events:ticket', registration.ticket_code)}\n"
        f"Отменить регистрацию: {_url('events:cancel', cancel_token)}\n\nВ приложении — файл для календаря.",
        with_ics=True,
    )


def promoted(registration: Registration, cancel_token: str) -> None:
    _send(
        registration,
        f"Освободилось место: {registration.event}",
        f"Хорошие новости: для вас освободилось место на «{registration.event}», {_when(registration)}.\n\n"
        f"Билет: {_url('events:ticket', registration.ticket_code)}\nОтменить: {_url('events:cancel', cancel_token)}",
        with_ics=True,
    )


def session_seat(registration: Registration, session: Session) -> None:
    start = timezone.localtime(session.starts_at)
    _send(
        registration,
        f"Освободилось место на сессии: {session}",
        f"Для вас освободилось место на сессии «{session}» ({start:%d.%m.%Y %H:%M}"
        f"{', ' + session.room if session.room else ''}) мероприятия «{registration.event}».\n\n"
        f"Билет: {_url('events:ticket', registration.ticket_code)}",
    )


def waitlisted(registration: Registration, cancel_token: str) -> None:
    _send(
        registration,
        f"Лист ожидания: {registration.event}",
        f"Все места на «{registration.event}» заняты, вы в листе ожидания. Как только место освободится, "
        f"мы пришлём билет.\n\nВыйти из листа ожидания: {_url('events:cancel', cancel_token)}",
    )


def declined(registration: Registration) -> None:
    _send(
        registration,
        f"Регистрация не подтверждена: {registration.event}",
        f"К сожалению, организаторы не смогли подтвердить вашу регистрацию на «{registration.event}».",
    )


def feedback_request(registration: Registration, token: str) -> None:
    _send(
        registration,
        f"Как прошло «{registration.event}»?",
        f"Спасибо, что были с нами! Оцените мероприятие — это две минуты:\n{_url('events:feedback', token)}",
    )
