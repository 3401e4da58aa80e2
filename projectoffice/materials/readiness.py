"""Are a project's materials ready for a class of funder, and the teaser the public showcase shows.

The rules, from what each kind of funder reads first (documented in the README, «Материалы проекта и комната данных»):

- every class: the Russian teaser whole (title, summary, problem, solution, market, team, financials and the ask) and
  the Russian memorandum's core (problem, solution, market, team, traction, financials and the ask, use of funds,
  risks);
- federal institute of development (VEB.RF, the Industrial Development Fund, RVC and the like lend or invest against
  a business plan): the financial model and payback;
- large company (open-innovation channels buy a pilot first): the pilot scope and the integration plan;
- interstate fund (the Eurasian Development Bank, the IIB, the NDB finance projects of several member states): the
  participating countries and partners abroad, and the financial model and payback;
- foreign business: the English teaser and memorandum complete, no English section behind its Russian version;
- structure of interstate cooperation (the EAEU, the SCO and BRICS bodies): the participating countries and partners
  abroad, and the English teaser complete and current.
"""

from __future__ import annotations

from typing import Any

from projectoffice.materials.funder_classes import FunderClass
from projectoffice.materials.models import (
    MEMO_SECTIONS,
    SECTION_TITLES_EN,
    TEASER_SECTIONS,
    Document,
    Lang,
    Section,
    SectionKey,
)

MEMO_CORE = [SectionKey.PROBLEM, SectionKey.SOLUTION, SectionKey.MARKET, SectionKey.TEAM, SectionKey.TRACTION,
             SectionKey.FINANCIALS, SectionKey.USE_OF_FUNDS, SectionKey.RISKS]  # fmt: skip
EXTRA_MEMO: dict[str, list[SectionKey]] = {
    FunderClass.FEDERAL_INSTITUTE: [SectionKey.PAYBACK],
    FunderClass.LARGE_COMPANY: [SectionKey.PILOT_SCOPE, SectionKey.INTEGRATION],
    FunderClass.INTERSTATE_FUND: [SectionKey.PARTNERS_ABROAD, SectionKey.PAYBACK],
    FunderClass.FOREIGN_BUSINESS: [],
    FunderClass.INTERSTATE_BODY: [SectionKey.PARTNERS_ABROAD],
}
# Which English documents a class reads: the whole of each, translated from the current Russian text.
ENGLISH: dict[str, list[str]] = {
    FunderClass.FOREIGN_BUSINESS: [Document.TEASER, Document.MEMO],
    FunderClass.INTERSTATE_BODY: [Document.TEASER],
}
DOC_NAMES: dict[str, str] = {Document.TEASER: "тизер", Document.MEMO: "меморандум"}

Sections = dict[tuple[str, str, str], Section]


def sections_of(project: Any) -> Sections:
    """The project's sections by (document, key, lang); uses a prefetch of `material_sections` when there is one."""
    return {(s.document, s.key, s.lang): s for s in project.material_sections.all()}


def is_outdated(english: Section | None, russian: Section | None) -> bool:
    """An English section translates an older version of its Russian section."""
    if english is None or russian is None or not english.text.strip():
        return False
    return english.source_version is None or english.source_version < russian.version


def _filled(found: Sections, document: str, key: str, lang: str) -> bool:
    section = found.get((document, key, lang))
    return bool(section and section.text.strip())


def required_russian(funder_class: str) -> dict[str, list[SectionKey]]:
    extra = EXTRA_MEMO.get(funder_class, [])
    return {Document.TEASER: list(TEASER_SECTIONS), Document.MEMO: MEMO_CORE + [k for k in extra if k not in MEMO_CORE]}


def materials_complete(project: Any, funder_class: str, *, found: Sections | None = None) -> tuple[bool, list[str]]:
    """(complete, what is missing in Russian) for the materials of `project` shown to a funder of `funder_class`."""
    if funder_class not in FunderClass.values:
        raise ValueError(f"Неизвестный класс инвесторов: {funder_class}")
    found = sections_of(project) if found is None else found
    missing: list[str] = []
    required = required_russian(funder_class)
    for document, keys in required.items():
        for key in keys:
            if not _filled(found, document, key, Lang.RU):
                missing.append(f"{DOC_NAMES[document].capitalize()}: не заполнен раздел «{SectionKey(key).label}»")
    for document in ENGLISH.get(funder_class, []):
        keys = (
            required[document]
            if document == Document.TEASER
            else [k for k in MEMO_SECTIONS if _filled(found, document, k, Lang.RU) or k in required[document]]
        )
        for key in keys:
            label = SectionKey(key).label
            english = found.get((document, key, Lang.EN))
            if not _filled(found, document, key, Lang.EN):
                missing.append(f"{DOC_NAMES[document].capitalize()} на английском: нет перевода раздела «{label}»")
            elif is_outdated(english, found.get((document, key, Lang.RU))):
                missing.append(f"{DOC_NAMES[document].capitalize()} на английском: перевод устарел — «{label}»")
    return not missing, missing


def teaser(project: Any, lang: str, *, found: Sections | None = None) -> dict[str, Any] | None:
    """The teaser for the showcase: {"title", "lang", "sections": [{"key", "heading", "text", "outdated"}],
    "outdated"}; None when the teaser in `lang` is not whole (a section is empty)."""
    if lang not in Lang.values:
        return None
    found = sections_of(project) if found is None else found
    if not all(_filled(found, Document.TEASER, key, lang) for key in TEASER_SECTIONS):
        return None
    rows = []
    for key in TEASER_SECTIONS[1:]:
        section = found[(Document.TEASER, key, lang)]
        outdated = lang == Lang.EN and is_outdated(section, found.get((Document.TEASER, key, Lang.RU)))
        heading = SECTION_TITLES_EN[key] if lang == Lang.EN else SectionKey(key).label
        rows.append({"key": str(key), "heading": heading, "text": section.text, "outdated": outdated})
    title = found[(Document.TEASER, SectionKey.TITLE, lang)].text.strip()
    return {"title": title, "lang": lang, "sections": rows, "outdated": any(r["outdated"] for r in rows)}
