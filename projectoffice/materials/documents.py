"""The teaser and the investment memorandum as DOCX (python-docx, A4) and PDF (Typst through lib.pdf, tagged, with
the document's language), in Russian or English. Only the filled sections are set; the office's working marks
(versions, outdated translations) stay out of the documents the funder reads."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from docx import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from projectoffice.lib import formats, pdf
from projectoffice.materials.models import SECTION_TITLES_EN, SECTIONS, Document, Lang, SectionKey
from projectoffice.materials.readiness import Sections, sections_of

DOC_TITLES = {
    (Document.TEASER, Lang.RU): "Тизер проекта",
    (Document.TEASER, Lang.EN): "Project teaser",
    (Document.MEMO, Lang.RU): "Инвестиционный меморандум",
    (Document.MEMO, Lang.EN): "Investment memorandum",
}
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")  # fmt: skip
LANGUAGE_TAGS = {Lang.RU: "ru-RU", Lang.EN: "en-GB"}
OFFICE = {Lang.RU: "Проектный офис цифрового развития Самарской области",
          Lang.EN: "Samara Region Digital Development Project Office"}  # fmt: skip


@dataclass(frozen=True)
class Material:
    project_title: str
    document: str
    lang: str
    organisation: str
    sections: list[tuple[str, str]]  # (heading, text), only the filled ones

    @property
    def kind_title(self) -> str:
        return DOC_TITLES[(Document(self.document), Lang(self.lang))]

    @property
    def title(self) -> str:
        return f"{self.kind_title}: {self.project_title}"

    def filename(self, extension: str) -> str:
        kind = "teaser" if self.document == Document.TEASER else "memorandum"
        return f"{kind}-{self.lang}.{extension}"


def material(project: Any, document: str, lang: str, *, found: Sections | None = None) -> Material:
    found = sections_of(project) if found is None else found
    title_section = found.get((Document.TEASER, SectionKey.TITLE, lang))
    title = title_section.text.strip() if title_section and title_section.text.strip() else project.title
    rows = []
    for key in SECTIONS[Document(document)]:
        if key == SectionKey.TITLE:
            continue
        section = found.get((document, key, lang))
        if section and section.text.strip():
            heading = SECTION_TITLES_EN[key] if lang == Lang.EN else SectionKey(key).label
            rows.append((heading, section.text))
    return Material(title, document, lang, str(project.lead_organisation), rows)


# A4 with the margins of GOST R 7.0.97-2016, as the application package (applications/documents.py).
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGINS = {"left_margin": Mm(30), "right_margin": Mm(15), "top_margin": Mm(20), "bottom_margin": Mm(20)}


def _page_setup(document: Any) -> None:
    for section in document.sections:
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        for name, value in MARGINS.items():
            setattr(section, name, value)


def _language(document: Any, tag: str) -> None:
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = defaults.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        defaults.append(lang)
    lang.set(qn("w:val"), tag)
    lang.set(qn("w:eastAsia"), tag)


def build_docx(item: Material) -> bytes:
    document = DocxDocument()
    _page_setup(document)
    _language(document, LANGUAGE_TAGS[Lang(item.lang)])
    properties = document.core_properties
    properties.title = item.title[:255]
    properties.author = properties.last_modified_by = item.organisation[:255]
    properties.language = LANGUAGE_TAGS[Lang(item.lang)]
    properties.created = properties.modified = timezone.now().replace(microsecond=0)
    properties.comments = properties.keywords = ""
    normal = document.styles["Normal"]
    normal.font.name = "DejaVu Sans"
    normal.font.size = Pt(10 if item.document == Document.TEASER else 11)
    document.add_heading(item.project_title, level=0)
    document.add_paragraph(_subtitle(item))
    for heading, text in item.sections:
        document.add_heading(heading, level=1)
        for line in text.split("\n"):
            document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _subtitle(item: Material) -> str:
    today = timezone.localdate()
    when = formats.date(today) if item.lang == Lang.RU else f"{today.day} {MONTHS_EN[today.month - 1]} {today.year}"
    return f"{item.kind_title} · {item.organisation} · {when}"


def build_pdf(item: Material) -> bytes:
    data = {
        "title": item.title,
        "author": item.organisation,
        "lang": item.lang,
        "teaser": item.document == Document.TEASER,
        "heading": item.project_title,
        "subtitle": _subtitle(item),
        "footer": OFFICE[Lang(item.lang)],
        "sections": [{"heading": h, "lines": t.split("\n")} for h, t in item.sections],
    }
    return pdf.render("materials/typst/material.typ", data)
