"""The attendee list of an event as XLSX: registration times as real dates in local time, counts as numbers."""

from __future__ import annotations

from projectoffice.events.models import Event
from projectoffice.lib import formats, spreadsheets
from projectoffice.lib.spreadsheets import Column

COLUMNS = [
    Column("ФИО", 36),
    Column("Эл. почта", 30),
    Column("Организация", 36),
    Column("Телефон", 18, identifier=True),
    Column("Статус", 18),
    Column("Билет", 14, identifier=True),
    Column("Отметок", 10, formats.XLSX_INTEGER),
    Column("Зарегистрирован", 18, formats.XLSX_DATETIME),
]


def attendees_xlsx(event: Event) -> bytes:
    book, sheet = spreadsheets.workbook("Участники")
    rows = (
        [
            r.full_name,
            r.email,
            r.organisation_name,
            r.phone,
            r.get_status_display(),
            r.ticket_code,
            len(r.checkins.all()),
            r.created_at,
        ]
        for r in event.registrations.prefetch_related("checkins").order_by("created_at")
    )
    spreadsheets.write_table(sheet, COLUMNS, rows)
    return spreadsheets.xlsx_bytes(book)
