"""Writes to the reference data that users can extend (tags)."""

from __future__ import annotations

from projectoffice.classifiers.models import Tag
from projectoffice.lib.cleaning import strip_invisible


def tags_get_or_create(*, names: list[str]) -> list[Tag]:
    """Tags with these exact names, created where missing, in the order given."""
    names = [name for name in (" ".join(strip_invisible(name).split()) for name in names) if name]
    existing = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    return [existing.get(name) or Tag.objects.get_or_create(name=name)[0] for name in names]
