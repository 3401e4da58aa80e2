"""Reads of the catalogue: filters, full-text search through the engine, closing soon."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Case, IntegerField, When
from django.utils import timezone

from projectoffice.accounts.rules import AnyUser, is_staff
from projectoffice.opportunities import search_index
from projectoffice.opportunities.models import Opportunity, OpportunityQuerySet, OpportunityStatus

SEARCH_CANDIDATES = 1000
# Values of the catalogue's region filter besides an ISO code: the home region with federal measures, or all.
HOME_REGION, ALL_REGIONS = "home", "all"


def opportunities_visible_to(user: AnyUser) -> OpportunityQuerySet:
    qs = Opportunity.objects.all()
    return qs if is_staff(user) else qs.exclude(status=OpportunityStatus.DRAFT)


def opportunity_list(*, user: AnyUser, filters: dict[str, Any] | None = None) -> OpportunityQuerySet:
    """The catalogue with filters; with a query, ranked by the search engine's relevance."""
    filters = filters or {}
    qs = opportunities_visible_to(user).select_related("region", "tender")
    status = filters.get("status") or ("" if filters.get("q") else OpportunityStatus.PUBLISHED)
    if status:
        qs = qs.filter(status=status)
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("provider"):
        qs = qs.filter(provider_name__icontains=filters["provider"])
    if filters.get("amount_min") is not None:
        qs = qs.filter(amount_max__gte=Decimal(filters["amount_min"]))
    if filters.get("closes_before"):
        qs = qs.filter(closes_on__lte=filters["closes_before"], closes_on__gte=timezone.localdate())
    if filters.get("audience"):
        qs = qs.filter(audience_kinds__icontains=f'"{filters["audience"]}"')
    region = filters.get("region") or ALL_REGIONS
    if region == HOME_REGION:
        qs = qs.for_region(settings.HOME_REGION_ISO)
    elif region != ALL_REGIONS:
        qs = qs.filter(region__iso_code=region)
    query = (filters.get("q") or "").strip()
    if query:
        hits = search_index.search(query, limit=SEARCH_CANDIDATES)
        order = Case(*[When(pk=pk, then=rank) for rank, pk in enumerate(hits)], output_field=IntegerField())
        return qs.filter(pk__in=hits).order_by(order)
    return qs.order_by("closes_on", "title")


def closing_soon(*, days: int = 30, today: dt.date | None = None, limit: int = 50) -> OpportunityQuerySet:
    """Published measures of the home region and federal ones whose applications close within `days`."""
    today = today or timezone.localdate()
    return (
        Opportunity.objects.published()
        .for_region(settings.HOME_REGION_ISO)
        .filter(closes_on__gte=today, closes_on__lte=today + dt.timedelta(days=days))
        .select_related("region")
        .order_by("closes_on")[:limit]
    )
