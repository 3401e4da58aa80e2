"""The application package as DOCX (python-docx), PDF (Typst through lib.pdf) and ZIP."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from projectoffice.applications.models import Application
from projectoffice.lib import formats, pdf


@dataclass(frozen=True)
class BudgetRow:
    name: str
    own_funds: Decimal
    requested: Decimal
    cofinancing: Decimal
    partner: str

    @property
    def total(self) -> Decimal:
        return self.own_funds + self.requested + self.cofinancing


@dataclass(frozen=True)
class ChecklistRow:
    document: str
    required: bool
    files: list[str]


@dataclass(frozen=True)
class PackageContext:
    """Everything the documents show, read once from the database. The package goes to the funder, so the office's
    own working figures (readiness, gaps, reviews, comments) are not part of it."""

    title: str
    opportunity: str
    provider: str
    organisation: str
    inn: str
    region: str
    deadline: str
    status: str
    sections: list[tuple[str, str]]
    budget: list[BudgetRow]
    checklist: list[ChecklistRow]
    extra_files: list[str] = field(default_factory=list)

    @property
    def totals(self) -> BudgetRow:
        return BudgetRow(
            "Итого",
            sum((r.own_funds for r in self.budget), Decimal(0)),
            sum((r.requested for r in self.budget), Decimal(0)),
            sum((r.cofinancing for r in self.budget), Decimal(0)),
            "",
        )


def package_context(application: Application) -> PackageContext:
    project, organisation = application.project, application.project.lead_organisation
    attachments = list(application.attachments.all())
    by_document: dict[int | None, list[str]] = {}
    for attachment in attachments:
        by_document.setdefault(attachment.document_id, []).append(attachment.original_name)
    return PackageContext(
        title=project.title,
        opportunity=application.opportunity.title,
        provider=application.opportunity.provider_name,
        organisation=organisation.name,
        inn=organisation.inn,
        region=str(organisation.region),
        deadline=formats.date(application.deadline) or "не указан",
        status=application.get_status_display(),
        sections=[(st.section.title, st.text) for st in application.sections.select_related("section")],
        budget=[
            BudgetRow(i.name, i.own_funds, i.requested, i.cofinancing, str(i.cofinancing_partner or ""))
            for i in application.budget.select_related("cofinancing_partner")
        ],
        checklist=[
            ChecklistRow(d.name, d.is_required, by_document.get(d.pk, [])) for d in application.template.documents.all()
        ],
        extra_files=by_document.get(None, []),
    )


def _money(value: Decimal) -> str:
    return formats.money(value, kopecks=True)


BUDGET_HEADER = ["Статья", "Собственные средства", "Поддержка", "Софинансирование", "Всего"]


def _budget_rows(ctx: PackageContext) -> list[list[str]]:
    rows = [
        [
            r.name + (f" ({r.partner})" if r.partner else ""),
            _money(r.own_funds),
            _money(r.requested),
            _money(r.cofinancing),
            _money(r.total),
        ]
        for r in ctx.budget
    ]
    t = ctx.totals
    return [
        BUDGET_HEADER,
        *rows,
        [t.name, _money(t.own_funds), _money(t.requested), _money(t.cofinancing), _money(t.total)],
    ]


def _cover_facts(ctx: PackageContext) -> list[tuple[str, str]]:
    """The labelled facts on the cover of both the DOCX and the PDF."""
    return [
        ("Конкурс / мера поддержки", ctx.opportunity),
        ("Организатор", ctx.provider),
        ("Заявитель", f"{ctx.organisation}, ИНН {ctx.inn}"),
        ("Регион", ctx.region),
        ("Срок подачи", ctx.deadline),
    ]


def _checklist_rows(ctx: PackageContext) -> list[list[str]]:
    rows = [["Документ", "Обязателен", "Приложенные файлы"]]
    rows += [[c.document, "да" if c.required else "нет", ", ".join(c.files) or "—"] for c in ctx.checklist]
    if ctx.extra_files:
        rows.append(["Прочие файлы", "нет", ", ".join(ctx.extra_files)])
    return rows


# GOST R 7.0.97-2016 (the usual reference for Russian documents): A4, left 30 mm, right 10–15 mm, top and bottom 20 mm.
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGINS = {"left_margin": Mm(30), "right_margin": Mm(15), "top_margin": Mm(20), "bottom_margin": Mm(20)}
TEXT_WIDTH_MM = 210 - 30 - 15
TABLE_FONT = Pt(8)
CELL_PADDING_MM = 4.5  # Word's and LibreOffice's cell margins (1.9 mm each side) and the borders
COLUMN_MAX_MM = 60.0
FIRST_COLUMN_MIN_MM = 30.0
NARROW = frozenset(" \u00a0,.:;()-–—")
PT_MM = 25.4 / 72
LANGUAGE = "ru-RU"
CORE_PROPERTY_MAX = 255


def build_docx(ctx: PackageContext) -> bytes:
    document = Document()
    _page_setup(document)
    _russian(document)
    _core_properties(document, ctx)
    normal = document.styles["Normal"]
    normal.font.name = "DejaVu Sans"
    normal.font.size = Pt(11)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run("ЗАЯВКА").bold = True
    document.add_heading(ctx.title, level=0)
    for label, value in _cover_facts(ctx):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)
    document.add_page_break()
    for number, (heading, text) in enumerate(ctx.sections, start=1):
        document.add_heading(f"{number}. {heading}", level=1)
        for line in (text or "—").split("\n"):
            document.add_paragraph(line)
    document.add_heading("Бюджет проекта", level=1)
    _docx_table(document, _budget_rows(ctx), numeric=True)
    document.add_heading("Перечень документов", level=1)
    _docx_table(document, _checklist_rows(ctx))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _page_setup(document: Any) -> None:
    for section in document.sections:
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        for name, value in MARGINS.items():
            setattr(section, name, value)


def _russian(document: Any) -> None:
    """The document's language is Russian (spelling, hyphenation, screen readers): the default run properties of
    the styles, the theme's font language and python-docx's second copy of the styles."""
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = defaults.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        defaults.append(lang)
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)
    theme_lang = document.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), LANGUAGE)
        theme_lang.set(qn("w:eastAsia"), LANGUAGE)
    for part in document.part.package.iter_parts():
        if str(part.partname).endswith("stylesWithEffects.xml"):
            part._blob = part.blob.replace(b'w:val="en-US" w:eastAsia="en-US"', b'w:val="ru-RU" w:eastAsia="ru-RU"')


def _core_properties(document: Any, ctx: PackageContext) -> None:
    """Title, author (the applying organisation), the moment it was made, Russian; nothing left from the template."""
    now = timezone.now().replace(microsecond=0)
    properties = document.core_properties
    properties.title = _property(ctx.title)
    properties.subject = _property(ctx.opportunity)
    properties.author = properties.last_modified_by = _property(ctx.organisation)
    properties.comments = ""
    properties.keywords = ""
    properties.language = LANGUAGE
    properties.created = properties.modified = now
    properties.revision = 1


def _property(text: str) -> str:
    """A core property holds at most 255 characters (OOXML); a longer name is cut with an ellipsis."""
    return text if len(text) <= CORE_PROPERTY_MAX else text[: CORE_PROPERTY_MAX - 1] + "…"


def _text_mm(word: str) -> float:
    """The width of `word` in the table font, bold, by the widths of DejaVu Sans Bold (digits 0.7 em, spaces and
    punctuation 0.35 em, letters 0.75 em; a little generous, so nothing breaks in Word or LibreOffice)."""
    ems = sum(0.35 if c in NARROW else 0.7 if c.isdigit() else 0.75 for c in word)
    return ems * TABLE_FONT.pt * PT_MM


def _column_widths(rows: list[list[str]]) -> list[float]:
    """Millimetres per column: each column but the first as wide as its longest unbreakable piece of text (an
    amount is one piece: its spaces do not break; at most COLUMN_MAX_MM), the first takes the rest of the line."""
    widths = [
        min(max(_text_mm(word) for row in rows for word in row[index].split(" ")) + CELL_PADDING_MM, COLUMN_MAX_MM)
        for index in range(len(rows[0]))
    ]
    rest = TEXT_WIDTH_MM - sum(widths[1:])
    return [max(rest, FIRST_COLUMN_MIN_MM), *widths[1:]]


def _docx_table(document: Any, rows: list[list[str]], *, numeric: bool = False) -> None:
    """A grid table sized to its content, amounts aligned right; cells are reached through each row once
    (python-docx's table.cell() is quadratic)."""
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    table.autofit = False
    widths = [Mm(w) for w in _column_widths(rows)]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for r, (row, cells) in enumerate(zip(rows, (row.cells for row in table.rows), strict=True)):
        for c, (value, cell, width) in enumerate(zip(row, cells, widths, strict=True)):
            cell.width = width
            cell.text = value
            paragraph = cell.paragraphs[0]
            if numeric and c > 0 and r > 0:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            for run in paragraph.runs:
                run.font.size = TABLE_FONT
                run.bold = r == 0 or None


def build_pdf(ctx: PackageContext) -> bytes:
    """The package as a tagged PDF (lib.pdf): headings, paragraphs and the two tables in reading order."""
    return pdf.render(
        "applications/typst/package.typ",
        {
            "title": ctx.title,
            "author": ctx.organisation,
            "facts": _cover_facts(ctx),
            "sections": [
                {"heading": f"{number}. {heading}", "lines": (text or "—").split("\n")}
                for number, (heading, text) in enumerate(ctx.sections, start=1)
            ],
            "budget": _budget_rows(ctx),
            "budget_widths": _column_widths(_budget_rows(ctx)),
            "checklist": _checklist_rows(ctx),
            "checklist_widths": _column_widths(_checklist_rows(ctx)),
        },
    )


def build_zip(application: Application) -> bytes:
    """The DOCX, the PDF and every attachment, in folders by checklist item."""
    ctx = package_context(application)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("заявка.docx", build_docx(ctx))
        archive.writestr("заявка.pdf", build_pdf(ctx))
        for attachment in application.attachments.select_related("document"):
            folder = attachment.document.name if attachment.document else "прочее"
            with attachment.file.open("rb") as handle:
                archive.writestr(f"документы/{folder[:80]}/{attachment.original_name}", handle.read())
    return buffer.getvalue()


PACKAGE_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "zip": "application/zip",
}


@dataclass(frozen=True)
class Package:
    """The package in one format, as it is downloaded from the page and from the API."""

    content: bytes
    content_type: str
    filename: str


def build_package(application: Application, kind: str) -> Package:
    """The package as DOCX, PDF or ZIP (PACKAGE_TYPES); any other kind is a ValueError."""
    if kind == "docx":
        content = build_docx(package_context(application))
    elif kind == "pdf":
        content = build_pdf(package_context(application))
    elif kind == "zip":
        content = build_zip(application)
    else:
        raise ValueError(kind)
    return Package(content, PACKAGE_TYPES[kind], f"application-{application.pk}.{kind}")
