"""What a project, an application or an event contributes to the indicators it is tagged to."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from projectoffice.kpis.ledger import records_for
from projectoffice.kpis.models import Indicator, KpiLink


@dataclass(frozen=True)
class Contribution:
    indicator: Indicator
    value: Decimal
    records: int


def contributions(instance: models.Model, *, year: int | None = None) -> list[Contribution]:
    """For each indicator the object is tagged to: the part of this year's figure that comes from the records
    that are the object or part of it (a project's applications and investments, an event's registrations)."""
    year = year or timezone.localdate().year
    links = KpiLink.objects.filter(content_type=ContentType.objects.get_for_model(instance), object_id=instance.pk)
    key = (instance._meta.label_lower, instance.pk)
    result = []
    for link in links.select_related("indicator"):
        mine = [r for r in records_for(link.indicator, year, None) if r.concerns(key)]
        result.append(Contribution(link.indicator, sum((r.value for r in mine), Decimal(0)), len(mine)))
    return result
