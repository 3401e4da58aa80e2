"""Applications: a project applying to one opportunity, built from a template, reviewed and submitted."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from projectoffice.lib import formats
from projectoffice.lib.bounds import date_validators, money_validators, range_validators
from projectoffice.lib.cleaning import CleanTextMixin


class PrefillSource(models.TextChoices):
    NONE = "", "—"
    SUMMARY = "summary", "Краткое описание проекта"
    PROBLEM = "problem", "Проблема"
    SOLUTION = "solution", "Решение"
    MARKET = "market", "Рынок (описание организации и её продуктов)"
    TEAM = "team", "Команда"
    PLAN = "plan", "План (сроки проекта)"
    RESULTS = "results", "Результаты и KPI"
    RISKS = "risks", "Риски"
    BUDGET = "budget", "Обоснование бюджета"


class ApplicationTemplate(CleanTextMixin, models.Model):
    """The form of an application for one opportunity, or for every call of one provider."""

    name = models.CharField("название", max_length=300)
    opportunity = models.ForeignKey(
        "opportunities.Opportunity",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="templates",
        verbose_name="возможность",
    )
    provider_name = models.CharField("организатор (для всех его конкурсов)", max_length=300, blank=True)
    description = models.TextField("описание", blank=True)
    max_support_share = models.PositiveSmallIntegerField(
        "поддержка не более, % стоимости проекта", null=True, blank=True, validators=range_validators(0, 100)
    )
    min_own_share = models.PositiveSmallIntegerField(
        "собственные средства не менее, %", null=True, blank=True, validators=range_validators(0, 100)
    )
    is_builtin = models.BooleanField("поставляется с платформой", default=False)
    key = models.SlugField("ключ", max_length=64, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = "шаблон заявки"
        verbose_name_plural = "шаблоны заявок"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TemplateSection(CleanTextMixin, models.Model):
    template = models.ForeignKey(
        ApplicationTemplate, on_delete=models.CASCADE, related_name="sections", verbose_name="шаблон"
    )
    order = models.PositiveSmallIntegerField("порядок", default=0)
    title = models.CharField("раздел", max_length=200)
    guidance = models.TextField("подсказка", blank=True)
    min_chars = models.PositiveIntegerField("минимум знаков", default=0, validators=range_validators(0, 100_000))
    max_chars = models.PositiveIntegerField("максимум знаков", default=10_000, validators=range_validators(1, 100_000))
    prefill = models.CharField("заполнять из", max_length=10, choices=PrefillSource.choices, blank=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "раздел шаблона"
        verbose_name_plural = "разделы шаблона"

    def __str__(self) -> str:
        return self.title


class Criterion(CleanTextMixin, models.Model):
    """An evaluation criterion with its weight and scale, mirroring the funder's rules."""

    template = models.ForeignKey(
        ApplicationTemplate, on_delete=models.CASCADE, related_name="criteria", verbose_name="шаблон"
    )
    order = models.PositiveSmallIntegerField("порядок", default=0)
    name = models.CharField("критерий", max_length=300)
    description = models.TextField("как оценивать", blank=True)
    weight = models.DecimalField(
        "вес", max_digits=5, decimal_places=2, default=Decimal(1), validators=range_validators(0, 100)
    )
    scale_min = models.SmallIntegerField("шкала от", default=0, validators=range_validators(-100, 100))
    scale_max = models.SmallIntegerField("шкала до", default=10, validators=range_validators(-100, 100))

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "критерий оценки"
        verbose_name_plural = "критерии оценки"
        constraints = [models.CheckConstraint(condition=Q(scale_max__gt=models.F("scale_min")), name="scale_ordered")]

    def __str__(self) -> str:
        return self.name


class RequiredDocument(CleanTextMixin, models.Model):
    template = models.ForeignKey(
        ApplicationTemplate, on_delete=models.CASCADE, related_name="documents", verbose_name="шаблон"
    )
    order = models.PositiveSmallIntegerField("порядок", default=0)
    name = models.CharField("документ", max_length=300)
    description = models.TextField("пояснение", blank=True)
    is_required = models.BooleanField("обязателен", default=True)
    allowed_types = models.JSONField(
        "допустимые форматы", default=list, blank=True, help_text="pdf, docx, xlsx, jpg, png"
    )

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "документ из перечня"
        verbose_name_plural = "перечень документов"

    def __str__(self) -> str:
        return self.name


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", "Подготовка"
    REVIEW = "review", "Экспертиза"
    READY = "ready", "Готова к подаче"
    SUBMITTED = "submitted", "Подана"
    SUPPORTED = "supported", "Поддержана"
    DECLINED = "declined", "Отклонена"
    WITHDRAWN = "withdrawn", "Отозвана"


OUTCOMES = (ApplicationStatus.SUPPORTED, ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN)
OPEN_STATUSES = (ApplicationStatus.DRAFT, ApplicationStatus.REVIEW, ApplicationStatus.READY)
"""An open application is still being prepared: not yet submitted and without an outcome. Its deadline is still
ahead of the team (calendar, reminders, the office's home page) and its text may still change."""


class ApplicationQuerySet(models.QuerySet["Application"]):
    def open(self) -> ApplicationQuerySet:
        """The applications still being prepared (OPEN_STATUSES)."""
        return self.filter(status__in=OPEN_STATUSES)


class Application(CleanTextMixin, models.Model):
    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="applications", verbose_name="проект"
    )
    opportunity = models.ForeignKey(
        "opportunities.Opportunity", on_delete=models.PROTECT, related_name="applications", verbose_name="возможность"
    )
    template = models.ForeignKey(
        ApplicationTemplate, on_delete=models.PROTECT, related_name="applications", verbose_name="шаблон"
    )
    status = models.CharField(
        "статус", max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT, db_index=True
    )
    deadline = models.DateField("срок подачи", null=True, blank=True, db_index=True, validators=date_validators())
    readiness = models.PositiveSmallIntegerField("готовность, %", default=0)
    readiness_at_submission = models.PositiveSmallIntegerField("готовность при подаче, %", null=True, blank=True)
    submitted_on = models.DateField("дата подачи", null=True, blank=True, validators=date_validators(past_only=True))
    submission_number = models.CharField("номер заявки у организатора", max_length=100, blank=True)
    awarded_amount = models.DecimalField(
        "сумма поддержки, руб.", max_digits=16, decimal_places=2, null=True, blank=True, validators=money_validators()
    )
    cofinancing_amount = models.DecimalField(
        "привлечённое софинансирование, руб.",
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=money_validators(),
    )
    funder_feedback = models.TextField("отзыв организатора", blank=True)
    outcome_on = models.DateField("дата решения", null=True, blank=True, validators=date_validators(past_only=True))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="автор"
    )
    created_at = models.DateTimeField("создана", auto_now_add=True)
    updated_at = models.DateTimeField("изменена", auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = "заявка"
        verbose_name_plural = "заявки"
        ordering = ["deadline", "-updated_at"]
        indexes = [
            models.Index(fields=["status", "submitted_on"], name="application_status_submitted"),
            models.Index(fields=["status", "outcome_on"], name="application_status_outcome"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["project", "opportunity"], name="one_application_per_project_and_call"),
            models.CheckConstraint(
                condition=Q(awarded_amount__gte=0) | Q(awarded_amount__isnull=True), name="awarded_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(cofinancing_amount__gte=0) | Q(cofinancing_amount__isnull=True),
                name="cofinancing_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} → {self.opportunity}"

    @property
    def is_open(self) -> bool:
        """Still being prepared (OPEN_STATUSES): not yet submitted and without an outcome."""
        return self.status in OPEN_STATUSES


class SectionText(CleanTextMixin, models.Model):
    """The current text of one section; `version` counts saves and guards against silent overwrites."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="sections", verbose_name="заявка"
    )
    section = models.ForeignKey(TemplateSection, on_delete=models.PROTECT, related_name="+", verbose_name="раздел")
    text = models.TextField("текст", blank=True)
    version = models.PositiveIntegerField("версия", default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="кто изменил"
    )
    updated_at = models.DateTimeField("изменён", auto_now=True)

    class Meta:
        verbose_name = "текст раздела"
        verbose_name_plural = "тексты разделов"
        ordering = ["section__order", "section_id"]
        constraints = [models.UniqueConstraint(fields=["application", "section"], name="one_text_per_section")]

    def __str__(self) -> str:
        return f"{self.section} (в. {self.version})"


class SectionVersion(CleanTextMixin, models.Model):
    section_text = models.ForeignKey(
        SectionText, on_delete=models.CASCADE, related_name="versions", verbose_name="текст раздела"
    )
    version = models.PositiveIntegerField("версия")
    text = models.TextField("текст", blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="автор"
    )
    created_at = models.DateTimeField("когда", auto_now_add=True)

    class Meta:
        verbose_name = "версия раздела"
        verbose_name_plural = "версии разделов"
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["section_text", "version"], name="unique_section_version")]

    def __str__(self) -> str:
        return f"в. {self.version}"


class SectionComment(CleanTextMixin, models.Model):
    section_text = models.ForeignKey(
        SectionText, on_delete=models.CASCADE, related_name="comments", verbose_name="текст раздела"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="автор"
    )
    text = models.TextField("комментарий")
    created_at = models.DateTimeField("когда", auto_now_add=True)

    class Meta:
        verbose_name = "комментарий к разделу"
        verbose_name_plural = "комментарии к разделам"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class BudgetItem(CleanTextMixin, models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="budget", verbose_name="заявка")
    name = models.CharField("статья", max_length=300)
    own_funds = models.DecimalField(
        "собственные средства", max_digits=16, decimal_places=2, default=0, validators=money_validators()
    )
    requested = models.DecimalField(
        "запрашиваемая поддержка", max_digits=16, decimal_places=2, default=0, validators=money_validators()
    )
    cofinancing = models.DecimalField(
        "софинансирование партнёров", max_digits=16, decimal_places=2, default=0, validators=money_validators()
    )
    cofinancing_partner = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="партнёр-софинансирователь",
    )

    class Meta:
        ordering = ["id"]
        verbose_name = "статья бюджета"
        verbose_name_plural = "бюджет"
        constraints = [
            models.CheckConstraint(
                condition=Q(own_funds__gte=0, requested__gte=0, cofinancing__gte=0), name="budget_item_not_negative"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def total(self) -> Decimal:
        return self.own_funds + self.requested + self.cofinancing


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"applications/{instance.application_id}/{instance.document_id or 'other'}/{filename}"


class Attachment(CleanTextMixin, models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments", verbose_name="заявка"
    )
    document = models.ForeignKey(
        RequiredDocument, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="документ из перечня"
    )
    file = models.FileField("файл", upload_to=attachment_path, max_length=500)
    original_name = models.CharField("имя файла", max_length=255)
    size = models.PositiveIntegerField("размер, байт")
    detected_type = models.CharField("тип по содержимому", max_length=20)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="кто приложил"
    )
    uploaded_at = models.DateTimeField("когда приложен", auto_now_add=True)

    class Meta:
        verbose_name = "приложенный документ"
        verbose_name_plural = "приложенные документы"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class ExpertAssignment(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assignments", verbose_name="заявка"
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="expert_assignments", verbose_name="эксперт"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="кто назначил"
    )
    declared_no_conflict_at = models.DateTimeField("декларация об отсутствии конфликта", null=True, blank=True)
    completed_at = models.DateTimeField("оценка завершена", null=True, blank=True)
    created_at = models.DateTimeField("назначен", auto_now_add=True)

    class Meta:
        verbose_name = "назначение эксперта"
        verbose_name_plural = "назначения экспертов"
        constraints = [models.UniqueConstraint(fields=["application", "expert"], name="one_assignment_per_expert")]

    def __str__(self) -> str:
        return f"{self.expert} → {self.application}"


class Score(CleanTextMixin, models.Model):
    assignment = models.ForeignKey(
        ExpertAssignment, on_delete=models.CASCADE, related_name="scores", verbose_name="назначение эксперта"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+", verbose_name="критерий")
    value = models.SmallIntegerField("оценка", validators=range_validators(-100, 100))
    comment = models.TextField("комментарий", blank=True)

    class Meta:
        verbose_name = "оценка"
        verbose_name_plural = "оценки"
        constraints = [models.UniqueConstraint(fields=["assignment", "criterion"], name="one_score_per_criterion")]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


class ReminderSent(models.Model):
    """A deadline reminder sent: unique per application, user and lead time, so none goes twice."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+", verbose_name="заявка")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="пользователь"
    )
    days_before = models.PositiveSmallIntegerField("за сколько дней")
    sent_at = models.DateTimeField("отправлено", auto_now_add=True)

    class Meta:
        verbose_name = "отправленное напоминание"
        verbose_name_plural = "отправленные напоминания"
        constraints = [
            models.UniqueConstraint(fields=["application", "user", "days_before"], name="one_reminder_per_lead_time")
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: за {formats.plural(self.days_before, 'день', 'дня', 'дней')}"
