"""Size category of a business by Federal Law 209-FZ thresholds (headcount, revenue)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models


class SizeCategory(models.TextChoices):
    MICRO = "micro", "Микропредприятие"
    SMALL = "small", "Малое предприятие"
    MEDIUM = "medium", "Среднее предприятие"
    LARGE = "large", "Крупное предприятие"


# (category, max average headcount, max annual revenue in roubles): 209-FZ art. 4 and
# Government Decree No. 265 of 04.04.2016 (revenue limits 120 mln, 800 mln, 2 bln roubles).
THRESHOLDS: tuple[tuple[SizeCategory, int, Decimal], ...] = (
    (SizeCategory.MICRO, 15, Decimal("120000000")),
    (SizeCategory.SMALL, 100, Decimal("800000000")),
    (SizeCategory.MEDIUM, 250, Decimal("2000000000")),
)


def size_category(*, headcount: int | None, revenue: Decimal | None) -> SizeCategory | None:
    """The smallest category whose limits both figures fit; None when neither figure is known.

    An unknown figure does not bound the category, so a company known only by headcount
    is categorised by headcount alone.
    """
    if headcount is None and revenue is None:
        return None
    for category, max_headcount, max_revenue in THRESHOLDS:
        if (headcount is None or headcount <= max_headcount) and (revenue is None or revenue <= max_revenue):
            return category
    return SizeCategory.LARGE
