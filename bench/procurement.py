"""The procurement importer's throughput: generated 44-FZ notices and their protocols, then the same again
(re-import, nothing changes), on a scratch embedded database.

Usage: .venv/bin/python bench/procurement.py [--notices 1000] [--code PATH] [--min-rate N]
The corpus is a shipped notice and a real 2020 EF3 protocol written out once per purchase number; writing it is
not timed. `--code` runs another checkout's importer on the same corpus (e.g. main, for the figure to keep).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

from _report import ROOT, Report

NOTICE = ROOT / "tests" / "opportunities" / "fixtures" / "fcsNotificationEF_0111100000217000017_1.xml"
SHIPPED_PROTOCOL = ROOT / "projectoffice" / "opportunities" / "data" / "zakupki" / "xml_examples"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notices", type=int, default=1000)
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout whose importer is measured")
    parser.add_argument("--min-rate", type=float, default=0.0, help="documents per second to reach")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="bench-procurement-"))
    try:
        corpus = write_corpus(scratch / "corpus", args.notices)
        run(corpus, args.code.resolve(), scratch, args.min_rate)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def write_corpus(folder: Path, count: int) -> Path:
    notice = NOTICE.read_text(encoding="utf-8")
    protocol = (SHIPPED_PROTOCOL / "fcsProtocolEF3_0111100000217000017_15585361.xml").read_text(encoding="utf-8")
    folder.mkdir(parents=True)
    for n in range(count):
        number = f"0111100000217{n:06d}"
        (folder / f"fcsNotificationEF_{number}_1.xml").write_text(
            notice.replace("0111100000217000017", number), encoding="utf-8"
        )
        (folder / f"fcsProtocolEF3_{number}_1.xml").write_text(
            re.sub(r"0111100000217000017", number, protocol), encoding="utf-8"
        )
    return folder


def run(corpus: Path, code: Path, scratch: Path, min_rate: float) -> None:
    os.environ.pop("DATABASE_URL", None)
    os.environ["VAR_DIR"] = str(scratch / "var")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(code))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from projectoffice.opportunities.procurement_import import import_procurement

    documents = len(list(corpus.iterdir()))
    report = Report()
    print(f"code: {code}; documents: {documents}", flush=True)
    started = time.perf_counter()
    first = import_procurement([corpus])
    first_seconds = time.perf_counter() - started
    started = time.perf_counter()
    import_procurement([corpus])
    again_seconds = time.perf_counter() - started
    assert not first.outcomes("refused"), first.outcomes("refused")[:3]
    report.figure("first import", first_seconds, "s")
    report.figure("first import rate", documents / first_seconds, "documents/s")
    report.figure("re-import (nothing changes)", again_seconds, "s")
    report.figure("re-import rate", documents / again_seconds, "documents/s")
    if min_rate:
        report.target(f"first import at least {min_rate:g} documents/s", documents / first_seconds >= min_rate)
    report.finish()


if __name__ == "__main__":
    main()
