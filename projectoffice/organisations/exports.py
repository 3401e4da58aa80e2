"""Export of the registry to CSV and XLSX: dates and amounts as Russian Excel reads them, formulas neutralised."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db.models import QuerySet

from projectoffice.lib import formats, spreadsheets
from projectoffice.lib.spreadsheets import Column
from projectoffice.organisations.columns import COLUMNS, EXPORT_ONLY
from projectoffice.organisations.models import Organisation

WIDTHS = {"inn": 14, "ogrn": 16, "name": 50, "short_name": 30, "kind": 24, "region": 10, "main_okved": 12}
WIDTHS |= {"extra_okveds": 24, "founded_on": 14, "it_accredited": 10, "technologies": 30, "competencies": 30}
WIDTHS |= {"website": 24, "email": 24, "phone": 18, "address": 40, "description": 40}
WIDTHS |= {"size_category": 16, "year": 10, "revenue": 18, "headcount": 12}
NUMBER_FORMATS = {"founded_on": formats.XLSX_DATE, "revenue": formats.XLSX_DECIMAL, "headcount": formats.XLSX_INTEGER}
IDENTIFIERS = {"inn", "ogrn", "region", "main_okved", "extra_okveds", "phone"}
EXPORT_COLUMNS = [
    Column(header, WIDTHS[key], NUMBER_FORMATS.get(key), identifier=key in IDENTIFIERS)
    for key, header in COLUMNS + EXPORT_ONLY
]


def _rows(organisations: Iterable[Organisation]) -> Iterator[list[object]]:
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
        yield [values[key] for key, _ in COLUMNS + EXPORT_ONLY]


def _prefetched(organisations: Iterable[Organisation]) -> Iterable[Organisation]:
    if isinstance(organisations, QuerySet):
        return organisations.select_related("region", "main_okved").prefetch_related(
            "extra_okveds", "technologies", "competencies", "figures"
        )
    return organisations


def export_csv(organisations: Iterable[Organisation]) -> bytes:
    """UTF-8 with BOM and semicolons, as Russian-locale Excel opens it; the import reads it back."""
    return spreadsheets.csv_bytes(EXPORT_COLUMNS, _rows(_prefetched(organisations)))


def export_xlsx(organisations: Iterable[Organisation]) -> bytes:
    book, sheet = spreadsheets.workbook("Организации")
    spreadsheets.write_table(sheet, EXPORT_COLUMNS, _rows(_prefetched(organisations)))
    return spreadsheets.xlsx_bytes(book)
