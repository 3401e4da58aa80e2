"""The application package as DOCX (python-docx), PDF (reportlab, the fonts of lib.pdf_fonts) and ZIP."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from projectoffice.applications.models import Application
from projectoffice.lib import formats, pdf_fonts


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


def build_docx(ctx: PackageContext) -> bytes:
    document = Document()
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
    document.add_heading("Бюджет проекта, руб.", level=1)
    _docx_table(document, _budget_rows(ctx))
    document.add_heading("Перечень документов", level=1)
    _docx_table(document, _checklist_rows(ctx))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx_table(document: Any, rows: list[list[str]]) -> None:
    """A grid table; cells are reached through each row once (python-docx's table.cell() is quadratic)."""
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for r, (row, cells) in enumerate(zip(rows, (row.cells for row in table.rows), strict=True)):
        for value, cell in zip(row, cells, strict=True):
            cell.text = value
            if r == 0:
                for run in cell.paragraphs[0].runs:
                    run.bold = True


def build_pdf(ctx: PackageContext) -> bytes:
    pdf_fonts.register_fonts()
    body = ParagraphStyle("body", fontName=pdf_fonts.REGULAR, fontSize=10, leading=14)
    heading = ParagraphStyle("heading", fontName=pdf_fonts.BOLD, fontSize=13, leading=18, spaceBefore=10, spaceAfter=6)
    cover = ParagraphStyle("cover", fontName=pdf_fonts.BOLD, fontSize=18, leading=24, alignment=1, spaceAfter=14)
    cell = ParagraphStyle("cell", fontName=pdf_fonts.REGULAR, fontSize=8, leading=10)
    story: list[Any] = [Spacer(1, 40 * mm), Paragraph("ЗАЯВКА", cover), Paragraph(escape(ctx.title), cover)]
    for label, value in _cover_facts(ctx):
        story.append(Paragraph(f"<b>{escape(label)}:</b> {escape(value)}", body))
    story.append(PageBreak())
    for number, (title, text) in enumerate(ctx.sections, start=1):
        story.append(Paragraph(f"{number}. {escape(title)}", heading))
        for line in (text or "—").split("\n"):
            story.append(Paragraph(escape(line) or "&nbsp;", body))
    for title, rows, widths in [
        ("Бюджет проекта, руб.", _budget_rows(ctx), [50, 30, 30, 34, 30]),
        ("Перечень документов", _checklist_rows(ctx), [70, 25, 85]),
    ]:
        story.append(Paragraph(title, heading))
        table = Table(
            [[Paragraph(escape(v), cell) for v in row] for row in rows],
            colWidths=[w * mm for w in widths],
            repeatRows=1,
        )
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8edf7")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(table)
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=ctx.title,
        author=ctx.organisation,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
    ).build(story)
    return buffer.getvalue()


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
