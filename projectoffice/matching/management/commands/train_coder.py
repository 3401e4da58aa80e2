"""Re-build the shipped auto-coding model (matching/data/okpd2_model.joblib) from the shipped labelled data."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from projectoffice.lib.formats import number
from projectoffice.matching.devset import all_sources, training_examples
from projectoffice.matching.learned import MODEL_PATH, LearnedCoder


class Command(BaseCommand):
    help = "Переобучение модели автокодирования ОКПД2 на размеченных текстах и названиях классификатора"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", default=str(MODEL_PATH), help="куда записать модель")

    def handle(self, *args: Any, output: str, **options: Any) -> None:
        started = time.perf_counter()
        for source, rows in all_sources().items():
            self.stdout.write(f"источник {source}: {len(rows)} текстов")
        examples = training_examples()
        self.stdout.write(f"обучение на {len(examples)} текстах…")
        coder = LearnedCoder.fit(examples)
        path = Path(output)
        coder.save(path)
        size = path.stat().st_size / 1_000_000
        self.stdout.write(
            f"Готово: {len(coder.classes)} классов, {len(examples)} текстов, файл {path.name} — "
            f"{number(size, 1)} МБ, {number(time.perf_counter() - started, 0)} с"
        )
