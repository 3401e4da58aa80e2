"""Auto-coding from the command line: JSON lines {"id", "text"} in, {"id", "codes": [{"code", "score"}]} out."""

from __future__ import annotations

import json
import sys
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from projectoffice.matching.coding import SCHEMES, classify


class Command(BaseCommand):
    help = "Подбор кодов ОКПД2/ОКВЭД2 по тексту: JSON lines {id, text} на входе, {id, codes} на выходе"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scheme", choices=SCHEMES, required=True)
        parser.add_argument("--top", type=int, default=5)
        parser.add_argument("--input", help="файл JSON lines (по умолчанию — стандартный ввод)")

    def handle(self, *args: Any, scheme: str, top: int, input: str | None, **options: Any) -> None:
        if not 1 <= top <= 100:
            raise CommandError("--top: от 1 до 100")
        if input:
            try:
                with open(input, encoding="utf-8") as handle:
                    self._run(handle, scheme, top)
            except OSError as exc:
                raise CommandError(f"не удаётся открыть {input}: {exc.strerror}") from None
        else:
            self._run(sys.stdin, scheme, top)

    def _run(self, lines: IO[str], scheme: str, top: int) -> None:
        out = self.stdout
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                if not isinstance(record, dict) or "text" not in record:
                    raise ValueError("нужен объект с полем text")
                text = record["text"]
                if not isinstance(text, str):
                    raise ValueError("поле text должно быть строкой")
            except (json.JSONDecodeError, ValueError) as exc:
                self.stderr.write(f"строка {number}: пропущена — {exc}")
                continue
            codes = [{"code": c.code, "score": c.score} for c in classify(text, scheme=scheme, top=top)]
            out.write(json.dumps({"id": record.get("id"), "codes": codes}, ensure_ascii=False), ending="\n")
            out.flush()
