"""The demo's open data: the shipped real samples, in a copy whose region code is rewritten to the home region.

The SME registry sample's companies of two regions (Yamal-Nenets, tax code 89, and Perm, 59: those with IT
companies) get the home region's code (63) in `СведМН@КодРегион`, so that the discovery feed and the market
figures have real-shaped data; the yearly sets' documents (headcount and income for 2018 and 2023) get, in the
same copy, the INNs of those companies (their own INNs are of other regions). The pages say so. The shipped
files are never changed.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from projectoffice.lib.scratch import scratch_folder
from projectoffice.opendata.imports import Options, kind_of, run_import
from projectoffice.opendata.models import Company, ImportRun

DATA = Path(__file__).resolve().parent / "data"
SOURCE_REGIONS, HOME_REGION = ("89", "59"), "63"
DOC = re.compile(r"<Документ .*?</Документ>", re.S)
HEAD = re.compile(r"^.*?<Файл [^>]*>(?:<ИдОтпр>.*?</ИдОтпр>)?", re.S)
FIGURE_FILES = ["data-test-empl-1.zip", "data-test-empl-2.zip", "data-test-revexp-1.zip", "data-test-revexp-2.zip"]


def _members(archive: Path) -> list[tuple[str, str]]:
    with zipfile.ZipFile(archive) as source:
        return [(name, source.read(name).decode("utf-8")) for name in source.namelist()]


def _sme_copy(folder: Path) -> Path:
    target = folder / "demo-sme.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for name, text in _members(DATA / "orig-zips" / "data-test-sme-1.zip"):
            for region in SOURCE_REGIONS:
                text = text.replace(f'КодРегион="{region}"', f'КодРегион="{HOME_REGION}"')
            out.writestr(name, text)
    return target


def _figures_copy(folder: Path, inns: list[str]) -> list[Path]:
    """Each yearly file's first documents, one per demo company, with the company's INN."""
    paths = []
    for file_name in FIGURE_FILES:
        target = folder / f"demo-{file_name}"
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            for name, text in _members(DATA / "orig-zips" / file_name)[:1]:
                head = HEAD.match(text)
                docs = [d for d in DOC.findall(text) if 'ИННЮЛ="' in d][: len(inns)]
                docs = [re.sub(r'ИННЮЛ="\d+"', f'ИННЮЛ="{inn}"', d) for d, inn in zip(docs, inns, strict=False)]
                out.writestr(name, (head.group(0) if head else "") + "".join(docs) + "</Файл>")
        paths.append(target)
    return paths


def load_demo_open_data(progress: Callable[[str], None] = lambda _: None) -> list[ImportRun]:
    """Import the rewritten copy (idempotent: a second load changes nothing)."""
    runs = []
    with scratch_folder() as folder:
        home = frozenset({HOME_REGION})
        runs.append(run_import("sme", [_sme_copy(folder)], options=Options(region_codes=home)))
        inns = sorted(
            inn
            for inn, okved in Company.objects.filter(region_code=HOME_REGION, individual=False).values_list(
                "inn", "main_okved"
            )
            if kind_of(okved)
        )
        figures = _figures_copy(folder, inns)
        by_prefix = frozenset(inn[:2] for inn in inns)
        runs.append(run_import("headcount", figures[:2], options=Options(region_codes=by_prefix)))
        runs.append(run_import("income", figures[2:], options=Options(region_codes=by_prefix)))
    ImportRun.objects.filter(pk__in=[r.pk for r in runs]).update(demo=True)
    progress("открытые данные ФНС: реальные образцы, код региона в копии заменён на 63 (Самарская область)")
    return runs
