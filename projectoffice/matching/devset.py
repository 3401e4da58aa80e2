"""A labelled development set for auto-coding, built from the real data shipped with the project.

1. KTRU position names from the real 44-FZ notices export (the buyer-facing names of catalogue positions,
   which differ from the OKPD2 names) labelled with the OKPD2 class of their KTRU code.
2. Held-out classifier entries: a seeded sample of the most detailed OKPD2 (and OKVED2) codes whose names
   are removed from the index before they are classified, labelled with their class; the classifier must
   place them from their siblings and ancestors.
Accuracy is counted at the class level (XX.YY, e.g. 62.01).
"""

from __future__ import annotations

import csv
import random
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from projectoffice.matching.coding import CodeIndex, class_of, classifier_rows, classify
from projectoffice.matching.learned import LABELLED, Labelled, LearnedCoder

NOTICES = (
    Path(__file__).resolve().parents[1]
    / "opportunities"
    / "data"
    / "zakupki"
    / "notices44_okpd2-26_2019_multiregion.csv"
)
_KTRU = re.compile(r"(\d{2}\.\d{2}\.\d{2}\.\d{3})-\d+:\s*([^;]+)")


@dataclass(frozen=True)
class Example:
    text: str
    label: str  # class-level code
    source: str


def ktru_examples() -> list[Example]:
    found: dict[str, str] = {}
    with NOTICES.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            for code, name in _KTRU.findall(row["ObjectName"]):
                name = name.strip()
                if "..." not in name and "$" not in name:
                    found.setdefault(name, class_of(code))
    return [Example(text, label, "ktru") for text, label in sorted(found.items())]


def held_out(scheme: str, *, size: int, seed: int = 63) -> tuple[list[Example], frozenset[str]]:
    rows = classifier_rows(scheme)
    names = dict(rows)
    depth = 4 if scheme == "okpd2" else 3
    leaves = [
        (code, name)
        for code, name in rows
        if code.count(".") + 1 >= depth
        and class_of(code)
        and name.lower() != names.get(code.rsplit(".", 1)[0], "").lower()
    ]
    rng = random.Random(seed)  # noqa: S311 - a reproducible sample, not a secret
    sample = rng.sample(leaves, min(size, len(leaves)))
    examples = [Example(name, class_of(code), f"{scheme}-held-out") for code, name in sample]
    return examples, frozenset(code for code, _ in sample)


@dataclass(frozen=True)
class Accuracy:
    source: str
    size: int
    at1: float
    at5: float


def evaluate(
    examples: list[Example], *, scheme: str, indexes: dict[str, CodeIndex] | None = None, okpd_for_okved: bool = True
) -> Accuracy:
    hit1 = hit5 = 0
    for example in examples:
        codes = classify(example.text, scheme=scheme, top=5, indexes=indexes, okpd_for_okved=okpd_for_okved, coder=None)
        predicted = [class_of(c.code) for c in codes]
        hit1 += bool(predicted) and predicted[0] == example.label
        hit5 += example.label in predicted
    n = max(len(examples), 1)
    return Accuracy(examples[0].source if examples else "", len(examples), hit1 / n, hit5 / n)


PLAIN_BM25 = {"parent_weight": 0.0, "synonyms": {}, "coverage_power": 0.0}


def development_report(*, held_out_size: int = 400, baseline: bool = False) -> list[Accuracy]:
    """Accuracy of the BM25 half on each part of the development set (held-out codes are removed from a fresh index).

    The learned half is measured by `grouped_folds` (it was trained on these texts and names).

    `baseline=True` measures plain BM25 over the classifier's names, for comparison.
    """
    options = PLAIN_BM25 if baseline else {}
    okpd_examples, okpd_excluded = held_out("okpd2", size=held_out_size)
    okved_examples, okved_excluded = held_out("okved2", size=held_out_size // 2)
    okpd_full = CodeIndex(classifier_rows("okpd2"), **options)  # type: ignore[arg-type]
    okpd_held = CodeIndex(classifier_rows("okpd2"), exclude=okpd_excluded, **options)  # type: ignore[arg-type]
    okved_held = CodeIndex(classifier_rows("okved2"), exclude=okved_excluded, **options)  # type: ignore[arg-type]
    return [
        evaluate(ktru_examples(), scheme="okpd2", indexes={"okpd2": okpd_full}),
        evaluate(okpd_examples, scheme="okpd2", indexes={"okpd2": okpd_held}),
        evaluate(
            okved_examples,
            scheme="okved2",
            indexes={"okpd2": okpd_full, "okved2": okved_held},
            okpd_for_okved=not baseline,
        ),
    ]


# Grouped cross-validation of the learned coder: every fold leaves one whole source out (never rows).
TUNING_SOURCES = ("andreisaw_223fz_lots", "kpgz_mos_2020", "zh2022_industrial_directory", "zh2022_price_offers")
# Sources never used to choose a setting: reported as test-only groups.
TEST_ONLY_SOURCES = ("ktru", "okpd2-held-out")


def is_goods(label: str) -> bool:
    """OKPD2 sections A–F (divisions 01–43) are goods and works; 45–99 are services."""
    return label[:2].isdigit() and int(label[:2]) <= 43


@dataclass(frozen=True)
class Fold:
    source: str
    examples: list[Example]
    predictions: list[list[str]]  # top-5 classes per example

    def accuracy(self, keep: Callable[[Example], bool] = lambda _e: True, name: str = "") -> Accuracy:
        pairs = [(e, p) for e, p in zip(self.examples, self.predictions, strict=True) if keep(e)]
        n = max(len(pairs), 1)
        at1 = sum(bool(p) and p[0] == e.label for e, p in pairs) / n
        at5 = sum(e.label in p for e, p in pairs) / n
        return Accuracy(name or self.source, len(pairs), at1, at5)


def _predict(examples: list[Example], coder: Any, indexes: dict[str, CodeIndex] | None = None) -> list[list[str]]:
    return [
        [class_of(c.code) for c in classify(e.text, scheme="okpd2", top=5, indexes=indexes, coder=coder)]
        for e in examples
    ]


def grouped_folds(
    *, sources: tuple[str, ...] | None = None, held_out_size: int = 400, progress: Callable[[str], None] = print
) -> list[Fold]:
    """Leave-one-source-out: for each source, a coder trained on every other source plus the classifier's names."""
    groups = all_sources()
    folds = []
    for source in sources or (*sorted(groups), "okpd2-held-out"):
        if source == "okpd2-held-out":
            examples, excluded = held_out("okpd2", size=held_out_size)
            coder = LearnedCoder.fit(training_examples(exclude_codes=excluded))
            index = CodeIndex(classifier_rows("okpd2"), exclude=excluded)
            folds.append(Fold(source, examples, _predict(examples, coder, {"okpd2": index})))
        else:
            examples = [Example(row.text, row.label, source) for row in groups[source]]
            coder = LearnedCoder.fit(training_examples(leave_out=[source]))
            folds.append(Fold(source, examples, _predict(examples, coder)))
        progress(f"{source}: {len(examples)} текстов")
    return folds


def split_report(folds: list[Fold]) -> list[Accuracy]:
    """Per source, then goods and services over every fold (micro-averaged)."""
    rows = [fold.accuracy() for fold in folds]
    merged = Fold("all", [e for f in folds for e in f.examples], [p for f in folds for p in f.predictions])
    rows.append(merged.accuracy(lambda e: is_goods(e.label), "goods (01–43)"))
    rows.append(merged.accuracy(lambda e: not is_goods(e.label), "services (45–99)"))
    return rows


# Training data of the learned coder: the classifier's names and every real labelled source.


def labelled_sources() -> list[str]:
    return sorted(path.stem for path in LABELLED.glob("*.tsv"))


def labelled(source: str) -> list[Labelled]:
    """One shipped labelled file; rows whose code is shorter than a class (45.1) are skipped."""
    with (LABELLED / f"{source}.tsv").open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t")
        return [Labelled(row["text"], class_of(row["okpd2"]), source) for row in rows if class_of(row["okpd2"])]


def classifier_examples(*, exclude: frozenset[str] = frozenset()) -> list[Labelled]:
    return [
        Labelled(name, class_of(code), "okpd2-names")
        for code, name in classifier_rows("okpd2")
        if class_of(code) and code not in exclude
    ]


def ktru() -> list[Labelled]:
    return [Labelled(example.text, example.label, "ktru") for example in ktru_examples()]


def all_sources() -> dict[str, list[Labelled]]:
    """Every source of real labelled texts, by name (the groups of the grouped cross-validation)."""
    found = {source: labelled(source) for source in labelled_sources()}
    found["ktru"] = ktru()
    return found


def training_examples(*, leave_out: Iterable[str] = (), exclude_codes: frozenset[str] = frozenset()) -> list[Labelled]:
    """Classifier names plus every real source except `leave_out`."""
    skipped = set(leave_out)
    examples = classifier_examples(exclude=exclude_codes)
    for source, rows in all_sources().items():
        if source not in skipped:
            examples.extend(rows)
    return examples
