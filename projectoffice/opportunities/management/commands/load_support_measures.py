"""Load or refresh the catalogue of support measures shipped with the project."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from projectoffice.opportunities.catalogue import load_catalogue


class Command(BaseCommand):
    help = "Загружает каталог мер поддержки (федеральные и Самарской области) с источниками"

    def handle(self, *args: Any, **options: Any) -> None:
        result = load_catalogue()
        self.stdout.write(
            f"Меры поддержки: добавлено {result.created}, обновлено {result.updated}, без изменений {result.unchanged}"
        )
