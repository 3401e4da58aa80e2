"""What the four FNS import commands share: paths, region, options, progress lines and the Russian summary."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from projectoffice.lib import formats, logcontext
from projectoffice.opendata.imports import Options, run_import, summary


class FnsImportCommand(BaseCommand):
    dataset = ""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", help="ZIP-архивы, XML-файлы или папки с ними")
        parser.add_argument(
            "--region", default=",".join(settings.REGION_TAX_CODES), help="коды регионов ФНС через запятую (63)"
        )
        parser.add_argument(
            "--workers", type=int, default=1, help="сколько процессов читают файлы параллельно (по ядрам; 1–16)"
        )
        if self.dataset == "sme":
            parser.add_argument("--all-kinds", action="store_true", help="все компании, не только ИТ и промышленность")
            parser.add_argument(
                "--individuals", action="store_true", help="и индивидуальных предпринимателей (персональные данные)"
            )
            parser.add_argument(
                "--full-dump", action="store_true", help="это вся выгрузка: кого в ней нет, тот выбыл из реестра"
            )

    def handle(self, *args: Any, **options: Any) -> None:
        codes = frozenset(c.strip() for c in options["region"].split(",") if c.strip())
        if not codes or any(not (len(c) == 2 and c.isdigit()) for c in codes):
            raise CommandError("--region: ожидаются двузначные коды регионов ФНС через запятую, например 63")
        if not 1 <= options["workers"] <= 16:
            raise CommandError("--workers: от 1 до 16")
        choice = Options(
            workers=options["workers"],
            region_codes=codes,
            individuals=options.get("individuals") or settings.FNS_IMPORT_INDIVIDUALS,
            all_kinds=bool(options.get("all_kinds")),
            full_dump=bool(options.get("full_dump")),
        )
        verbose = options["verbosity"] >= 2
        started = time.monotonic()
        with logcontext.bound(job=f"import_fns_{self.dataset}"):
            run = run_import(self.dataset, [Path(p) for p in options["paths"]], options=choice,
                             progress=lambda line: self._line(line, verbose))  # fmt: skip
        for file in run.files:
            if file["error"]:
                self.stderr.write(f"  не прочитан: {file['name']}: {file['error']}")
            for reason in file["refused"]:
                self.stderr.write(f"  отклонено: {file['name']}: {reason}")
        self.stdout.write(f"{summary(run)} (за {formats.number(time.monotonic() - started, 1)} с)")
        if any(f["error"] for f in run.files):
            raise CommandError("не все файлы прочитаны: см. выше")

    def _line(self, line: str, verbose: bool) -> None:
        if verbose or not line.startswith("файлов:"):
            self.stdout.write(line)
