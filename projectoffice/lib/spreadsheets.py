"""Tables written to XLSX and CSV the way every export here writes them.

XLSX:
- cells hold values as themselves: numbers, dates, and moments as local wall-clock time (XLSX has no time
  zone); each column carries a Russian number format of `formats` (XLSX_*), so Excel sums and sorts them;
- text is stored as text (a string cell, never a formula), as typed: no apostrophe is added. Text that Excel
  would run as a formula once someone edits the cell (starting with =, +, -, @, a tab or a carriage return)
  gets Excel's own mark for typed text, the cell style's quotePrefix, which is what Excel stores when a person
  types an apostrophe; identifier columns (`Column.identifier`: ИНН, ОГРН, codes, tickets) have the text
  format «@», so their digits never become a number;
- the header row is bold and frozen, every column has its width; each sheet prints on A4 (landscape when its
  columns are wider than a portrait page), fitted to the page width, with the header row repeated on every page.

CSV for people (UTF-8 with a BOM, `;`, dates дд.мм.гггг, decimals with a comma and integers plain, what
Russian-locale Excel opens as a table of numbers and dates):
- text that a spreadsheet would run as a formula gets an apostrophe in front (OWASP CSV injection): a CSV
  cell has no type, so this is the only guard, and the import takes it off again;
- identifiers start with U+2060 WORD JOINER, an invisible character that is not a space (so no program trims
  it) and not a digit (so Excel and LibreOffice keep «1026300000000» as text, not 1,0263E+12, and keep the
  leading zero of an INN); the import takes it off. (`="…"` would be a formula, which the guard refuses.)
CSV for programs stays machine-readable (plain decimals, no marks) and is not written here.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from projectoffice.lib import formats

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
TEXT_MARK = "\u2060"  # WORD JOINER: keeps an identifier text in a CSV opened by a spreadsheet
XLSX_TEXT = "@"
A4_PORTRAIT_WIDTH = 95  # characters of column width that fit across a portrait A4 page at 100 %


@dataclass(frozen=True)
class Column:
    """One column of a table: its header, its width in characters, and the number format of its cells."""

    header: str
    width: float
    number_format: str | None = None  # one of formats.XLSX_*; None for text
    identifier: bool = False  # digits that name something (ИНН, ОГРН, a code): always text


def neutralise(value: object) -> object:
    """Prefix text that a spreadsheet would run as a formula with an apostrophe (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _set(cell: Cell, value: object, column: Column | None) -> None:
    """Put `value` in the cell as itself: text as a string cell (quote-prefixed where Excel would see a formula),
    an aware moment in local time, the column's number format."""
    value = formats.xlsx_value(value)
    if column is not None and column.identifier and value not in (None, ""):
        value = str(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would take text starting with "=" for a formula
        if value.startswith(FORMULA_START):
            cell.quotePrefix = True
    if column is not None and (column.number_format or column.identifier):
        cell.number_format = XLSX_TEXT if column.identifier else str(column.number_format)


def workbook(title: str) -> tuple[Workbook, Worksheet]:
    """A new workbook and its first sheet, named `title`."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    return book, sheet


def write_line(sheet: Worksheet, values: Sequence[object], *, bold: bool = False, size: float | None = None) -> None:
    """A line of text above or below a table (a title, a footnote), typed like the table's cells."""
    row = sheet.max_row + 1 if sheet.max_row > 1 or sheet["A1"].value is not None else 1
    for index, value in enumerate(values, start=1):
        cell = sheet.cell(row, index)
        _set(cell, value, None)
        if bold or size:
            cell.font = Font(bold=bold, size=size)


def write_table(sheet: Worksheet, columns: Sequence[Column], rows: Iterable[Sequence[object]]) -> None:
    """The header (bold, frozen, printed on every page) on the sheet's next row, then the rows, typed and
    formatted column by column; the page set up for A4."""
    write_line(sheet, [column.header for column in columns], bold=True)
    header_row = sheet.max_row
    sheet.freeze_panes = f"A{header_row + 1}"  # a string: asking for the cell would create an empty row
    for row in rows:
        line = sheet.max_row + 1
        for index, (value, column) in enumerate(zip(row, columns, strict=True), start=1):
            _set(sheet.cell(line, index), value, column)
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    _page_setup(sheet, columns, header_row)


def _page_setup(sheet: Worksheet, columns: Sequence[Column], header_row: int) -> None:
    """A4, landscape when the columns are wider than a portrait page, fitted to one page wide (as many pages
    tall as it takes), the header row repeated on every printed page."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    wide = sum(column.width for column in columns) > A4_PORTRAIT_WIDTH
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE if wide else sheet.ORIENTATION_PORTRAIT
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.print_options.gridLines = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4


def xlsx_bytes(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _csv_text(value: object, column: Column) -> object:
    """Dates as дд.мм.гггг and decimals with a comma, which Russian-locale Excel reads as dates and numbers;
    identifiers marked as text; formula-like text neutralised."""
    if column.identifier and value not in (None, ""):
        return TEXT_MARK + str(value)
    value = neutralise(value)
    if isinstance(value, dt.datetime):
        return formats.datetime(value)
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
    writer.writerows([_csv_text(value, column) for value, column in zip(row, columns, strict=True)] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
