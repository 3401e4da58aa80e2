"""Auto-coding: accuracy on the development set (vs plain BM25) and throughput.

Usage: .venv/bin/python bench/classify.py [--held-out N]
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from _report import Report, setup_django

THROUGHPUT_TARGET = 200  # texts per second


def semantic_rerank_accuracy(examples: list[Any], *, weight: float) -> float:
    """Accuracy@1 when the top 20 classes are re-ranked by navec cosine to the class name (the measured option)."""
    from projectoffice.matching.coding import classifier_rows, code_index
    from projectoffice.matching.semantic import similarity

    names = dict(classifier_rows("okpd2"))
    hits = 0
    for example in examples:
        ranked = sorted(code_index("okpd2").by_class(example.text).items(), key=lambda item: -item[1][0])[:20]
        if not ranked:
            continue
        top = ranked[0][1][0] or 1.0
        rescored = sorted(
            ((score / top + weight * similarity(example.text, names.get(klass, names.get(code, ""))), klass)
             for klass, (score, code) in ranked),
            reverse=True,
        )  # fmt: skip
        hits += rescored[0][1] == example.label
    return hits / max(len(examples), 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--held-out", type=int, default=400)
    args = parser.parse_args()
    setup_django()
    from projectoffice.matching.coding import classify, code_index
    from projectoffice.matching.devset import development_report, ktru_examples

    report = Report()
    started = time.perf_counter()
    code_index("okpd2"), code_index("okved2")
    report.figure("index_build", time.perf_counter() - started, "s")
    ours = development_report(held_out_size=args.held_out)
    baseline = development_report(held_out_size=args.held_out, baseline=True)
    for mine, plain in zip(ours, baseline, strict=True):
        report.figure(f"accuracy_at1[{mine.source}, n={mine.size}]", mine.at1, "")
        report.figure(f"accuracy_at5[{mine.source}, n={mine.size}]", mine.at5, "")
        report.figure(f"baseline_bm25_at1[{plain.source}]", plain.at1, "")
        report.figure(f"baseline_bm25_at5[{plain.source}]", plain.at5, "")
    semantic_ktru = semantic_rerank_accuracy(ktru_examples(), weight=0.4)
    report.figure("semantic_rerank_at1[ktru, navec weight 0.4]", semantic_ktru, "")
    texts = [e.text for e in ktru_examples()] * 30
    texts += ["Оказание услуг по сопровождению информационной системы", "Поставка картриджей для принтеров"] * 200
    started = time.perf_counter()
    for text in texts:
        classify(text, scheme="okpd2", top=5)
    okpd_rate = len(texts) / (time.perf_counter() - started)
    started = time.perf_counter()
    for text in texts:
        classify(text, scheme="okved2", top=5)
    okved_rate = len(texts) / (time.perf_counter() - started)
    report.figure("throughput_okpd2", okpd_rate, "texts/s")
    report.figure("throughput_okved2", okved_rate, "texts/s")
    report.target(f"okpd2 throughput ≥ {THROUGHPUT_TARGET} texts/s", okpd_rate >= THROUGHPUT_TARGET)
    report.target(f"okved2 throughput ≥ {THROUGHPUT_TARGET} texts/s", okved_rate >= THROUGHPUT_TARGET)
    report.target("accuracy@1 above plain BM25 on real buyer texts (ktru)", ours[0].at1 > baseline[0].at1)
    report.target("accuracy@1 above plain BM25 on held-out OKVED2", ours[2].at1 > baseline[2].at1)
    report.finish()


if __name__ == "__main__":
    main()
