"""The SME registry importer on a country-size dump: documents per second and peak memory while one region's
share is kept.

Usage: .venv/bin/python bench/fns_import.py [--documents 1000000] [--per-file 10000] [--region 63]

The dump is generated into a temporary folder (removed afterwards), in the real format: the 2,700 real
<Документ> elements of the shipped sample (ВерсФорм 4.01) repeated with their region code spread over 85 regions
and a unique INN per document, every second file as ВерсФорм 4.05 (with ОГРН and ССЧР), 10,000 documents per
XML file, one XML per ZIP as FNS publishes them. The import is the real one (`run_import`, the same as
`manage.py import_fns_sme`) into a scratch SQLite database, writes included. Peak memory is the process's
maximum resident set size (getrusage).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from _report import ROOT, Report, setup_django

DOCS_PER_SECOND, PEAK_MB = 20_000, 300
SAMPLE = ROOT / "projectoffice" / "opendata" / "data" / "orig-zips" / "data-test-sme-1.zip"
DOC = re.compile(r"<Документ .*?</Документ>", re.S)
REGIONS = [f"{n:02d}" for n in range(1, 90) if n not in {80, 81, 82, 84, 85}][:85]


def templates() -> list[str]:
    """The real documents, with their region code and INN made into placeholders."""
    found = []
    with zipfile.ZipFile(SAMPLE) as archive:
        for name in archive.namelist():
            text = archive.read(name).decode("utf-8")
            for doc in DOC.findall(text):
                doc = re.sub(r'КодРегион="\d+"', 'КодРегион="{region}"', doc)
                doc = re.sub(r'(ИННЮЛ|ИННФЛ)="\d+"', r'\1="{inn}"', doc)
                found.append(doc.replace("{", "{{").replace("}", "}}").replace("{{region}}", "{region}")
                             .replace("{{inn}}", "{inn}"))  # fmt: skip
    return found


def generate(folder: Path, documents: int, per_file: int) -> None:
    docs = templates()
    written, number = 0, 0
    while written < documents:
        count = min(per_file, documents - written)
        version = "4.05" if number % 2 else "4.01"
        head = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<Файл ИдФайл="VO_RRMSPSV_0000_9965_20251010_{number:05d}" '
            f'ВерсФорм="{version}" ТипИнф="РЕЕСТРМСП" КолДок="{count}"><ИдОтпр><ФИООтв Фамилия="-" Имя="-"/></ИдОтпр>'
        )
        parts = [head]
        for i in range(written, written + count):
            region = REGIONS[i % len(REGIONS)]
            doc = docs[i % len(docs)].format(region=region, inn=f"{region}{i:08d}")
            if version == "4.05":
                doc = doc.replace('ДатаСост="', f'ССЧР="{i % 90}" ДатаСост="', 1)
            parts.append(doc)
        parts.append("</Файл>")
        with zipfile.ZipFile(folder / f"data-{number:05d}.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
            z.writestr(f"VO_RRMSPSV_0000_9965_20251010_{number:05d}.xml", "".join(parts))
        written += count
        number += 1


def measure(dump: Path, scratch: str, region: str, workers: int) -> None:
    """The import alone, in a fresh process: its peak memory and its workers' are its own."""
    setup_django(embedded_dir=scratch)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from projectoffice.opendata.imports import Options, run_import

    report = Report()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cpu, started = time.process_time(), time.monotonic()
    run = run_import("sme", [dump], options=Options(region_codes=frozenset({region}), workers=workers),
                     progress=lambda line: None)  # fmt: skip
    elapsed, cpu = time.monotonic() - started, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # a worker's own peak (VmHWM after it started its program; ru_maxrss would count the parent's pages it
    # shared for a moment between fork and exec)
    worker_peak = max(f["worker_peak_mb"] for f in run.files)
    cpu += resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime + resource.getrusage(resource.RUSAGE_CHILDREN).ru_stime
    rate = run.documents / elapsed
    report.figure("fns_import documents", run.documents, "documents")
    report.figure("fns_import kept for the region", sum(f["kept"] for f in run.files), "documents")
    report.figure("fns_import companies created", run.created, "companies")
    report.figure("fns_import elapsed", elapsed, "s")
    report.figure("fns_import CPU time, all processes", cpu, "s")
    report.figure("fns_import rate per CPU second", run.documents / cpu, "documents/s")
    report.figure("fns_import rate", rate, "documents/s")
    report.figure("fns_import peak memory before the import (Django, migrations)", before, "MB")
    report.figure("fns_import peak memory of the importing process", peak, "MB")
    total = peak
    if workers > 1:
        report.figure("fns_import peak memory of one parsing worker", worker_peak, "MB")
        total = peak + worker_peak * workers
    report.figure("fns_import peak memory, all processes", total, "MB")
    report.figure("machine load average (1 min) after the import", os.getloadavg()[0], "runnable processes")
    report.target(f"at least {DOCS_PER_SECOND} documents/s", rate >= DOCS_PER_SECOND)
    report.target(f"peak memory at most {PEAK_MB} MB (all processes)", total <= PEAK_MB)
    report.target("every document read", run.documents == int(os.environ["FNS_BENCH_DOCUMENTS"]))
    report.finish()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=1_000_000)
    parser.add_argument("--per-file", type=int, default=10_000)
    parser.add_argument("--region", default="63")
    parser.add_argument("--workers", type=int, default=2, help="parsing processes (the machine's cores)")
    parser.add_argument("--measure", default="", help=argparse.SUPPRESS)  # internal: the import phase
    args = parser.parse_args()
    if args.measure:
        measure(Path(args.measure) / "dump", args.measure, args.region, args.workers)
        return
    with tempfile.TemporaryDirectory() as scratch:
        dump = Path(scratch) / "dump"
        dump.mkdir()
        started = time.monotonic()
        generate(dump, args.documents, args.per_file)
        size = sum(p.stat().st_size for p in dump.iterdir())
        print(f"generated: {args.documents} documents in {len(list(dump.iterdir()))} ZIPs ({size / 2**20:.0f} MB "
              f"compressed) in {time.monotonic() - started:.0f} s", flush=True)  # fmt: skip
        command = [sys.executable, __file__, "--measure", scratch, "--region", args.region, "--workers",
                   str(args.workers)]  # fmt: skip
        env = {**os.environ, "FNS_BENCH_DOCUMENTS": str(args.documents)}
        sys.exit(subprocess.run(command, env=env, check=False).returncode)  # noqa: S603 - our own script


if __name__ == "__main__":
    main()
