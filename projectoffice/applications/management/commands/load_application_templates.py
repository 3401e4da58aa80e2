"""Create the built-in application templates that are missing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from projectoffice.applications.templates_loader import load_builtin_templates


class Command(BaseCommand):
    help = "Создаёт встроенные шаблоны заявок (РФРИТ, ФСИ, ФРП, корпоративный пилот, закупка)"

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Шаблонов добавлено: {load_builtin_templates()}")
