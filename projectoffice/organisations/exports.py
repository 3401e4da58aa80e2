"""Export of the registry to CSV and XLSX."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

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
            "founded_on": org.founded_on.isoformat() if org.founded_on else "",
            "it_accredited": "да" if org.it_accredited else "нет",
            "technologies": ", ".join(tag.name for tag in org.technologies.all()),
            "competencies": ", ".join(tag.name for tag in org.competencies.all()),
            "website": org.website,
            "email": org.email,
            "phone": org.phone,
            "address": org.address,
            "description": org.description,
            "size_category": org.get_size_category_display() if org.size_category else "",
            "year": latest.year if latest else "",
            "revenue": latest.revenue if latest and latest.revenue is not None else "",
            "headcount": latest.headcount if latest and latest.headcount is not None else "",
        }
        yield [neutralise(values[key]) for key, _ in COLUMNS + EXPORT_ONLY]


def _prefetched(organisations: Iterable[Organisation]) -> Iterable[Organisation]:
    if isinstance(organisations, QuerySet):
        return organisations.select_related("region", "main_okved").prefetch_related(
            "extra_okveds", "technologies", "competencies", "figures"
        )
    return organisations


def export_csv(organisations: Iterable[Organisation]) -> bytes:
    """UTF-8 with BOM and semicolons, as Russian-locale Excel opens it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerows(_rows(_prefetched(organisations)))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_xlsx(organisations: Iterable[Organisation]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Организации"
    for row in _rows(_prefetched(organisations)):
        # neutralise() has already prefixed formula-like text, so openpyxl stores it as a string.
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, width in enumerate([14, 16, 50, 30, 24, 10, 12, 24, 14, 10, 30, 30, 24, 24, 18, 40, 40], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
