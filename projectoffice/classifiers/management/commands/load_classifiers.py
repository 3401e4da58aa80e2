"""Load or refresh OKVED2, OKPD2 and the regions from the files shipped with the project."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from projectoffice.classifiers.loaders import load_all
from projectoffice.lib import formats


class Command(BaseCommand):
    help = "Загружает или обновляет справочники ОКВЭД2, ОКПД2 и регионов из файлов проекта"

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        results = load_all(progress=lambda line: self.stdout.write(f"  {line}"))
        for result in results:
            self.stdout.write(
                f"{result.name}: всего {result.total}, добавлено {result.created}, "
                f"обновлено {result.updated}, без изменений {result.unchanged}"
            )
        seconds = formats.number(time.monotonic() - started, 1)
        self.stdout.write(self.style.SUCCESS(f"Справочники загружены за {seconds} с"))
