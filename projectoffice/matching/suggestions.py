"""Code suggestions for pages: the auto-coder's top codes with their classifier names."""

from __future__ import annotations

from dataclasses import dataclass

from projectoffice.classifiers.models import OkpdCode, OkvedCode
from projectoffice.matching.coding import classify


@dataclass(frozen=True)
class Suggestion:
    scheme: str
    code: str
    name: str
    score: float


def suggest_codes(text: str, *, top: int = 3) -> list[Suggestion]:
    """Top OKPD2 and OKVED2 codes for the text (two queries for the names)."""
    okpd = classify(text, scheme="okpd2", top=top)
    okved = classify(text, scheme="okved2", top=top)
    okpd_names = dict(OkpdCode.objects.filter(code__in=[c.code for c in okpd]).values_list("code", "name"))
    okved_names = dict(OkvedCode.objects.filter(code__in=[c.code for c in okved]).values_list("code", "name"))
    return [Suggestion("ОКПД2", c.code, okpd_names.get(c.code, ""), c.score) for c in okpd] + [
        Suggestion("ОКВЭД2", c.code, okved_names.get(c.code, ""), c.score) for c in okved
    ]
