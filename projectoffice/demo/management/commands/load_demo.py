"""Load the Samara demo region (idempotent); refuses a non-embedded database without --allow-non-embedded."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from projectoffice.classifiers.models import Region
from projectoffice.demo.loader import DEMO_PASSWORD, USERS, load_demo
from projectoffice.matching.index import rebuild_index


class Command(BaseCommand):
    help = "Загружает демонстрационный регион (Самарская область): организации, проекты и пользователей"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-non-embedded",
            action="store_true",
            help="Разрешить загрузку демо-данных в базу, заданную DATABASE_URL (не во встроенную SQLite)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.USING_EMBEDDED_DATABASE and not options["allow_non_embedded"]:
            raise CommandError(
                "DATABASE_URL указывает на внешнюю базу. "
                "Демо-данные загружаются туда только с флагом --allow-non-embedded."
            )
        if not Region.objects.filter(iso_code="RU-SAM").exists():
            raise CommandError("Справочники не загружены: сначала выполните `manage.py load_classifiers`.")
        report = load_demo(progress=lambda line: self.stdout.write(f"  {line}"))
        rebuild_index(progress=lambda line: self.stdout.write(f"  поисковый индекс: {line}"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Демо-регион загружен: новых организаций {report.organisations_created}, "
                f"проектов {report.projects_created}, пользователей {report.users_created}, "
                f"демо-закупок {report.tenders_created}."
            )
        )
        self.stdout.write(f"Демо-входы (пароль у всех: {DEMO_PASSWORD}):")
        for username, role, *_rest, superuser in USERS:
            label = "суперпользователь" if superuser else role.label
            self.stdout.write(f"  {username:<10} — {label}")
