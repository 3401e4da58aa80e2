"""Projects of regional companies and their way through the pipeline."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from projectoffice.classifiers.text import filter_words, normalise
from projectoffice.lib.bounds import date_validators, money_validators
from projectoffice.lib.cleaning import CleanTextMixin
from projectoffice.projects.stages import Stage

TRL_CHOICES = [
    (1, "1 — выявлены фундаментальные принципы"),
    (2, "2 — сформулирована концепция"),
    (3, "3 — доказана работоспособность концепции"),
    (4, "4 — макет проверен в лаборатории"),
    (5, "5 — макет проверен в условиях, близких к реальным"),
    (6, "6 — прототип проверен в условиях, близких к реальным"),
    (7, "7 — прототип проверен в реальных условиях"),
    (8, "8 — система испытана и подтверждена"),
    (9, "9 — система работает в реальной эксплуатации"),
]  # GOST R 58048-2017 levels


class ProjectQuerySet(models.QuerySet["Project"]):
    def search(self, query: str) -> ProjectQuerySet:
        return filter_words(self, query)

    def visible_to_members_of(self, organisation_ids: frozenset[int]) -> ProjectQuerySet:
        """Projects led by, or partnered with, one of these organisations."""
        return self.filter(Q(lead_organisation__in=organisation_ids) | Q(partners__in=organisation_ids)).distinct()


class Project(CleanTextMixin, models.Model):
    title = models.CharField("название", max_length=250)
    lead_organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="ведущая организация",
        on_delete=models.PROTECT,
        related_name="led_projects",
    )
    partners = models.ManyToManyField(
        "organisations.Organisation",
        through="ProjectPartner",
        verbose_name="партнёры",
        related_name="partner_projects",
        blank=True,
    )
    summary = models.TextField("краткое описание")
    problem = models.TextField("проблема", blank=True)
    solution = models.TextField("решение", blank=True)
    technologies = models.ManyToManyField(
        "classifiers.Tag", verbose_name="технологии", blank=True, related_name="projects"
    )
    trl = models.PositiveSmallIntegerField("уровень готовности (TRL)", choices=TRL_CHOICES, default=1)
    budget_total = models.DecimalField(
        "бюджет проекта, руб.", max_digits=16, decimal_places=2, default=0, validators=money_validators()
    )
    own_funds = models.DecimalField(
        "собственные средства, руб.", max_digits=16, decimal_places=2, default=0, validators=money_validators()
    )
    requested_support = models.DecimalField(
        "запрашиваемая поддержка, руб.", max_digits=16, decimal_places=2, default=0, validators=money_validators()
    )
    starts_on = models.DateField("начало", null=True, blank=True, validators=date_validators())
    ends_on = models.DateField("окончание", null=True, blank=True, validators=date_validators())
    team = models.TextField("команда", blank=True, help_text="Участники и их роли, по одному в строке")
    stage = models.CharField("стадия", max_length=20, choices=Stage.choices, default=Stage.IDEA, db_index=True)
    stage_changed_at = models.DateTimeField("стадия с", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="автор",
    )
    is_demo = models.BooleanField("демо-запись", default=False)
    search_text = models.TextField("текст для поиска", editable=False, default="")
    created_at = models.DateTimeField("создан", auto_now_add=True)
    updated_at = models.DateTimeField("изменён", auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = "проект"
        verbose_name_plural = "проекты"
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(trl__gte=1, trl__lte=9), name="trl_1_9"),
            models.CheckConstraint(
                condition=Q(budget_total__gte=0, own_funds__gte=0, requested_support__gte=0),
                name="budget_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="timeline_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def build_search_text(self) -> str:
        return normalise(" ".join([self.title, self.summary, self.problem, self.solution]))

    def clean(self) -> None:
        errors = {}
        if (
            self.own_funds is not None and self.requested_support is not None and self.budget_total is not None
        ) and self.own_funds + self.requested_support > self.budget_total:
            errors["budget_total"] = "Собственные средства и запрашиваемая поддержка в сумме больше бюджета проекта."
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = "Окончание раньше начала."
        if errors:
            raise ValidationError(errors)


class PartnerRole(models.TextChoices):
    RESEARCH = "research", "Научный партнёр"
    INDUSTRIAL = "industrial", "Индустриальный партнёр"
    INVESTOR = "investor", "Инвестор"
    OTHER = "other", "Партнёр"


class ProjectPartner(CleanTextMixin, models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="partnerships", verbose_name="проект")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="организация"
    )
    role = models.CharField("роль", max_length=16, choices=PartnerRole.choices, default=PartnerRole.OTHER)

    class Meta:
        verbose_name = "партнёр проекта"
        verbose_name_plural = "партнёры проекта"
        constraints = [models.UniqueConstraint(fields=["project", "organisation"], name="unique_project_partner")]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class StageMove(CleanTextMixin, models.Model):
    """One move of a project between stages: who, when and why."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stage_moves", verbose_name="проект")
    from_stage = models.CharField("из стадии", max_length=20, choices=Stage.choices)
    to_stage = models.CharField("в стадию", max_length=20, choices=Stage.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="кто перевёл"
    )
    reason = models.TextField("основание")
    created_at = models.DateTimeField("когда", auto_now_add=True)

    class Meta:
        verbose_name = "смена стадии"
        verbose_name_plural = "смены стадий"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.project}: {self.get_from_stage_display()} → {self.get_to_stage_display()}"


class StaffNote(CleanTextMixin, models.Model):
    """A private note of the office about a project; companies never see it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="staff_notes", verbose_name="проект")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="автор"
    )
    text = models.TextField("заметка")
    created_at = models.DateTimeField("когда", auto_now_add=True)

    class Meta:
        verbose_name = "служебная заметка"
        verbose_name_plural = "служебные заметки"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:60]


class ProjectInvestment(CleanTextMixin, models.Model):
    """Money invested into a project outside applications (an investor's round, a partner's contribution)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="investments", verbose_name="проект")
    investor = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="инвестор",
    )
    amount = models.DecimalField("сумма, руб.", max_digits=16, decimal_places=2, validators=money_validators())
    received_on = models.DateField("дата поступления", validators=date_validators(past_only=True))
    note = models.CharField("основание", max_length=300, blank=True)

    class Meta:
        verbose_name = "инвестиция в проект"
        verbose_name_plural = "инвестиции в проекты"
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="investment_positive")]

    def __str__(self) -> str:
        return f"{self.project}: {self.amount}"
