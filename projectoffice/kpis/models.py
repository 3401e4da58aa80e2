"""The KPI ledger: indicators, targets from the subsidy agreement, manual entries, links, frozen reports."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from projectoffice.lib import formats
from projectoffice.lib.bounds import FIGURE_MAX, date_validators, range_validators, year_validators
from projectoffice.lib.cleaning import CleanTextMixin


class Unit(models.TextChoices):
    ROUBLES = "rub", "руб."
    PERSONS = "persons", "чел."
    PIECES = "pieces", "ед."
    PERCENT = "percent", "%"


class Direction(models.TextChoices):
    UP = "up", "больше — лучше"
    DOWN = "down", "меньше — лучше"


class Method(models.TextChoices):
    INVESTMENT = (
        "investment",
        "Привлечённые инвестиции: поддержка и софинансирование поддержанных заявок + инвестиции в проекты",
    )
    PREPARED = "prepared", "Подготовленные проекты: поданные заявки с готовностью ≥ 80 % (уникальные проекты)"
    SUPPORTED = "supported", "Поддержанные проекты (уникальные проекты с поддержанной заявкой)"
    EVENTS = "events", "Проведённые мероприятия (по виду, если указан)"
    PARTICIPANTS = "participants", "Участники мероприятий (подтверждённые регистрации)"
    TRAINED = "trained", "Обученные люди (уникальные, завершили учебный курс)"
    ENGAGED = "engaged", "Вовлечённые ИТ-компании (проект, заявка или участие в мероприятии)"
    DIGITALISATION = "digitalisation", "Предприятия с проектом цифровизации"
    STRATEGY = "strategy", "Предложения в стратегию: принятые предложения и замечания, учтённые полностью или частично"
    FLAGSHIPS = (
        "flagships",
        "Флагманские проекты: партнёры из науки и бизнеса, материалы готовы, вовлечён инвестор целевого класса",
    )
    MARKET_COMPANIES = "market_companies", "Рынок: ИТ-компании региона в реестре МСП (по категории, если указана)"
    MARKET_HEADCOUNT = "market_headcount", "Рынок: численность ИТ-компаний региона (ФНС)"
    MARKET_INCOME = "market_income", "Рынок: доходы ИТ-компаний региона (ФНС, не выручка)"
    MANUAL = "manual", "Вручную: значение с подтверждающим документом и вторым утверждением"


class Indicator(CleanTextMixin, models.Model):
    code = models.SlugField("код", max_length=40, unique=True)
    name = models.CharField("показатель", max_length=300)
    unit = models.CharField("единица", max_length=10, choices=Unit.choices)
    direction = models.CharField("направление", max_length=4, choices=Direction.choices, default=Direction.UP)
    method = models.CharField("способ расчёта", max_length=20, choices=Method.choices)
    method_param = models.CharField(
        "параметр расчёта", max_length=40, blank=True, help_text="например, вид мероприятия"
    )
    is_public = models.BooleanField("публиковать", default=False)
    order = models.PositiveSmallIntegerField("порядок", default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = "показатель"
        verbose_name_plural = "показатели"

    def __str__(self) -> str:
        return self.name


class Target(CleanTextMixin, models.Model):
    """A target of the subsidy agreement: for a year (quarter empty) or for one quarter."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name="показатель"
    )
    year = models.PositiveSmallIntegerField("год", validators=year_validators())
    quarter = models.PositiveSmallIntegerField("квартал", null=True, blank=True, validators=range_validators(1, 4))
    value = models.DecimalField("план", max_digits=18, decimal_places=2, validators=range_validators(0, FIGURE_MAX))
    agreement_number = models.CharField("номер соглашения", max_length=100)
    agreement_date = models.DateField("дата соглашения", validators=date_validators())

    class Meta:
        verbose_name = "план"
        verbose_name_plural = "планы"
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year", "quarter"], name="one_target_per_period"),
            models.UniqueConstraint(
                fields=["indicator", "year"],
                condition=Q(quarter__isnull=True),
                name="one_year_target",
                violation_error_message="Годовая цель показателя на этот год уже задана.",
            ),
            models.CheckConstraint(
                condition=Q(quarter__isnull=True) | Q(quarter__gte=1, quarter__lte=4),
                name="quarter_1_4",
                violation_error_message="Квартал — число от 1 до 4.",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100),
                name="target_year_sane",
                violation_error_message="Год цели — от 2000 до 2100.",
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="target_not_negative",
                violation_error_message="Цель не может быть отрицательной.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {f'{self.quarter} кв. ' if self.quarter else ''}{self.year}"


class EntryStatus(models.TextChoices):
    PENDING = "pending", "Ждёт утверждения"
    APPROVED = "approved", "Утверждено"
    REJECTED = "rejected", "Отклонено"


class ManualEntry(CleanTextMixin, models.Model):
    """A value the platform cannot see, with evidence, entered by one staff member and approved by another."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="entries", verbose_name="показатель"
    )
    year = models.PositiveSmallIntegerField("год", validators=year_validators())
    quarter = models.PositiveSmallIntegerField("квартал", validators=range_validators(1, 4))
    value = models.DecimalField("значение", max_digits=18, decimal_places=2, validators=range_validators(0, FIGURE_MAX))
    comment = models.TextField("пояснение", blank=True)
    evidence = models.FileField("подтверждающий документ", upload_to="kpis/evidence/%Y/")
    status = models.CharField(
        "статус", max_length=10, choices=EntryStatus.choices, default=EntryStatus.PENDING, db_index=True
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="кто внёс"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="кто решил",
    )
    approved_at = models.DateTimeField("когда решено", null=True, blank=True)
    created_at = models.DateTimeField("внесено", auto_now_add=True)

    class Meta:
        verbose_name = "значение, внесённое вручную"
        verbose_name_plural = "значения, внесённые вручную"
        indexes = [models.Index(fields=["indicator", "year", "quarter", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="manual_value_not_negative",
                violation_error_message="Значение не может быть отрицательным.",
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4),
                name="manual_quarter_1_4",
                violation_error_message="Квартал — число от 1 до 4.",
            ),
            models.CheckConstraint(
                condition=~Q(approved_by=models.F("entered_by")),
                name="approver_is_not_author",
                violation_error_message="Значение утверждает не тот, кто его ввёл.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}, {self.quarter} кв. {self.year}: {formats.number(self.value)}"


class KpiLink(models.Model):
    """A project, application or event tagged to an indicator it serves."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="links", verbose_name="показатель")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name="тип объекта")
    object_id = models.PositiveIntegerField("номер объекта")

    class Meta:
        verbose_name = "связь с показателем"
        verbose_name_plural = "связи с показателями"
        constraints = [
            models.UniqueConstraint(fields=["indicator", "content_type", "object_id"], name="unique_kpi_link")
        ]

    def __str__(self) -> str:
        model = self.content_type.model_class()
        kind = model._meta.verbose_name if model is not None else "объект"
        return f"{self.indicator} ← {kind} № {self.object_id}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Черновик"
    SUBMITTED = "submitted", "Сдан"


class QuarterlyReport(CleanTextMixin, models.Model):
    """The report to the grantor; submitting stores the figures and their records with a SHA-256."""

    year = models.PositiveSmallIntegerField("год", validators=year_validators())
    quarter = models.PositiveSmallIntegerField("квартал", validators=range_validators(1, 4))
    status = models.CharField("статус", max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    columns = models.JSONField("колонки", default=list, blank=True)
    comments = models.JSONField("комментарии по показателям", default=dict, blank=True)
    snapshot = models.JSONField("замороженные данные", null=True, blank=True)
    sha256 = models.CharField("контрольная сумма SHA-256", max_length=64, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="кто сдал",
    )
    submitted_at = models.DateTimeField("когда сдан", null=True, blank=True)
    created_at = models.DateTimeField("создан", auto_now_add=True)

    class Meta:
        verbose_name = "квартальный отчёт"
        verbose_name_plural = "квартальные отчёты"
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter"], name="one_report_per_quarter"),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4),
                name="report_quarter_1_4",
                violation_error_message="Квартал — число от 1 до 4.",
            ),
        ]

    def __str__(self) -> str:
        return f"Отчёт за {self.quarter} кв. {self.year}"
