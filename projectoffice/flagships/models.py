"""Flagship projects, the funders they target and the deal flow from an introduction to a closed deal."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q

from projectoffice.lib.bounds import date_validators, money_validators, range_validators
from projectoffice.lib.cleaning import CleanTextMixin
from projectoffice.materials.funder_classes import FunderClass
from projectoffice.projects.stages import Stage


class Instrument(models.TextChoices):
    PILOT = "pilot", "Пилот"
    GRANT = "grant", "Грант"
    LOAN = "loan", "Заём"
    EQUITY = "equity", "Доля в капитале"
    CONTRACT = "contract", "Договор (НИОКР, поставка)"
    ACCELERATOR = "accelerator", "Акселерация"
    PARTNERING = "partnering", "Партнёрство"
    OTHER = "other", "Другое"


class FunderProfile(CleanTextMixin, models.Model):
    """An investor's or corporation's mandate: what it funds, how much and how. Attached to a registry
    organisation, to a channel of the catalogue, or to both."""

    name = models.CharField("название", max_length=300)
    funder_class = models.CharField("класс инвестора", max_length=20, choices=FunderClass.choices)
    organisation = models.OneToOneField(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="funder_profile",
        verbose_name="организация реестра",
    )
    channel = models.OneToOneField(
        "opportunities.Opportunity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="funder_profile",
        verbose_name="канал в каталоге",
    )
    sectors = models.TextField("отрасли", blank=True, help_text="По одной в строке")
    technologies = models.ManyToManyField(
        "classifiers.Tag", verbose_name="технологии", blank=True, related_name="funder_profiles"
    )
    ticket_min = models.DecimalField(
        "чек от, руб.", max_digits=16, decimal_places=2, null=True, blank=True, validators=money_validators()
    )
    ticket_max = models.DecimalField(
        "чек до, руб.", max_digits=16, decimal_places=2, null=True, blank=True, validators=money_validators()
    )
    stages = models.JSONField("стадии проекта", default=list, blank=True)
    trl_min = models.PositiveSmallIntegerField("TRL от", null=True, blank=True, validators=range_validators(1, 9))
    trl_max = models.PositiveSmallIntegerField("TRL до", null=True, blank=True, validators=range_validators(1, 9))
    geography = models.CharField("география", max_length=300, blank=True)
    instruments = models.JSONField("инструменты", default=list, blank=True)
    contacts = models.TextField("контакты", blank=True)
    past_deals = models.TextField("прошлые сделки", blank=True, help_text="По одной в строке")
    is_demo = models.BooleanField("демо-запись", default=False)
    created_at = models.DateTimeField("создан", auto_now_add=True)
    updated_at = models.DateTimeField("изменён", auto_now=True)

    LIST_CHOICES: ClassVar[dict[str, type[models.TextChoices]]] = {"stages": Stage, "instruments": Instrument}

    class Meta:
        verbose_name = "профиль инвестора"
        verbose_name_plural = "профили инвесторов"
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ticket_min__isnull=True)
                | Q(ticket_max__isnull=True)
                | Q(ticket_max__gte=models.F("ticket_min")),
                name="funder_ticket_ordered",
                violation_error_message="Верхняя граница чека меньше нижней.",
            ),
            models.CheckConstraint(
                condition=Q(trl_min__isnull=True) | Q(trl_max__isnull=True) | Q(trl_max__gte=models.F("trl_min")),
                name="funder_trl_ordered",
                violation_error_message="Верхняя граница TRL меньше нижней.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def list_labels(self, name: str) -> list[str]:
        codes = set(getattr(self, name) or [])
        return [str(label) for code, label in self.LIST_CHOICES[name].choices if code in codes]

    @property
    def instrument_labels(self) -> list[str]:
        return self.list_labels("instruments")

    @property
    def stage_labels(self) -> list[str]:
        return self.list_labels("stages")

    @property
    def sector_list(self) -> list[str]:
        return [line.strip() for line in self.sectors.splitlines() if line.strip()]


class Flagship(CleanTextMixin, models.Model):
    """A project the office prepares for federal institutes, large companies, interstate funds and foreign partners."""

    project = models.OneToOneField(
        "projects.Project", on_delete=models.CASCADE, related_name="flagship", verbose_name="проект"
    )
    target_classes = models.JSONField("целевые классы инвесторов", default=list)
    sector = models.CharField("отрасль", max_length=200, blank=True)
    geography = models.CharField("география", max_length=300, blank=True, default="Россия, Самарская область")
    showcase = models.BooleanField("на публичной витрине", default=False)
    title_en = models.CharField("название на английском", max_length=250, blank=True)
    note = models.TextField("заметка офиса", blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="кто отметил"
    )
    marked_at = models.DateTimeField("отмечен", auto_now_add=True)
    updated_at = models.DateTimeField("изменён", auto_now=True)

    class Meta:
        verbose_name = "флагманский проект"
        verbose_name_plural = "флагманские проекты"
        ordering = ["project__title", "id"]

    def __str__(self) -> str:
        return str(self.project)

    @property
    def target_class_labels(self) -> list[str]:
        codes = set(self.target_classes or [])
        return [str(label) for code, label in FunderClass.choices if code in codes]


class DealStage(models.TextChoices):
    INTRO_REQUESTED = "intro_requested", "Запрошено знакомство"
    INTRO_MADE = "intro_made", "Знакомство состоялось"
    MEETING = "meeting", "Встреча"
    DUE_DILIGENCE = "due_diligence", "Комплексная проверка"
    TERM_SHEET = "term_sheet", "Соглашение об условиях или о пилоте"
    CLOSED = "closed", "Сделка закрыта"
    DECLINED = "declined", "Отказ"


OPEN_DEAL_STAGES = [
    DealStage.INTRO_REQUESTED,
    DealStage.INTRO_MADE,
    DealStage.MEETING,
    DealStage.DUE_DILIGENCE,
    DealStage.TERM_SHEET,
]
# A funder counts as engaged once the introduction has happened (and the conversation was not declined).
ENGAGED_DEAL_STAGES = [
    DealStage.INTRO_MADE,
    DealStage.MEETING,
    DealStage.DUE_DILIGENCE,
    DealStage.TERM_SHEET,
    DealStage.CLOSED,
]


class DealSource(models.TextChoices):
    OFFICE = "office", "Офис"
    SHOWCASE = "showcase", "Форма на витрине"


class Deal(CleanTextMixin, models.Model):
    """One conversation of a project with one funder, from the introduction to a closed deal or a refusal."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="deals", verbose_name="проект"
    )
    funder = models.ForeignKey(
        FunderProfile, null=True, blank=True, on_delete=models.PROTECT, related_name="deals", verbose_name="инвестор"
    )
    funder_organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="funder_deals",
        verbose_name="организация инвестора",
    )
    channel = models.ForeignKey(
        "opportunities.Opportunity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deals",
        verbose_name="канал",
    )
    funder_name = models.CharField("инвестор (как назван)", max_length=300)
    funder_class = models.CharField("класс инвестора", max_length=20, choices=FunderClass.choices)
    representative_name = models.CharField("представитель инвестора", max_length=200, blank=True)
    representative_email = models.EmailField("эл. почта представителя", blank=True)
    stage = models.CharField(
        "стадия", max_length=20, choices=DealStage.choices, default=DealStage.INTRO_REQUESTED, db_index=True
    )
    stage_changed_on = models.DateField("стадия с", validators=date_validators())
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_deals",
        verbose_name="ответственный",
    )
    next_step = models.CharField("следующий шаг", max_length=300, blank=True)
    next_step_due = models.DateField("срок следующего шага", null=True, blank=True, validators=date_validators())
    reminder_sent_for = models.DateField(
        "напоминание отправлено о сроке", null=True, blank=True, editable=False, validators=date_validators()
    )
    amount = models.DecimalField(
        "сумма сделки, руб.", max_digits=16, decimal_places=2, null=True, blank=True, validators=money_validators()
    )
    instrument = models.CharField("инструмент", max_length=20, choices=Instrument.choices, blank=True)
    closed_on = models.DateField("дата закрытия", null=True, blank=True, validators=date_validators(past_only=True))
    declined_reason = models.TextField("причина отказа", blank=True)
    investment = models.OneToOneField(
        "projects.ProjectInvestment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deal",
        editable=False,
        verbose_name="запись об инвестиции",
    )
    source = models.CharField("откуда", max_length=10, choices=DealSource.choices, default=DealSource.OFFICE)
    message = models.TextField("сообщение инвестора", blank=True)
    is_demo = models.BooleanField("демо-запись", default=False)
    created_at = models.DateTimeField("создана", auto_now_add=True)
    updated_at = models.DateTimeField("изменена", auto_now=True)

    class Meta:
        verbose_name = "сделка"
        verbose_name_plural = "сделки"
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(stage="closed")
                | (Q(amount__isnull=False) & ~Q(instrument="") & Q(closed_on__isnull=False)),
                name="closed_deal_has_amount_instrument_date",
                violation_error_message="У закрытой сделки должны быть сумма, инструмент и дата закрытия.",
            ),
            models.CheckConstraint(
                condition=~Q(stage="declined") | ~Q(declined_reason=""),
                name="declined_deal_has_reason",
                violation_error_message="У отказа должна быть причина.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} × {self.funder_name}"

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_DEAL_STAGES


class DealMove(CleanTextMixin, models.Model):
    """One move of a deal between stages: who, when and with what note."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="moves", verbose_name="сделка")
    from_stage = models.CharField("из стадии", max_length=20, choices=DealStage.choices, blank=True)
    to_stage = models.CharField("в стадию", max_length=20, choices=DealStage.choices)
    on = models.DateField("дата", validators=date_validators())
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="кто"
    )
    note = models.TextField("заметка", blank=True)
    created_at = models.DateTimeField("записано", auto_now_add=True)

    class Meta:
        verbose_name = "шаг сделки"
        verbose_name_plural = "шаги сделки"
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.deal}: {self.get_to_stage_display()}"
