"""Load or refresh the funders' channels (corporate pilots, interstate funds, export and partnering, Samara)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from projectoffice.opportunities.funders import FUNDERS, load_funders


class Command(BaseCommand):
    help = "Загружает каналы инвесторов и корпораций (funders.csv) с источниками, цитатами и датами"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", default=str(FUNDERS), help="CSV в формате funders_compiled.csv")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = load_funders(Path(options["path"]))
        except (ValidationError, OSError) as error:
            raise CommandError(f"Файл не загружен, данные не изменены: {error}") from error
        self.stdout.write(
            f"Каналы инвесторов: добавлено {result.created}, обновлено {result.updated}, "
            f"без изменений {result.unchanged}; приостановлено или под санкциями {result.suspended}"
        )
