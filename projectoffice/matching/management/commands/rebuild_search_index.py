"""Rebuild the embedded keyword index from the database (it is a cache and can always be rebuilt)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from projectoffice.matching.index import rebuild_index


class Command(BaseCommand):
    help = "Перестраивает поисковый индекс возможностей из базы данных"

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        total = rebuild_index(progress=lambda line: self.stdout.write(f"  {line}"))
        self.stdout.write(
            self.style.SUCCESS(f"Индекс перестроен: {total} записей за {time.monotonic() - started:.1f} с")
        )
