"""The таблица учёта замечаний и предложений as DOCX (python-docx) and XLSX (typed cells, formula-safe)."""

from __future__ import annotations

import io

from django.utils import timezone
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Pt

from projectoffice.lib import formats, spreadsheets
from projectoffice.lib.spreadsheets import Column
from projectoffice.participation.models import Process, Remark

HEADERS = ["№", "Редакция", "Пункт", "Цитата", "Замечание или предложение", "Автор или организация", "Решение",
           "Обоснование", "Подано"]  # fmt: skip


def who(remark: Remark) -> str:
    person = formats.person(remark.author)
    return f"{remark.organisation} ({person})" if remark.organisation_id else person


def _row(n: int, r: Remark) -> list[object]:
    return [n, r.paragraph.version.number, f"п. {r.paragraph.number}", r.quote, r.text, who(r),
            r.get_disposition_display(), r.justification, r.created_at]  # fmt: skip


def register_docx(process: Process, remarks: list[Remark]) -> bytes:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    document.add_heading("Таблица учёта замечаний и предложений", level=1)
    document.add_paragraph(f"{process.title}. Сформирована {formats.datetime(timezone.now())}.")
    table = document.add_table(rows=1, cols=len(HEADERS))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, HEADERS, strict=True):
        cell.text = header
        cell.paragraphs[0].runs[0].bold = True
    for n, remark in enumerate(remarks, 1):
        values = _row(n, remark)
        values[-1] = formats.date(remark.created_at)
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = str(value)
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(9)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


COLUMNS = [
    Column("№", 10, formats.XLSX_INTEGER),
    Column("Редакция", 10, formats.XLSX_INTEGER),
    Column("Пункт", 10),
    Column("Цитата", 40),
    Column("Замечание или предложение", 60),
    Column("Автор или организация", 30),
    Column("Решение", 18),
    Column("Обоснование", 50),
    Column("Подано", 18, formats.XLSX_DATETIME),
]


def register_xlsx(process: Process, remarks: list[Remark]) -> bytes:
    book, sheet = spreadsheets.workbook("Замечания")
    spreadsheets.write_table(sheet, COLUMNS, (_row(n, r) for n, r in enumerate(remarks, 1)))
    return spreadsheets.xlsx_bytes(book)
