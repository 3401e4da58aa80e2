"""Text typed by people loses invisible characters before it is stored.

Right-to-left overrides, zero-width spaces and other format (Cf) and control (Cc) characters make a title
read differently from what it is («txt.exe» shown as «exe.txt»), defeat search and duplicate checks, and
never carry meaning in a form field. Tabs and line breaks stay.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.db import models

_KEPT = {"\t", "\n", "\r"}


def strip_invisible(text: str) -> str:
    """The text without format and control characters (tab and line breaks kept)."""
    if text.isprintable():  # fast path: nothing to remove
        return text
    return "".join(ch for ch in text if ch in _KEPT or unicodedata.category(ch) not in {"Cf", "Cc"})


class CleanTextMixin:
    """Strips invisible characters from every text field when the model is validated (full_clean)."""

    _meta: Any

    def clean_fields(self, exclude: Any = None) -> None:
        for field in self._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField) and (not exclude or field.name not in exclude):
                value = getattr(self, field.attname)
                if isinstance(value, str):
                    setattr(self, field.attname, strip_invisible(value))
        super().clean_fields(exclude=exclude)  # type: ignore[misc]
