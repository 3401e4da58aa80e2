"""Import 44-FZ/223-FZ XML, OCDS JSON and portal CSV exports from files, folders and ZIP archives.

Every file gets a verdict: read, read not whole (what was cut is said) or not read (with the reason); the
batch goes on whatever one file holds. Documents whose notice is not known yet are named and kept; the
command ends with a table of documents by type: new, updated, unchanged, waiting for their notice, refused.
Refused and cut files are printed to stderr, every verdict with `-v 2`; the command exits with status 1 when
any file was not read.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from projectoffice.lib import formats
from projectoffice.opportunities.procurement_import import CUT, READ, REFUSED, documents_table, import_procurement


class Command(BaseCommand):
    help = "Импорт закупок (XML 44-ФЗ и 223-ФЗ, OCDS JSON, CSV-выгрузка ЕИС) из файлов, папок и ZIP-архивов"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path)

    def handle(self, *args: Any, paths: list[Path], verbosity: int = 1, **options: Any) -> None:
        started = time.monotonic()
        report = import_procurement(paths, progress=lambda line: self.stdout.write(f"  {line}"))
        refused = {verdict.file for verdict in report.outcomes(REFUSED)}
        for problem in report.problems:
            if problem.file not in refused:  # a record skipped inside a file that was read
                self.stderr.write(f"  пропущено: {problem}")
        for verdict in report.verdicts:
            if verdict.outcome != READ:
                self.stderr.write(f"  {verdict}")
            elif verbosity >= 2:
                self.stdout.write(f"  {verdict}")
        for line in report.waiting_lines:
            self.stdout.write(f"  ждёт извещения: {line}")
        self.stdout.write(
            f"Файлов: {len(report.verdicts)} (прочитано {len(report.outcomes(READ))}, прочитано не целиком "
            f"{len(report.outcomes(CUT))}, не прочитано {len(refused)}); закупок новых {report.created}, "
            f"обновлено {report.updated}, без изменений {report.unchanged}; обновлений статуса "
            f"{report.status_updates}, документов ждут своего извещения {report.unknown_notices}, дождались "
            f"{report.linked}; ошибок {len(report.problems)}; {formats.number(time.monotonic() - started, 1)} с"
        )
        self.stdout.write("Документы по типам:")
        for line in documents_table(report):
            self.stdout.write(f"  {line}")
        if refused:
            raise CommandError(f"Не прочитано файлов: {len(refused)} — причины выше.", returncode=1)
