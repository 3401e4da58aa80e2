"""Users with one role each, and their memberships in organisations."""

from __future__ import annotations

from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from knox.models import AuthToken

from projectoffice.lib import formats
from projectoffice.lib.cleaning import CleanTextMixin


class Role(models.TextChoices):
    STAFF = "staff", "Сотрудник офиса"
    GRANTOR = "grantor", "Грантодатель (наблюдение)"
    EXPERT = "expert", "Эксперт"
    MEMBER = "member", "Представитель организации"
    COMMUNITY = "community", "Участник сообщества"


REMINDER_DAYS_MAX = 60  # a reminder two months ahead is the longest lead time a deadline needs
REMINDER_LEAD_TIMES_MAX = 5


def default_reminder_days() -> list[int]:
    return [7, 1]


def validate_reminder_days(value: object) -> None:
    """A few distinct whole numbers of days, 0 (the day itself) to 60; an empty list means no reminders."""
    if not isinstance(value, list) or any(isinstance(d, bool) or not isinstance(d, int) for d in value):
        raise ValidationError("Напоминания задаются целыми числами дней, например: 7, 1.", code="reminder_days")
    if any(not 0 <= d <= REMINDER_DAYS_MAX for d in value):
        longest = formats.plural(REMINDER_DAYS_MAX, "день", "дня", "дней")
        raise ValidationError(f"Напоминать можно за 0–{longest} до срока.", code="reminder_days")
    if len(value) != len(set(value)):
        raise ValidationError("Каждый срок напоминания указывается один раз.", code="reminder_days")
    if len(value) > REMINDER_LEAD_TIMES_MAX:
        most = formats.plural(REMINDER_LEAD_TIMES_MAX, "напоминания", "напоминаний", "напоминаний")
        raise ValidationError(f"Не больше {most} на один срок.", code="reminder_days")


class User(CleanTextMixin, AbstractUser):
    """A person who logs in; superusers are office staff with every right."""

    role = models.CharField("роль", max_length=16, choices=Role.choices, default=Role.COMMUNITY)
    patronymic = models.CharField("отчество", max_length=150, blank=True)
    password_changed_at = models.DateTimeField(
        "пароль изменён", null=True, blank=True, editable=False, help_text="API-токены, выданные раньше, не действуют"
    )
    reminder_days = models.JSONField(
        "напоминать о сроках заявок за (дней)",
        default=default_reminder_days,
        blank=True,
        validators=[validate_reminder_days],
        help_text="Например, [7, 1]; пусто — не напоминать",
    )
    signed_up_at = models.DateTimeField("зарегистрировался сам", null=True, blank=True, editable=False)
    email_confirmed_at = models.DateTimeField("адрес подтверждён", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "пользователь"
        verbose_name_plural = "пользователи"

    @property
    def is_office_staff(self) -> bool:
        return self.is_active and (self.is_superuser or self.role == Role.STAFF)

    @property
    def is_grantor(self) -> bool:
        return self.is_active and self.role == Role.GRANTOR

    @property
    def is_expert(self) -> bool:
        return self.is_active and self.role == Role.EXPERT

    @cached_property
    def organisation_ids(self) -> frozenset[int]:
        """Organisations this user is a member of (one query, cached per request)."""
        return frozenset(self.memberships.values_list("organisation_id", flat=True))

    def __str__(self) -> str:
        return self.display_name

    def get_full_name(self) -> str:
        """«Анна Ивановна Сотрудникова»: first name, patronymic, last name, as far as they are given."""
        return " ".join(part for part in (self.first_name, self.patronymic, self.last_name) if part.strip())

    @property
    def display_name(self) -> str:
        """How pages, e-mails and documents name the person: the full name, the login only without one."""
        return formats.person(self)

    def set_password(self, raw_password: str | None) -> None:
        """Every way of changing a password (the form, a reset, the admin, a command) ends the API tokens issued
        before it, as Django's session hash ends the other sessions."""
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()


class Membership(CleanTextMixin, models.Model):
    """A user's membership in an organisation; admins of the organisation may manage its profile."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name="пользователь")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="memberships", verbose_name="организация"
    )
    position = models.CharField("должность", max_length=200, blank=True)
    is_admin = models.BooleanField("администратор профиля", default=False)
    created_at = models.DateTimeField("добавлен", auto_now_add=True)

    class Meta:
        verbose_name = "членство в организации"
        verbose_name_plural = "членства в организациях"
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="unique_membership")]

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation}"


class ApiToken(AuthToken):
    """django-rest-knox's token, named in Russian for the admin (tokens are issued and revoked in accounts.tokens)."""

    class Meta:
        proxy = True
        verbose_name = "токен API"
        verbose_name_plural = "токены API"
