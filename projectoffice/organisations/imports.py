"""Import of organisations from CSV and XLSX: each row saved whole or reported, matched by INN."""

from __future__ import annotations

import csv
import io
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
from projectoffice.organisations.forms import OrganisationForm
from projectoffice.organisations.models import Organisation, OrganisationKind
from projectoffice.organisations.services import organisation_create, organisation_update
from projectoffice.organisations.spreadsheets import COLUMNS

MAX_ROWS = 20_000
_HEADER_KEYS = {header.casefold(): key for key, header in COLUMNS} | {key: key for key, _ in COLUMNS}
_KINDS = {label.casefold(): value for value, label in OrganisationKind.choices} | {
    value: value for value in OrganisationKind.values
}
_YES = {"да", "yes", "true", "1", "+"}


class ImportFileError(Exception):
    """The file as a whole cannot be read; nothing was imported."""


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
    return str(value).strip()


def read_rows(upload: IO[bytes], filename: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number as the user sees it, {column key: text}) for each data row."""
    if filename.lower().endswith(".xlsx"):
        raw_rows = _xlsx_rows(upload)
    elif filename.lower().endswith(".csv"):
        raw_rows = _csv_rows(upload)
    else:
        raise ImportFileError("Поддерживаются только файлы .csv и .xlsx.")
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
        if not any(values):
            continue
        yield number, {key: values[i] if i < len(values) else "" for i, key in enumerate(keys) if key}


def _csv_rows(upload: IO[bytes]) -> Iterator[list[str]]:
    data = upload.read()
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
            yield [cell.strip() for cell in row]
    except csv.Error as exc:
        raise ImportFileError(f"Ошибка разбора CSV: {exc}") from None


def _xlsx_rows(upload: IO[bytes]) -> Iterator[list[str]]:
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(f"Файл не является корректной книгой XLSX ({exc.__class__.__name__}).") from None
    sheet = workbook.worksheets[0]
    try:
        for row in sheet.iter_rows(values_only=True):
            yield [_cell(value) for value in row]
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
    """Import every good row (each in its own transaction) and report the bad ones."""
    report = ImportReport()
    regions = _region_lookup()
    seen: dict[str, int] = {}
    for number, values in read_rows(upload, filename):
        data = _form_data(values, regions)
        inn = data["inn"]
        if inn in seen:
            report.errors.append(RowError(number, f"ИНН {inn} уже встречался в строке {seen[inn]}."))
            continue
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
            continue
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
    return report
