"""Text folding for case-insensitive Cyrillic search (SQLite's LIKE folds ASCII only)."""

from __future__ import annotations

import re

_SPACES = re.compile(r"[^\w.]+")


def normalise(text: str) -> str:
    """Lower-case, ё→е, punctuation folded to single spaces."""
    return _SPACES.sub(" ", text.casefold().replace("ё", "е")).strip()
