"""Reads of the catalogue: filters, full-text search through the engine, closing soon."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Case, IntegerField, When
from django.utils import timezone

from projectoffice.accounts.rules import AnyUser, is_staff
from projectoffice.opportunities import search_index
from projectoffice.opportunities.models import (
    Opportunity,
    OpportunityQuerySet,
    OpportunityStatus,
    Tender,
    TenderBid,
    TenderContract,
)

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
        offered_opportunities()
        .for_region(settings.HOME_REGION_ISO)
        .filter(closes_on__gte=today, closes_on__lte=today + dt.timedelta(days=days))
        .select_related("region")
        .order_by("closes_on")[:limit]
    )


@dataclass
class WonTender:
    """A purchase an organisation won: from a concluded contract, else from a protocol naming it the winner."""

    purchase_number: str
    title: str
    customer_name: str
    price: Decimal | None
    currency: str
    day: dt.date | None
    evidence: str  # «контракт №…» or «протокол …»
    opportunity_id: int | None


def won_tenders(inn: str, *, limit: int | None = None) -> list[WonTender]:
    """Purchases the organisation with this INN won, newest first: contracts it signed as the supplier and
    protocols that name it the winner (one entry per purchase; the contract is preferred)."""
    if not inn:
        return []
    won: dict[str, WonTender] = {}
    contracts = TenderContract.objects.filter(supplier_inn=inn).select_related("tender__opportunity")
    for contract in contracts.order_by("-signed_on"):
        tender = contract.tender
        key = contract.purchase_number or contract.registry_number
        won.setdefault(
            key,
            WonTender(
                purchase_number=contract.purchase_number,
                title=tender.opportunity.title if tender else "",
                customer_name=contract.customer_name,
                price=contract.price,
                currency=contract.currency,
                day=contract.signed_on,
                evidence=f"контракт № {contract.registry_number}",
                opportunity_id=tender.opportunity_id if tender else None,
            ),
        )
    bids = TenderBid.objects.filter(participant_inn=inn, is_winner=True).select_related("tender__opportunity")
    for bid in bids.order_by("-tender__source_version_at"):
        tender = bid.tender
        won.setdefault(
            tender.registry_number,
            WonTender(
                purchase_number=tender.registry_number,
                title=tender.opportunity.title,
                customer_name=tender.customer_name,
                price=bid.price,
                currency=tender.currency,
                day=timezone.localdate(tender.source_version_at) if tender.source_version_at else None,
                evidence=f"протокол {bid.protocol_number or bid.document}",
                opportunity_id=tender.opportunity_id,
            ),
        )
    ordered = sorted(won.values(), key=lambda entry: entry.day or dt.date.min, reverse=True)
    return ordered[:limit] if limit else ordered


def won_tender_counts(inns: list[str]) -> dict[str, int]:
    """How many purchases each INN won (contracts as supplier or winning protocols): a signal for matching."""
    purchases: dict[str, set[str]] = {inn: set() for inn in inns if inn}
    contracts = TenderContract.objects.filter(supplier_inn__in=list(purchases))
    for inn, purchase, registry in contracts.values_list("supplier_inn", "purchase_number", "registry_number"):
        purchases[inn].add(purchase or registry)
    bids = TenderBid.objects.filter(participant_inn__in=list(purchases), is_winner=True)
    for inn, purchase in bids.values_list("participant_inn", "tender__registry_number"):
        purchases[inn].add(purchase)
    return {inn: len(numbers) for inn, numbers in purchases.items()}


def offered_opportunities() -> OpportunityQuerySet:
    """Published opportunities that may be offered to the region's organisations: other countries' tenders
    only when asked for (the catalogue's «Все регионы»), never by default."""
    return Opportunity.objects.published().domestic()


def tender_parts(tender: Tender | None) -> dict[str, Any]:
    """What a tender's page shows besides its items: lots, customers, applications with the winner (and how many
    purchases each participant won), contracts."""
    if tender is None:
        return {"tender_lots": [], "tender_customers": [], "tender_bids": [], "tender_contracts": []}
    bids = list(tender.bids.order_by("-is_winner", "rank", "id")[:200])
    wins = won_tender_counts(sorted({bid.participant_inn for bid in bids if bid.participant_inn}))
    return {
        "tender_lots": list(tender.lots.all()[:200]),
        "tender_customers": list(tender.customers.all()[:200]),
        "tender_bids": [(bid, wins.get(bid.participant_inn, 0)) for bid in bids],
        "tender_contracts": list(tender.contracts.all()[:50]),
    }
