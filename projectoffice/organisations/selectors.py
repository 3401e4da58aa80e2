"""Reads of the registry, with the filters the list page and the API share."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Case, CharField, Count, F, IntegerField, OrderBy, Q, Value, When
from django.db.models.functions import Coalesce, NullIf

from projectoffice.organisations.models import Organisation, OrganisationKind, OrganisationQuerySet
from projectoffice.organisations.sizes import SizeCategory

# The registry's sortable columns; "-key" sorts the other way. Rows without a value come last either way.
ORGANISATION_SORTS = ("name", "kind", "size", "founded")


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
    return qs.annotate(shown_name=SHOWN_NAME).order_by(*_ordering(filters.get("sort") or "name"))


# What the list shows as the name (str(organisation)): the short name, else the full legal name.
SHOWN_NAME = Coalesce(NullIf("short_name", Value("")), "name", output_field=CharField())


def _ordering(sort: str) -> list[OrderBy]:
    descending = sort.startswith("-")
    column = sort.lstrip("-")
    key: Any = {
        "kind": Case(*[When(kind=value, then=Value(str(label))) for value, label in OrganisationKind.choices],
                     output_field=CharField()),
        "size": Case(*[When(size_category=value, then=Value(rank)) for rank, value in enumerate(SizeCategory.values)],
                     default=None, output_field=IntegerField()),
        "founded": F("founded_on"),
    }.get(column, F("shown_name"))  # fmt: skip
    first = key.desc(nulls_last=True) if descending else key.asc(nulls_last=True)
    return [first, F("shown_name").asc(), F("pk").asc()]


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


LEGAL_FORM = re.compile(r"^(?:ооо|оао|зао|пао|ао|ип|ано|нко|фгбоу во|фгаоу во|фгбу|гбу|гку|мку|муп|гуп)\s+")


def name_key(name: str) -> str:
    """An organisation's name as people type it, for matching: no case (Cyrillic too), quotes or legal form."""
    key = " ".join(re.sub(r"[«»\"'“”„]", " ", name).casefold().split())
    return LEGAL_FORM.sub("", key)


def organisations_named(names: Iterable[str], *, kind: str) -> dict[str, list[int]]:
    """Typed name → the organisations of this kind it names: their full or short name, without regard to case,
    quotes or the legal form («ооо волга софт» is «Волга Софт»). Names that match nothing are left out."""
    by_key: dict[str, list[str]] = defaultdict(list)
    for name in names:
        by_key[name_key(name)].append(name)
    found: dict[str, list[int]] = defaultdict(list)
    if not by_key:
        return {}
    for pk, short, full in (
        Organisation.objects.filter(kind=kind).order_by("pk").values_list("pk", "short_name", "name")
    ):
        for key in {name_key(short), name_key(full)} - {""}:
            for name in by_key.get(key, []):
                found[name].append(pk)
    return dict(found)


def organisation_names(ids: Iterable[int]) -> dict[int, str]:
    """Organisation → its full legal name."""
    return dict(Organisation.objects.filter(pk__in=list(ids)).values_list("pk", "name"))
