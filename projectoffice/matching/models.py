"""Users' feedback on matches and their subscriptions to digests."""

from __future__ import annotations

import secrets
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q

from projectoffice.lib.cleaning import CleanTextMixin
from projectoffice.opportunities.models import OpportunityKind


class FeedbackVerdict(models.TextChoices):
    INTERESTED = "interested", "Интересно"
    DISMISSED = "dismissed", "Не подходит"


class MatchFeedback(CleanTextMixin, models.Model):
    """A user's mark on one match of an organisation or a project with an opportunity."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="пользователь"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.CASCADE, verbose_name="организация"
    )
    project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.CASCADE, verbose_name="проект"
    )
    opportunity = models.ForeignKey(
        "opportunities.Opportunity", on_delete=models.CASCADE, related_name="feedback", verbose_name="возможность"
    )
    verdict = models.CharField("отметка", max_length=12, choices=FeedbackVerdict.choices)
    created_at = models.DateTimeField("создано", auto_now_add=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)

    class Meta:
        verbose_name = "отметка подбора"
        verbose_name_plural = "отметки подбора"
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | Q(project__isnull=False), name="feedback_has_subject"
            ),
            models.UniqueConstraint(
                fields=["organisation", "opportunity"], condition=Q(project__isnull=True), name="unique_org_feedback"
            ),
            models.UniqueConstraint(fields=["project", "opportunity"], name="unique_project_feedback"),
        ]

    def __str__(self) -> str:
        return f"{self.get_verdict_display()}: {self.opportunity}"


def _token() -> str:
    return secrets.token_urlsafe(24)


class Subscription(CleanTextMixin, models.Model):
    """A digest subscription: by an organisation's profile, or by a saved search (e.g. staff for a portfolio)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions", verbose_name="пользователь"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subscriptions",
        verbose_name="организация",
    )
    query = models.CharField("сохранённый поиск", max_length=300, blank=True)
    kinds = models.JSONField("виды возможностей", default=list, blank=True)
    email = models.EmailField("адрес для дайджеста")
    email_confirmed_at = models.DateTimeField(
        "адрес подтверждён", null=True, blank=True, help_text="Дайджест уходит только на подтверждённый адрес"
    )
    is_active = models.BooleanField("активна", default=True)
    unsubscribe_token = models.CharField("ключ отписки", max_length=64, unique=True, default=_token, editable=False)
    last_sent_at = models.DateTimeField("последний дайджест", null=True, blank=True)
    created_at = models.DateTimeField("создана", auto_now_add=True)

    # The codes kept in `kinds` and their labels: pages and the audit log show labels, never codes.
    LIST_CHOICES: ClassVar[dict[str, type[models.TextChoices]]] = {"kinds": OpportunityKind}

    class Meta:
        verbose_name = "подписка на дайджест"
        verbose_name_plural = "подписки на дайджест"
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(query=""), name="subscription_has_profile_or_query"
            )
        ]

    def __str__(self) -> str:
        return f"{self.email}: {self.organisation or self.query}"

    @property
    def kind_labels(self) -> list[str]:
        return [str(label) for code, label in OpportunityKind.choices if code in (self.kinds or [])]


class DigestDelivery(models.Model):
    """One opportunity sent to one subscription: the record that keeps an item from being sent twice."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries", verbose_name="подписка"
    )
    opportunity = models.ForeignKey(
        "opportunities.Opportunity", on_delete=models.CASCADE, related_name="+", verbose_name="возможность"
    )
    sent_at = models.DateTimeField("отправлено", auto_now_add=True)

    class Meta:
        verbose_name = "отправленная позиция дайджеста"
        verbose_name_plural = "отправленные позиции дайджестов"
        constraints = [models.UniqueConstraint(fields=["subscription", "opportunity"], name="unique_delivery")]

    def __str__(self) -> str:
        return f"{self.subscription_id} → {self.opportunity_id}"


class SearchEntry(models.Model):
    """One published opportunity's lemmatised text, searched by the PostgreSQL engine (`matching/pg_engine.py`).

    The text is reduced to lemmas by `matching/text.py`, as for every search of the platform; on PostgreSQL the
    table also has a generated `tsv` column (the title's lemmas weighted A, the rest B, the `simple`
    configuration, so PostgreSQL stems nothing further) with a GIN index and, when the server has the extension,
    a RUM index that gives the top hits by rank without reading every match. Written in the record's transaction.
    """

    id = models.BigIntegerField("номер записи", primary_key=True)
    kind = models.CharField("вид", max_length=32)
    title = models.TextField("леммы заголовка")
    body = models.TextField("леммы текста")

    class Meta:
        verbose_name = "запись поискового индекса"
        verbose_name_plural = "записи поискового индекса"

    def __str__(self) -> str:
        return f"{self.kind} {self.id}"
