"""Events: programme, registrations with capacity and a waiting list, check-ins, certificates and feedback."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q

from projectoffice.lib.bounds import COUNT_MAX, date_validators, range_validators
from projectoffice.lib.cleaning import CleanTextMixin


class EventKind(models.TextChoices):
    FORUM = "forum", "Форум"
    CONFERENCE = "conference", "Конференция"
    HACKATHON = "hackathon", "Хакатон"
    COURSE = "course", "Учебный курс"
    MEETUP = "meetup", "Митап"
    WEBINAR = "webinar", "Вебинар"


class EventStatus(models.TextChoices):
    DRAFT = "draft", "Черновик"
    PUBLISHED = "published", "Опубликовано"
    CANCELLED = "cancelled", "Отменено"


_LINK = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)


@dataclass(frozen=True)
class Material:
    """One line of an event's materials: its label and, when the line holds a web address, that address."""

    label: str
    url: str = ""


class Event(CleanTextMixin, models.Model):
    kind = models.CharField("вид", max_length=12, choices=EventKind.choices)
    title = models.CharField("название", max_length=300)
    slug = models.SlugField("адрес", max_length=120, unique=True)
    description = models.TextField("описание", blank=True)
    starts_at = models.DateTimeField("начало", validators=date_validators())
    ends_at = models.DateTimeField("окончание", validators=date_validators())
    venue = models.CharField("место", max_length=300, blank=True)
    online_url = models.URLField("ссылка на трансляцию", blank=True)
    capacity = models.PositiveIntegerField(
        "мест", null=True, blank=True, help_text="Пусто — без ограничения", validators=range_validators(1, COUNT_MAX)
    )
    requires_approval = models.BooleanField("регистрации подтверждает офис", default=False)
    status = models.CharField("статус", max_length=10, choices=EventStatus.choices, default=EventStatus.DRAFT)
    organiser = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organised_events",
        verbose_name="организатор",
    )
    partners = models.ManyToManyField(
        "organisations.Organisation", blank=True, related_name="partner_events", verbose_name="партнёры"
    )
    materials = models.TextField("материалы (слайды, записи — по ссылке в строке)", blank=True)
    min_sessions_for_certificate = models.PositiveSmallIntegerField(
        "занятий для сертификата",
        null=True,
        blank=True,
        help_text="Для учебных курсов",
        validators=range_validators(1, 1000),
    )
    consent_text = models.TextField(
        "текст согласия на обработку ПДн",
        default="Я даю согласие на обработку моих персональных данных (ФИО, e-mail, телефон, организация) "
        "проектным офисом цифрового развития для регистрации и участия в мероприятии в соответствии с 152-ФЗ.",
    )
    is_demo = models.BooleanField("демо-запись", default=False)
    created_at = models.DateTimeField("создано", auto_now_add=True)

    class Meta:
        verbose_name = "мероприятие"
        verbose_name_plural = "мероприятия"
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=models.F("starts_at")), name="event_ends_after_start")
        ]

    def __str__(self) -> str:
        return self.title

    def seats_taken(self) -> int:
        """Registrations holding a seat: confirmed participants (the waiting list and pending ones hold none)."""
        return self.registrations.filter(status=RegistrationStatus.CONFIRMED).count()

    @property
    def seats_left(self) -> int | None:
        """Free seats shown to a visitor and given by the service; None when the event has no limit."""
        if self.capacity is None:
            return None
        return max(0, self.capacity - self.seats_taken())

    def material_links(self) -> list[Material]:
        """Materials line by line: «Презентации: https://…» is the label «Презентации» and the address; a line
        without an http(s) address is text only (no other scheme ever becomes a link)."""
        items = []
        for line in self.materials.splitlines():
            line = line.strip()
            if not line:
                continue
            found = _LINK.search(line)
            if found is None:
                items.append(Material(line))
                continue
            label = (line[: found.start()] + line[found.end() :]).strip(" \t:—–-")
            items.append(Material(label or found.group(0), found.group(0).rstrip(".,;)")))
        return items


class Speaker(CleanTextMixin, models.Model):
    full_name = models.CharField("ФИО", max_length=200)
    position = models.CharField("должность", max_length=200, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL, verbose_name="организация"
    )
    organisation_name = models.CharField("организация (если её нет в реестре)", max_length=300, blank=True)

    class Meta:
        verbose_name = "спикер"
        verbose_name_plural = "спикеры"

    def __str__(self) -> str:
        return self.full_name


class Session(CleanTextMixin, models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions", verbose_name="мероприятие")
    title = models.CharField("название", max_length=300)
    starts_at = models.DateTimeField("начало", validators=date_validators())
    ends_at = models.DateTimeField("окончание", validators=date_validators())
    room = models.CharField("зал", max_length=100, blank=True)
    online_url = models.URLField("ссылка", blank=True)
    capacity = models.PositiveIntegerField("мест", null=True, blank=True, validators=range_validators(1, COUNT_MAX))
    speakers = models.ManyToManyField(Speaker, blank=True, related_name="sessions", verbose_name="спикеры")

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = "сессия программы"
        verbose_name_plural = "программа"

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    TEXT = "text", "Текст"
    CHOICE = "choice", "Выбор"
    CONSENT = "consent", "Согласие (галочка)"


class Question(CleanTextMixin, models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions", verbose_name="мероприятие")
    order = models.PositiveSmallIntegerField("порядок", default=0)
    kind = models.CharField("тип ответа", max_length=10, choices=QuestionKind.choices, default=QuestionKind.TEXT)
    label = models.CharField("вопрос", max_length=300)
    choices = models.JSONField("варианты", default=list, blank=True)
    required = models.BooleanField("обязательный", default=False)

    class Meta:
        verbose_name = "вопрос анкеты"
        verbose_name_plural = "вопросы анкеты"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.label


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", "Ждёт подтверждения e-mail"
    AWAITING_APPROVAL = "awaiting_approval", "Ждёт одобрения офиса"
    CONFIRMED = "confirmed", "Участник"
    WAITLISTED = "waitlisted", "Лист ожидания"
    CANCELLED = "cancelled", "Отменена"
    DECLINED = "declined", "Отклонена"


ACTIVE_STATUSES = [
    RegistrationStatus.PENDING,
    RegistrationStatus.AWAITING_APPROVAL,
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITLISTED,
]


def _ticket() -> str:
    return secrets.token_hex(6).upper()  # 48 bits: collisions stay negligible at millions of tickets


class Registration(CleanTextMixin, models.Model):
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="registrations", verbose_name="мероприятие")
    email = models.EmailField("эл. почта")
    full_name = models.CharField("ФИО", max_length=200)
    organisation_name = models.CharField("организация", max_length=300, blank=True)
    phone = models.CharField("телефон", max_length=40, blank=True)
    answers = models.JSONField("ответы на вопросы", default=dict, blank=True)
    requested_sessions = models.JSONField(
        "сессии с ограниченным числом мест, на которые просится участник", default=list, blank=True
    )
    status = models.CharField(
        "статус",
        max_length=20,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.PENDING,
        db_index=True,
    )
    consent_text = models.TextField("текст согласия")
    consent_at = models.DateTimeField("согласие дано")
    ticket_code = models.CharField("номер билета", max_length=16, unique=True, default=_ticket)
    created_at = models.DateTimeField("зарегистрирован", auto_now_add=True, db_index=True)
    confirmed_at = models.DateTimeField("подтверждена", null=True, blank=True)
    seated_at = models.DateTimeField("место закреплено", null=True, blank=True, help_text="когда получено место")
    cancelled_at = models.DateTimeField("отменена", null=True, blank=True)
    feedback_requested_at = models.DateTimeField("отзыв запрошен", null=True, blank=True)
    anonymised_at = models.DateTimeField("обезличена", null=True, blank=True)

    class Meta:
        verbose_name = "регистрация"
        verbose_name_plural = "регистрации"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "event"])]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="one_active_registration_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.full_name} — {self.event}"


class SessionBooking(models.Model):
    """A seat in a session that has its own capacity (a workshop at a forum)."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="bookings", verbose_name="регистрация"
    )
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="bookings", verbose_name="сессия")
    created_at = models.DateTimeField("создано", auto_now_add=True)

    class Meta:
        verbose_name = "место на сессии"
        verbose_name_plural = "места на сессиях"
        constraints = [models.UniqueConstraint(fields=["registration", "session"], name="one_booking_per_session")]

    def __str__(self) -> str:
        return f"{self.registration} → {self.session}"


class CheckIn(models.Model):
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="checkins", verbose_name="регистрация"
    )
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.CASCADE, related_name="checkins", verbose_name="сессия"
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="кто отметил"
    )
    checked_at = models.DateTimeField("когда", auto_now_add=True)

    class Meta:
        verbose_name = "отметка о присутствии"
        verbose_name_plural = "отметки о присутствии"
        constraints = [
            models.UniqueConstraint(fields=["registration", "session"], name="one_checkin_per_session"),
            models.UniqueConstraint(
                fields=["registration"], condition=Q(session__isnull=True), name="one_event_checkin"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration} @ {self.session or 'мероприятие'}"


def _code() -> str:
    return secrets.token_hex(6).upper()


class Certificate(CleanTextMixin, models.Model):
    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="certificate", verbose_name="регистрация"
    )
    code = models.CharField("код проверки", max_length=16, unique=True, default=_code)
    full_name = models.CharField("ФИО", max_length=200)
    sessions_attended = models.PositiveSmallIntegerField("посещено занятий")
    issued_at = models.DateTimeField("выдан", auto_now_add=True)

    class Meta:
        verbose_name = "сертификат"
        verbose_name_plural = "сертификаты"

    def __str__(self) -> str:
        return self.code


class Feedback(CleanTextMixin, models.Model):
    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="feedback", verbose_name="регистрация"
    )
    rating = models.PositiveSmallIntegerField("оценка 1–5", validators=range_validators(1, 5))
    nps = models.PositiveSmallIntegerField("готовность рекомендовать 0–10", validators=range_validators(0, 10))
    comment = models.TextField("что улучшить", blank=True, max_length=5000)
    created_at = models.DateTimeField("когда", auto_now_add=True)

    class Meta:
        verbose_name = "отзыв"
        verbose_name_plural = "отзывы"
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="rating_1_5"),
            models.CheckConstraint(condition=Q(nps__lte=10), name="nps_0_10"),
        ]

    def __str__(self) -> str:
        return f"{self.rating}/{self.nps}"
