"""(Re)loading the classifiers from the CSV files shipped in classifiers/data/."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from django.db import models, transaction

from projectoffice.classifiers.models import ClassifierCode, OkpdCode, OkvedCode, Region
from projectoffice.classifiers.text import normalise

DATA_DIR = Path(__file__).resolve().parent / "data"
BATCH = 2000
Progress = Callable[[str], None]


@dataclass(frozen=True)
class LoadResult:
    name: str
    created: int
    updated: int
    unchanged: int

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def _parent_code(code: str, known: set[str], section: str) -> str:
    """The nearest existing ancestor: drop trailing characters until a known code is left."""
    if len(code) == 1:
        return ""
    last = code.rsplit(".", 1)[-1]
    candidate = code
    if "." in code and len(last) == 3:
        # OKPD2 kinds: 01.11.11.111 → 01.11.11.110 → 01.11.11.100 → 01.11.11
        stem = code[: -len(last)]
        digits = last.rstrip("0")
        while digits:
            digits = digits[:-1]
            probe = stem + digits.ljust(3, "0")
            if probe != code and probe in known:
                return probe
        candidate = stem.rstrip(".")
        if candidate in known:
            return candidate
    while len(candidate) > 2:
        candidate = candidate[:-1].rstrip(".")
        if candidate in known:
            return candidate
    return section if section and code != section else ""


def _level(code: str, parents: dict[str, str]) -> int:
    level = 0
    while parents.get(code):
        code = parents[code]
        level += 1
    return level


def _upsert_codes(model: type[ClassifierCode], rows: list[tuple[str, str, str]], progress: Progress) -> LoadResult:
    """Insert new codes, update changed ones, leave identical ones alone."""
    known = {code for code, _, _ in rows}
    parents = {code: _parent_code(code, known, section) for code, section, _ in rows}
    existing = {obj.code: obj for obj in model._default_manager.all()}
    to_create: list[ClassifierCode] = []
    to_update: list[ClassifierCode] = []
    unchanged = 0
    for code, section, name in rows:
        values = {
            "name": name,
            "section": section,
            "parent_code": parents[code],
            "level": _level(code, parents),
            "search_text": normalise(f"{code} {name}"),
        }
        current = existing.get(code)
        if current is None:
            to_create.append(model(code=code, **values))
        elif any(getattr(current, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(current, key, value)
            to_update.append(current)
        else:
            unchanged += 1
    label = model._meta.verbose_name_plural
    with transaction.atomic():
        for start in range(0, len(to_create), BATCH):
            model._default_manager.bulk_create(to_create[start : start + BATCH])
            progress(f"{label}: добавлено {min(start + BATCH, len(to_create))} из {len(to_create)}")
        fields = ["name", "section", "parent_code", "level", "search_text"]
        for start in range(0, len(to_update), BATCH):
            model._default_manager.bulk_update(to_update[start : start + BATCH], fields)
            progress(f"{label}: обновлено {min(start + BATCH, len(to_update))} из {len(to_update)}")
    return LoadResult(str(label), len(to_create), len(to_update), unchanged)


def _read_csv(path: Path) -> Iterable[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def load_okved(path: Path | None = None, progress: Progress = lambda _: None) -> LoadResult:
    rows = []
    for row in _read_csv(path or DATA_DIR / "okved2.csv"):
        code = row["code"].strip() or row["section"].strip()
        rows.append((code, row["section"].strip(), row["name"].strip()))
    return _upsert_codes(OkvedCode, rows, progress)


def load_okpd(path: Path | None = None, progress: Progress = lambda _: None) -> LoadResult:
    # OKPD2 classes share their two-digit numbers and section letters with OKVED2.
    class_sections = {
        code: section
        for code, section in OkvedCode.objects.filter(code__regex=r"^\d\d$").values_list("code", "section")
    }
    rows = []
    for row in _read_csv(path or DATA_DIR / "okpd2.csv"):
        code = row["code"].strip()
        section = code if code.isalpha() else class_sections.get(code[:2], "")
        rows.append((code, section, row["name"].strip()))
    return _upsert_codes(OkpdCode, rows, progress)


def load_regions(path: Path | None = None, progress: Progress = lambda _: None) -> LoadResult:
    created = updated = unchanged = 0
    with transaction.atomic():
        for row in _read_csv(path or DATA_DIR / "regions.csv"):
            values = {
                "name": row["name"],
                "name_with_type": row["name_with_type"],
                "federal_district": row["federal_district"],
                "okato": row["okato"],
                "oktmo": row["oktmo"],
                "tax_code": row["tax_office"][:2],
                "kladr_id": row["kladr_id"],
                "fias_id": row["fias_id"],
                "timezone": row["timezone"],
                "search_text": normalise(f"{row['name_with_type']} {row['iso_code']} {row['tax_office'][:2]}"),
            }
            region, was_created = Region.objects.get_or_create(iso_code=row["iso_code"], defaults=values)
            if was_created:
                created += 1
            elif _assign_changed(region, values):
                region.save()
                updated += 1
            else:
                unchanged += 1
    progress(f"регионы: {created + updated + unchanged}")
    return LoadResult("регионы", created, updated, unchanged)


def _assign_changed(instance: models.Model, values: dict[str, str]) -> bool:
    changed = False
    for key, value in values.items():
        if getattr(instance, key) != value:
            setattr(instance, key, value)
            changed = True
    return changed


def load_all(progress: Progress = lambda _: None) -> list[LoadResult]:
    """Load regions, OKVED2 and then OKPD2 (which takes section letters from OKVED2)."""
    return [load_regions(progress=progress), load_okved(progress=progress), load_okpd(progress=progress)]
