"""Materials and the data room: setting the teaser and the memorandum (PDF, DOCX) in both languages, and
watermarking a data-room PDF of many pages with the viewer's name. No database: the documents are built from
in-memory sections, as the views do after their one query.

Usage: .venv/bin/python bench/materials.py [--pages 50] [--runs 5]
Targets: a teaser PDF ≤ 2 s, a memorandum PDF ≤ 3 s, a memorandum DOCX ≤ 0.5 s, watermarking a 50-page PDF ≤ 5 s
(a representative waits for each of these after a click).
"""

from __future__ import annotations

import argparse
import io
import time
from dataclasses import replace

from _report import Report, setup_django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    setup_django()
    from pypdf import PdfReader

    from projectoffice.materials.documents import Material, build_docx, build_pdf
    from projectoffice.materials.watermark import watermark

    paragraph = "Текст раздела меморандума с цифрами 12 345 678 ₽ и сроками 2026–2030 годов. " * 12
    teaser = Material(
        "Цифровой двойник", "teaser", "ru", "ООО «Волга Софт»", [(f"Раздел {n}", paragraph[:600]) for n in range(6)]
    )
    memo = Material(
        "Цифровой двойник", "memo", "en", "Volga Soft", [(f"Section {n}", paragraph * 3) for n in range(12)]
    )
    long_pdf = build_pdf(
        Material("Длинный", "memo", "ru", "ООО", [(f"Раздел {n}", paragraph * 8) for n in range(args.pages // 2)])
    )
    pages = len(PdfReader(io.BytesIO(long_pdf)).pages)

    def worst(action) -> float:
        """The slowest of the runs; each run's text differs (Typst memoises a compilation it has seen)."""
        times = []
        for n in range(args.runs):
            start = time.perf_counter()
            action(n)
            times.append(time.perf_counter() - start)
        return max(times)

    def changed(material: Material, n: int) -> Material:
        return replace(material, project_title=f"{material.project_title} {n}")

    report = Report()
    teaser_s = worst(lambda n: build_pdf(changed(teaser, n)))
    memo_s = worst(lambda n: build_pdf(changed(memo, n)))
    docx_s = worst(lambda n: build_docx(changed(memo, n)))
    stamp_s = worst(lambda n: watermark(long_pdf, f"Ирина Инвесторова {n} · 06.12.2026 · конфиденциально"))
    report.figure("teaser PDF", teaser_s, "s")
    report.figure("memorandum PDF (12 sections)", memo_s, "s")
    report.figure("memorandum DOCX", docx_s, "s")
    report.figure(f"watermark of a {pages}-page PDF", stamp_s, "s")
    report.target("teaser PDF ≤ 2 s", teaser_s <= 2)
    report.target("memorandum PDF ≤ 3 s", memo_s <= 3)
    report.target("memorandum DOCX ≤ 0.5 s", docx_s <= 0.5)
    report.target(f"watermark of {pages} pages ≤ 5 s", stamp_s <= 5)
    report.finish()


if __name__ == "__main__":
    main()
