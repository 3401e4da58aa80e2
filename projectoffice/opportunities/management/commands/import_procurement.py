"""Import 44-FZ/223-FZ XML, OCDS JSON and portal CSV exports from files, folders and ZIP archives."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from projectoffice.lib import formats
from projectoffice.opportunities.procurement_import import import_procurement


class Command(BaseCommand):
    help = "Импорт закупок (XML 44-ФЗ и 223-ФЗ, OCDS JSON, CSV-выгрузка ЕИС) из файлов, папок и ZIP-архивов"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path)

    def handle(self, *args: Any, paths: list[Path], **options: Any) -> None:
        started = time.monotonic()
        report = import_procurement(paths, progress=lambda line: self.stdout.write(f"  {line}"))
        for problem in report.problems:
            self.stderr.write(f"  пропущено: {problem}")
        self.stdout.write(
            f"Файлов: {report.files}; закупок новых {report.created}, обновлено {report.updated}, "
            f"без изменений {report.unchanged}; обновлений статуса {report.status_updates}, "
            f"документов к неизвестным закупкам {report.unknown_notices}; ошибок {len(report.problems)}; "
            f"{formats.number(time.monotonic() - started, 1)} с"
        )
