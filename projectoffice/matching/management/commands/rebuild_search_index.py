"""Rebuild the embedded keyword index from the database (it is a cache and can always be rebuilt)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from projectoffice.lib import formats
from projectoffice.matching.index import rebuild_index


class Command(BaseCommand):
    help = "Перестраивает поисковый индекс возможностей из базы данных"

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        total = rebuild_index(progress=lambda line: self.stdout.write(f"  {line}"))
        records = formats.plural(total, "запись", "записи", "записей")
        seconds = formats.number(time.monotonic() - started, 1)
        self.stdout.write(self.style.SUCCESS(f"Индекс перестроен: {records} за {seconds} с"))
