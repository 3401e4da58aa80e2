"""The attendee list of an event as XLSX: registration times as real dates in local time, counts as numbers."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from projectoffice.events.models import Event
from projectoffice.lib import formats
from projectoffice.organisations.spreadsheets import neutralise

HEADERS = ["ФИО", "Эл. почта", "Организация", "Телефон", "Статус", "Билет", "Отметок", "Зарегистрирован"]
WIDTHS = [36, 30, 36, 18, 18, 14, 10, 18]


def attendees_xlsx(event: Event) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Участники"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for r in event.registrations.prefetch_related("checkins").order_by("created_at"):
        texts = [r.full_name, r.email, r.organisation_name, r.phone, r.get_status_display(), r.ticket_code]
        sheet.append([*(neutralise(v) for v in texts), len(r.checkins.all()), formats.xlsx_value(r.created_at)])
        sheet.cell(sheet.max_row, 7).number_format = formats.XLSX_INTEGER
        sheet.cell(sheet.max_row, 8).number_format = formats.XLSX_DATETIME
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
