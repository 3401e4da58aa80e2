"""Import of organisations from CSV and XLSX: each row saved whole or reported, matched by INN.

Every limit is checked before the first row is written: the file's size, an XLSX's unpacked size (from the
ZIP directory, so a bomb of shared strings is refused in milliseconds, before openpyxl parses anything),
its declared dimensions, and the number of rows and columns (the whole file is read first). Should writing
stop midway all the same (the database goes away), the message says how many rows were written.
"""

from __future__ import annotations

import csv
import io
import logging
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from openpyxl import load_workbook

from projectoffice.accounts.http import form_errors_text
from projectoffice.accounts.models import User
from projectoffice.classifiers.models import Region
from projectoffice.lib.spreadsheets import TEXT_MARK
from projectoffice.lib.upload_limits import size_text
from projectoffice.organisations.columns import COLUMNS
from projectoffice.organisations.forms import OrganisationForm
from projectoffice.organisations.models import Organisation, OrganisationKind
from projectoffice.organisations.services import organisation_create, organisation_update

MAX_ROWS = 20_000
MAX_COLUMNS = 100  # the export has 17
# An XLSX of 20,000 full rows unpacks to about 70 MB of sheet XML; openpyxl reads the shared strings whole
# into memory (about twice their size) before the first row, so they get the tighter cap.
XLSX_MAX_UNPACKED = 160 * 1024 * 1024
XLSX_MAX_SHARED_STRINGS = 32 * 1024 * 1024
XLSX_MAX_PARTS = 1000
logger = logging.getLogger(__name__)
_HEADER_KEYS = {header.casefold(): key for key, header in COLUMNS} | {key: key for key, _ in COLUMNS}
_KINDS = {label.casefold(): value for value, label in OrganisationKind.choices} | {
    value: value for value in OrganisationKind.values
}
_YES = {"да", "yes", "true", "1", "+"}


class ImportFileError(Exception):
    """The file as a whole cannot be read; nothing was imported."""


class ImportInterrupted(ImportFileError):
    """Writing stopped midway; the message says how many rows were written before."""

    def __init__(self, message: str, report: ImportReport) -> None:
        super().__init__(message)
        self.report = report


@dataclass
class RowError:
    row: int
    message: str


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged + len(self.errors)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "date") and callable(value.date):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip().lstrip(TEXT_MARK)  # the export's mark that keeps an identifier text


def read_rows(upload: IO[bytes], filename: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number as the user sees it, {column key: text}) for each data row."""
    if not filename.lower().endswith((".xlsx", ".csv")):
        raise ImportFileError("Поддерживаются только файлы .csv и .xlsx.")
    data = upload.read(settings.UPLOAD_MAX_BYTES + 1)
    if len(data) > settings.UPLOAD_MAX_BYTES:
        raise ImportFileError(f"Файл больше допустимых {size_text(settings.UPLOAD_MAX_BYTES)}.")
    raw_rows = _xlsx_rows(data) if filename.lower().endswith(".xlsx") else _csv_rows(data)
    try:
        header = next(raw_rows)
    except StopIteration:
        raise ImportFileError("Файл пуст.") from None
    keys = [_HEADER_KEYS.get(name.strip().casefold().lstrip("\ufeff")) for name in header]
    if "inn" not in keys or "name" not in keys:
        raise ImportFileError("В первой строке нет обязательных столбцов «ИНН» и «Полное наименование».")
    for number, values in enumerate(raw_rows, start=2):
        if number > MAX_ROWS + 1:
            raise ImportFileError(f"В файле больше {MAX_ROWS} строк: разделите его на части.")
        if len(values) > MAX_COLUMNS:
            raise ImportFileError(f"В строке {number} больше {MAX_COLUMNS} столбцов: это не реестр организаций.")
        if not any(values):
            continue
        yield number, {key: values[i] if i < len(values) else "" for i, key in enumerate(keys) if key}


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1251")
        except UnicodeDecodeError:
            raise ImportFileError("Не удаётся прочитать текст файла: сохраните его в UTF-8.") from None
    if "\x00" in text:
        raise ImportFileError("Файл не похож на CSV: в нём двоичные данные.")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    try:
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            yield [cell.strip().lstrip(TEXT_MARK) for cell in row]
    except csv.Error as exc:
        raise ImportFileError(f"Ошибка разбора CSV: {exc}") from None


def _check_xlsx_package(data: bytes) -> None:
    """Refuse a book that unpacks to too much, from the ZIP directory alone (no part is inflated)."""
    try:
        parts = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportFileError(f"Файл не является корректной книгой XLSX ({exc.__class__.__name__}).") from None
    if len(parts) > XLSX_MAX_PARTS:
        raise ImportFileError(f"В книге XLSX больше {XLSX_MAX_PARTS} частей: это не реестр организаций.")
    unpacked = sum(part.file_size for part in parts)
    shared = sum(part.file_size for part in parts if part.filename.lower().endswith("sharedstrings.xml"))
    if unpacked > XLSX_MAX_UNPACKED or shared > XLSX_MAX_SHARED_STRINGS:
        raise ImportFileError(
            f"Книга XLSX размером {size_text(len(data))} распаковывается в {size_text(unpacked)} "
            f"(допустимо {size_text(XLSX_MAX_UNPACKED)}, из них строк — {size_text(XLSX_MAX_SHARED_STRINGS)}): "
            "так выглядит архив-бомба. Сохраните реестр в CSV или разделите книгу."
        )


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    _check_xlsx_package(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # any failure of the parser on a broken or hostile book
        raise ImportFileError(f"Файл не является корректной книгой XLSX ({exc.__class__.__name__}).") from None
    try:
        if not workbook.worksheets:
            raise ImportFileError("В книге XLSX нет листов.")
        sheet = workbook.worksheets[0]
        rows, columns = sheet.max_row or 0, sheet.max_column or 0  # as the sheet declares them
        if rows > MAX_ROWS + 1:
            raise ImportFileError(f"В файле больше {MAX_ROWS} строк: разделите его на части.")
        if columns > MAX_COLUMNS:
            raise ImportFileError(f"В листе больше {MAX_COLUMNS} столбцов: это не реестр организаций.")
        sheet.reset_dimensions()  # a declared size may be smaller than the data: read every row, counted above
        for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
            yield [_cell(value) for value in row]
    except ImportFileError:
        raise
    except Exception as exc:  # any failure of the parser on a broken or hostile book
        raise ImportFileError(f"Книга XLSX повреждена ({exc.__class__.__name__}).") from None
    finally:
        workbook.close()


def _form_data(values: dict[str, str], region_lookup: dict[str, int]) -> dict[str, Any]:
    """Turn spreadsheet text into the values the profile form expects."""
    data: dict[str, Any] = dict(values)
    kind = values.get("kind", "")
    data["kind"] = _KINDS.get(kind.casefold(), kind)
    region = values.get("region", "").strip()
    if "kind" in values:
        data["kind"] = _KINDS.get(kind.casefold(), kind)
    if "region" in values:
        region = values["region"].strip()
        data["region"] = region_lookup.get(region.casefold(), region)
    if "it_accredited" in values:
        data["it_accredited"] = values["it_accredited"].casefold() in _YES
    for key, value in data.items():
        if isinstance(value, str) and value.startswith("'") and value[1:2] in ("=", "+", "-", "@"):
            data[key] = value[1:]  # undo the export's formula neutralisation; the form escapes on display
    data["inn"] = values.get("inn", "").strip().lstrip("'")
    if "ogrn" in values:
        data["ogrn"] = values["ogrn"].strip().lstrip("'")
    return data


def _region_lookup() -> dict[str, int]:
    lookup: dict[str, int] = {}
    for region in Region.objects.all():
        for alias in (region.iso_code, region.name, region.name_with_type, region.tax_code):
            lookup[alias.casefold()] = region.pk
    return lookup


def import_organisations(*, actor: User | None, upload: IO[bytes], filename: str) -> ImportReport:
    """Import every good row (each in its own transaction) and report the bad ones.

    The whole file is read and checked first: a file refused for its size, rows or columns writes nothing.
    """
    rows = list(read_rows(upload, filename))
    report = ImportReport()
    regions = _region_lookup()
    seen: dict[str, int] = {}
    for position, (number, values) in enumerate(rows):
        try:
            _import_row(actor, number, values, regions, seen, report)
        except Exception as exc:  # anything unforeseen: say what was written before, then stop
            logger.exception("organisation import stopped at row %s", number)
            written = report.created + report.updated
            raise ImportInterrupted(
                f"Импорт остановлен на строке {number} ({exc.__class__.__name__}). До остановки записано строк: "
                f"{written} (добавлено {report.created}, обновлено {report.updated}, без изменений "
                f"{report.unchanged}, с ошибками {len(report.errors)}); не обработано: {len(rows) - position}. "
                "Повторная загрузка того же файла не изменит уже записанные строки.",
                report,
            ) from exc
    return report


def _import_row(
    actor: User | None,
    number: int,
    values: dict[str, str],
    regions: dict[str, int],
    seen: dict[str, int],
    report: ImportReport,
) -> None:
    """One row: validated by the profile form, saved whole in its own transaction, or reported."""
    data = _form_data(values, regions)
    inn = data["inn"]
    if inn in seen:
        report.errors.append(RowError(number, f"ИНН {inn} уже встречался в строке {seen[inn]}."))
        return
    seen[inn] = number
    existing = Organisation.objects.filter(inn=inn).first() if inn else None
    if existing is not None:
        # Columns the file lacks keep the stored values instead of being blanked.
        current = OrganisationForm(instance=existing)
        for name in current.fields:
            if name not in data:
                data[name] = current.fields[name].prepare_value(current[name].value())
    elif "region" not in data:
        data["region"] = regions.get(settings.HOME_REGION_ISO.casefold(), "")
    form = OrganisationForm(data=data, instance=existing)
    if not form.is_valid():
        report.errors.append(RowError(number, form_errors_text(form)))
        return
    try:
        with transaction.atomic():
            if existing is None:
                organisation_create(actor=actor, data=form.cleaned_data)
                report.created += 1
            elif organisation_update(actor=actor, organisation=existing, data=form.cleaned_data):
                report.updated += 1
            else:
                report.unchanged += 1
    except IntegrityError:
        report.errors.append(RowError(number, "Организация с таким ИНН или ОГРН уже есть в реестре."))
