"""What a project, an application or an event contributes to the indicators it is tagged to."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone

from projectoffice.kpis.ledger import records_for
from projectoffice.kpis.models import Indicator, KpiLink


@dataclass(frozen=True)
class Contribution:
    indicator: Indicator
    value: Decimal
    records: int


def _urls(instance: models.Model) -> set[str]:
    label = instance._meta.label_lower
    if label == "projects.project":
        urls = {reverse("projects:detail", args=[instance.pk])}
        urls |= {reverse("applications:detail", args=[pk]) for pk in instance.applications.values_list("pk", flat=True)}  # type: ignore[attr-defined]
        return urls
    if label == "applications.application":
        return {reverse("applications:detail", args=[instance.pk])}
    if label == "events.event":
        return {reverse("events:detail", args=[instance.slug]), reverse("events:attendees", args=[instance.slug])}  # type: ignore[attr-defined]
    return set()


def contributions(instance: models.Model, *, year: int | None = None) -> list[Contribution]:
    """For each indicator the object is tagged to: the part of this year's figure that comes from it."""
    year = year or timezone.localdate().year
    links = KpiLink.objects.filter(content_type=ContentType.objects.get_for_model(instance), object_id=instance.pk)
    urls = _urls(instance)
    result = []
    for link in links.select_related("indicator"):
        mine = [r for r in records_for(link.indicator, year, None) if r.url in urls]
        result.append(Contribution(link.indicator, sum((r.value for r in mine), Decimal(0)), len(mine)))
    return result
