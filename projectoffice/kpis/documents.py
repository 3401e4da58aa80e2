"""The quarterly report as XLSX (openpyxl) and PDF (reportlab, DejaVu fonts), built from the frozen snapshot."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from projectoffice.applications.documents import _register_fonts
from projectoffice.organisations.spreadsheets import neutralise

HEADERS = {
    "indicator": "Показатель",
    "unit": "Ед.",
    "target_year": "План на год",
    "target_quarter": "План на квартал",
    "fact_quarter": "Факт за квартал",
    "fact_cumulative": "Факт с начала года",
    "percent": "% годового плана",
    "comment": "Комментарий",
}


def _cell(item: dict[str, Any], column: str) -> str:
    value = item["name"] if column == "indicator" else item.get(column)
    return "—" if value in (None, "") else str(value)


def report_rows(snapshot: dict[str, Any]) -> list[list[str]]:
    columns = snapshot.get("columns") or list(HEADERS)
    return [[HEADERS[c] for c in columns], *[[_cell(item, c) for c in columns] for item in snapshot["indicators"]]]


def report_xlsx(snapshot: dict[str, Any], sha: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = f"{snapshot['quarter']} кв. {snapshot['year']}"
    sheet.append([f"Отчёт о достижении показателей за {snapshot['quarter']} квартал {snapshot['year']} г."])
    sheet["A1"].font = Font(bold=True, size=13)
    for row in report_rows(snapshot):
        sheet.append([neutralise(v) for v in row])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 60
    records = workbook.create_sheet("Записи")
    records.append(["Показатель", "Вид", "Запись", "Дата", "Значение", "Адрес"])
    for item in snapshot["indicators"]:
        for record in item["records"]:
            records.append(
                [
                    neutralise(v)
                    for v in (
                        item["code"],
                        record["kind"],
                        record["label"],
                        record["day"],
                        record["value"],
                        record["url"],
                    )
                ]
            )
    sheet.append([])
    sheet.append([f"SHA-256 замороженных данных: {sha}"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def report_pdf(snapshot: dict[str, Any], sha: str) -> bytes:
    _register_fonts()
    title = ParagraphStyle("t", fontName="DejaVuSans-Bold", fontSize=14, leading=18, spaceAfter=8)
    cell = ParagraphStyle("c", fontName="DejaVuSans", fontSize=8, leading=10)
    small = ParagraphStyle("s", fontName="DejaVuSans", fontSize=7, leading=9)
    rows = report_rows(snapshot)
    table = Table([[Paragraph(escape(v), cell) for v in row] for row in rows], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8edf7")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story = [
        Paragraph(f"Отчёт о достижении показателей за {snapshot['quarter']} квартал {snapshot['year']} г.", title),
        table,
        Spacer(1, 6 * mm),
        Paragraph(f"Сформирован {escape(snapshot['generated_at'][:16])}. SHA-256 замороженных данных: {sha}", small),
    ]
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        title=f"Отчёт {snapshot['quarter']} кв. {snapshot['year']}",
        leftMargin=12 * mm,
        rightMargin=12 * mm,
    ).build(story)
    return buffer.getvalue()
