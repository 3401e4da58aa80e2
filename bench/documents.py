"""Application documents: time and peak memory to build the DOCX and the PDF of a large application
(12 sections of 3,000 characters, a 60-row budget, a 10-item checklist).

Usage: .venv/bin/python bench/documents.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import time
import tracemalloc
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from _report import Report, setup_django

TARGET_SECONDS = 2.0


def context() -> Any:
    from projectoffice.applications.documents import BudgetRow, ChecklistRow, PackageContext

    rng = random.Random(3)  # noqa: S311 - reproducible text
    words = [
        "платформа",
        "данные",
        "внедрение",
        "предприятие",
        "производство",
        "анализ",
        "модель",
        "система",
        "цифровой",
        "решение",
        "заказчик",
        "разработка",
        "результат",
        "показатель",
        "этап",
        "интеграция",
        "безопасность",
        "пользователь",
        "сервис",
    ]

    def text(chars: int) -> str:
        out: list[str] = []
        while sum(len(w) + 1 for w in out) < chars:
            out.append(rng.choice(words))
        sentence = " ".join(out)[:chars]
        return "\n".join(sentence[i : i + 600].capitalize() + "." for i in range(0, len(sentence), 600))

    return PackageContext(
        title="Цифровой двойник производственной линии",
        opportunity="Гранты на разработку цифровых продуктов",
        provider="РФРИТ",
        organisation="ООО «Волга Софт»",
        inn="6315000010",
        region="Самарская обл",
        deadline="20.12.2026",
        status="Подготовка",
        sections=[(f"Раздел {n}: {rng.choice(words)}", text(3000)) for n in range(1, 13)],
        budget=[
            BudgetRow(
                f"Статья {n}: {rng.choice(words)}",
                Decimal(rng.randint(1, 900) * 1000),
                Decimal(rng.randint(1, 900) * 1000),
                Decimal(rng.randint(0, 300) * 1000),
                "",
            )
            for n in range(60)
        ],
        checklist=[ChecklistRow(f"Документ {n}", n % 2 == 0, [f"file-{n}.pdf"]) for n in range(10)],
    )


def measure(build: Callable[[], bytes], repeat: int) -> tuple[float, float, float, int]:
    """(first-run seconds, best seconds, peak MiB of Python allocations, size in bytes)."""
    best, size, first = float("inf"), 0, 0.0
    for attempt in range(repeat):
        started = time.perf_counter()
        content = build()
        elapsed = time.perf_counter() - started
        first = elapsed if attempt == 0 else first
        best, size = min(best, elapsed), len(content)
    tracemalloc.start()  # a separate run: tracing slows the code it watches
    build()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return first, best, peak, size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    setup_django()
    from projectoffice.applications.documents import build_docx, build_pdf

    report = Report()
    ctx = context()
    for name, build in (("docx", lambda: build_docx(ctx)), ("pdf", lambda: build_pdf(ctx))):
        first, seconds, peak, size = measure(build, args.repeat)
        report.figure(f"{name}_first_build_time (fonts and styles loaded)", first, "s")
        report.figure(f"{name}_build_time", seconds, "s")
        report.figure(f"{name}_peak_python_memory", peak, "MiB")
        report.figure(f"{name}_size", size / 1024, "KiB")
        report.target(f"{name} under {TARGET_SECONDS} s, first build included", max(first, seconds) < TARGET_SECONDS)
    report.finish()


if __name__ == "__main__":
    main()
