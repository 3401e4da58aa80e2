"""Text folding for case-insensitive Cyrillic search (SQLite's LIKE folds ASCII only)."""

from __future__ import annotations

import re
from typing import Any, TypeVar

from django.db.models import QuerySet

_SPACES = re.compile(r"[^\w.]+")


def normalise(text: str) -> str:
    """Lower-case, ё→е, punctuation folded to single spaces."""
    return _SPACES.sub(" ", text.casefold().replace("ё", "е")).strip()


QS = TypeVar("QS", bound=QuerySet[Any])


def filter_words(queryset: QS, query: str) -> QS:
    """Rows whose folded `search_text` contains every word of the query."""
    for word in normalise(query).split():
        queryset = queryset.filter(search_text__contains=word)
    return queryset
