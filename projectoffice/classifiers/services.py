"""Writes to the reference data that users can extend (tags)."""

from __future__ import annotations

from projectoffice.classifiers.models import Tag


def tags_get_or_create(*, names: list[str]) -> list[Tag]:
    """Tags with these exact names, created where missing, in the order given."""
    existing = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    return [existing.get(name) or Tag.objects.get_or_create(name=name)[0] for name in names]
