"""Export of the registry to CSV and XLSX: dates and amounts as Russian Excel reads them, formulas neutralised."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from projectoffice.lib import formats
from projectoffice.organisations.models import Organisation
from projectoffice.organisations.spreadsheets import COLUMNS, EXPORT_ONLY, neutralise


def _rows(organisations: Iterable[Organisation]) -> Iterator[list[object]]:
    yield [header for _, header in COLUMNS + EXPORT_ONLY]
    for org in organisations:
        latest = org.latest_figures
        values: dict[str, object] = {
            "inn": org.inn,
            "ogrn": org.ogrn,
            "name": org.name,
            "short_name": org.short_name,
            "kind": org.get_kind_display(),
            "region": org.region.iso_code,
            "main_okved": org.main_okved.code if org.main_okved else "",
            "extra_okveds": ", ".join(code.code for code in org.extra_okveds.all()),
            "founded_on": org.founded_on,
            "it_accredited": "да" if org.it_accredited else "нет",
            "technologies": ", ".join(tag.name for tag in org.technologies.all()),
            "competencies": ", ".join(tag.name for tag in org.competencies.all()),
            "website": org.website,
            "email": org.email,
            "phone": org.phone,
            "address": org.address,
            "description": org.description,
            "size_category": org.get_size_category_display() if org.size_category else "",
            "year": latest.year if latest else None,
            "revenue": latest.revenue if latest else None,
            "headcount": latest.headcount if latest else None,
        }
        yield [neutralise(values[key]) for key, _ in COLUMNS + EXPORT_ONLY]


def _prefetched(organisations: Iterable[Organisation]) -> Iterable[Organisation]:
    if isinstance(organisations, QuerySet):
        return organisations.select_related("region", "main_okved").prefetch_related(
            "extra_okveds", "technologies", "competencies", "figures"
        )
    return organisations


def _csv_text(value: object) -> object:
    """Dates as дд.мм.гггг and amounts with a decimal comma, which Russian-locale Excel reads as dates and numbers."""
    if isinstance(value, dt.date):
        return formats.date(value)
    if isinstance(value, Decimal):
        return f"{value:f}".replace(".", ",")
    return value


def export_csv(organisations: Iterable[Organisation]) -> bytes:
    """UTF-8 with BOM and semicolons, as Russian-locale Excel opens it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerows([_csv_text(v) for v in row] for row in _rows(_prefetched(organisations)))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


NUMBER_FORMATS = {"founded_on": formats.XLSX_DATE, "revenue": formats.XLSX_DECIMAL, "headcount": formats.XLSX_INTEGER}


def export_xlsx(organisations: Iterable[Organisation]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Организации"
    keys = [key for key, _ in COLUMNS + EXPORT_ONLY]
    for row in _rows(_prefetched(organisations)):
        # neutralise() has already prefixed formula-like text, so openpyxl stores it as a string.
        sheet.append(row)
        for key, number_format in NUMBER_FORMATS.items():
            sheet.cell(sheet.max_row, keys.index(key) + 1).number_format = number_format
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, width in enumerate([14, 16, 50, 30, 24, 10, 12, 24, 14, 10, 30, 30, 24, 24, 18, 40, 40], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
