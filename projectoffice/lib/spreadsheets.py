"""Tables written to XLSX and CSV the way every export here writes them.

- Text a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage return) gets an
  apostrophe in front (OWASP CSV injection), in XLSX and CSV alike.
- XLSX cells hold values as themselves: numbers, dates, and moments as local wall-clock time (XLSX has no time
  zone); each column carries a Russian number format of `formats` (XLSX_*), so Excel sums and sorts them.
- The header row is bold and frozen, every column has its width.
- CSV for people is UTF-8 with a BOM and semicolons, dates дд.мм.гггг and decimals with a comma: what
  Russian-locale Excel opens as a table. (CSV for programs stays machine-readable and is not written here.)
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from projectoffice.lib import formats

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    """One column of a table: its header, its width in characters, and the number format of its cells."""

    header: str
    width: float
    number_format: str | None = None  # one of formats.XLSX_*; None for text


def neutralise(value: object) -> object:
    """Prefix text that a spreadsheet would run as a formula with an apostrophe (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def cell_value(value: object) -> object:
    """What an XLSX cell holds for a value: formula-like text neutralised, an aware moment in local time."""
    return formats.xlsx_value(neutralise(value))


def workbook(title: str) -> tuple[Workbook, Worksheet]:
    """A new workbook and its first sheet, named `title`."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    return book, sheet


def write_table(sheet: Worksheet, columns: Sequence[Column], rows: Iterable[Sequence[object]]) -> None:
    """The header (bold, frozen) on the sheet's next row, then the rows, typed and formatted column by column."""
    sheet.append([column.header for column in columns])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = f"A{header_row + 1}"  # a string: asking for the cell would create an empty row
    for row in rows:
        sheet.append([cell_value(value) for value in row])
        for index, column in enumerate(columns, start=1):
            if column.number_format:
                sheet.cell(sheet.max_row, index).number_format = column.number_format
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width


def xlsx_bytes(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _csv_text(value: object) -> object:
    """Dates as дд.мм.гггг and decimals with a comma, which Russian-locale Excel reads as dates and numbers."""
    value = neutralise(value)
    if isinstance(value, dt.date):
        return formats.date(value)
    if isinstance(value, Decimal):
        return f"{value:f}".replace(".", ",")
    return value


def csv_bytes(columns: Sequence[Column], rows: Iterable[Sequence[object]]) -> bytes:
    """The table as CSV for people: UTF-8 with a BOM and semicolons, as Russian-locale Excel opens it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([column.header for column in columns])
    writer.writerows([_csv_text(value) for value in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
