"""Reads of the classifiers for pickers and the API."""

from __future__ import annotations

from django.db.models import QuerySet

from projectoffice.classifiers.models import OkpdCode, OkvedCode

SCHEMES: dict[str, type[OkvedCode] | type[OkpdCode]] = {"okved2": OkvedCode, "okpd2": OkpdCode}


def code_suggestions(*, scheme: str, query: str, limit: int = 15) -> QuerySet:
    """Codes for the picker: by code prefix, or by every word of the name."""
    model = SCHEMES[scheme]
    if not query.strip():
        return model.objects.none()
    return model.objects.search(query).order_by("code")[:limit]
