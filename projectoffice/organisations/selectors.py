"""Reads of the registry, with the filters the list page and the API share."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from projectoffice.organisations.models import Organisation, OrganisationQuerySet


def organisation_list(*, filters: dict[str, Any] | None = None) -> OrganisationQuerySet:
    """Organisations matching the filters, with what a list row shows loaded in a fixed number of queries."""
    filters = filters or {}
    qs = Organisation.objects.select_related("region", "main_okved").prefetch_related("technologies")
    if filters.get("q"):
        qs = qs.search(filters["q"])
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("region"):
        qs = qs.filter(region=filters["region"])
    if filters.get("okved"):
        code = filters["okved"].strip()
        qs = qs.filter(Q(main_okved__code__startswith=code) | Q(extra_okveds__code__startswith=code)).distinct()
    if filters.get("size"):
        qs = qs.filter(size_category=filters["size"])
    if filters.get("accredited"):
        qs = qs.filter(it_accredited=True)
    if filters.get("tag"):
        qs = qs.filter(Q(technologies__name=filters["tag"]) | Q(competencies__name=filters["tag"])).distinct()
    return qs.order_by("name", "pk")


def organisation_detail(*, pk: int) -> Organisation:
    """One organisation with everything its page shows."""
    return (
        Organisation.objects.select_related("region", "main_okved")
        .prefetch_related("extra_okveds", "technologies", "competencies", "products", "contacts", "figures")
        .get(pk=pk)
    )


def organisation_counts_by_kind() -> dict[str, int]:
    rows = Organisation.objects.values("kind").annotate(n=Count("id"))
    return {row["kind"]: row["n"] for row in rows}
