"""Auto-coding: free text → ranked OKPD2 or OKVED2 codes with scores.

OKPD2 classes are ranked by a blend of two halves: the learned coder (`learned.py`, nearest neighbours over
real labelled texts and the classifier's names) and BM25 over the classifier (below). The BM25 half is
A BM25 index over the classifiers' names, lemmatised, where every code also inherits its ancestors' names
(the hierarchy), plus a small vocabulary of procurement synonyms. OKVED2 scores also draw on OKPD2: a product
class XX.YY is made by the activity class XX.YY. Scores are aggregated per class so that the top N are
N different classes, each represented by its best-matching specific code.
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from projectoffice.classifiers.loaders import DATA_DIR
from projectoffice.matching import learned
from projectoffice.matching.learned import LearnedCoder
from projectoffice.matching.synonyms import SYNONYMS
from projectoffice.matching.text import STOP_WORDS, lemma, lemmas, tokens

SCHEMES = ("okpd2", "okved2")
K1, B = 1.2, 0.6
PARENT_WEIGHT = 0.2
COVERAGE_POWER = 0.5
OKPD_FOR_OKVED = 1.0
LEARNED_WEIGHT = 0.5  # the learned half's share of an OKPD2 class score (chosen on the tuning folds, devset.py)


PURPOSE_MARKERS = frozenset({"для", "нужда", "целях", "цель"})
PURPOSE_WEIGHT = 0.3


def _weighted_words(text: str) -> list[tuple[str, float]]:
    """Lemmas with weights: 1 for the subject, PURPOSE_WEIGHT after a purpose marker."""
    words, weight = [], 1.0
    for token in tokens(text):
        word = lemma(token)
        if word in PURPOSE_MARKERS or token in PURPOSE_MARKERS:
            weight = PURPOSE_WEIGHT
            continue
        if word not in STOP_WORDS and len(word) > 1:
            words.append((word, weight))
    return words


@dataclass(frozen=True)
class CodeScore:
    code: str
    score: float


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    klass: str


def class_of(code: str) -> str:
    """The class-level code: 62.01.11.000 → 62.01; shorter headings (62, 62.0) are not classes ("")."""
    parts = code.split(".")
    return ".".join(parts[:2]) if len(parts) >= 2 and len(parts[1]) == 2 else ""


def _read(path: Path, code_field: str = "code") -> list[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            (row[code_field].strip(), row["name"].strip()) for row in csv.DictReader(handle) if row[code_field].strip()
        ]


class CodeIndex:
    """BM25 over codes' names with their ancestors' names; built once per process."""

    def __init__(
        self,
        rows: list[tuple[str, str]],
        *,
        exclude: frozenset[str] = frozenset(),
        parent_weight: float = PARENT_WEIGHT,
        synonyms: dict[str, list[str]] | None = None,
        coverage_power: float = COVERAGE_POWER,
    ) -> None:
        """`parent_weight=0, synonyms={}, coverage_power=0` gives plain BM25 over the names (the baseline)."""
        self.synonyms = SYNONYMS if synonyms is None else synonyms
        self.coverage_power = coverage_power
        names = dict(rows)
        self.codes: list[Code] = []
        postings: dict[str, dict[int, float]] = defaultdict(dict)
        lengths: list[float] = []
        for code, name in rows:
            if code.isalpha() or code in exclude:
                continue
            index = len(self.codes)
            self.codes.append(Code(code, name, class_of(code)))
            weights: dict[str, float] = defaultdict(float)
            for term in lemmas(name):
                weights[term] += 1.0
            for ancestor in self._ancestors(code, names) if parent_weight else []:
                for term in set(lemmas(names[ancestor])):
                    weights[term] += parent_weight
            for term, weight in weights.items():
                postings[term][index] = weight
            lengths.append(sum(weights.values()) or 1.0)
        self.postings = dict(postings)
        self.lengths = lengths
        self.average = sum(lengths) / max(len(lengths), 1)
        n = len(self.codes)
        self.idf = {term: math.log(1 + (n - len(p) + 0.5) / (len(p) + 0.5)) for term, p in self.postings.items()}
        self.by_prefix: dict[str, list[str]] = defaultdict(list)
        for term in self.postings:
            if len(term) >= 6:
                self.by_prefix[term[:5]].append(term)

    @staticmethod
    def _ancestors(code: str, names: dict[str, str]) -> list[str]:
        found, candidate = [], code
        while len(candidate) > 2:
            candidate = candidate[:-1].rstrip(".")
            if candidate in names and candidate != code:
                found.append(candidate)
        return found

    def _expand(self, text: str) -> dict[str, dict[str, float]]:
        """Query word → {index term: weight}: the word itself, stem neighbours for unknown forms, synonyms.

        Words of a purpose clause ("… для школ", "… для нужд больницы") say who buys, not what: they weigh less.
        """
        expanded: dict[str, dict[str, float]] = {}
        for word, weight in _weighted_words(text) if self.synonyms else ((w, 1.0) for w in lemmas(text)):
            if word in expanded:
                continue
            terms: dict[str, float] = {}
            if word in self.postings:
                terms[word] = weight
            elif len(word) >= 6 and self.synonyms:  # an unknown word form: vocabulary words sharing its stem
                for similar in self.by_prefix.get(word[:5], [])[:5]:
                    terms[similar] = 0.5 * weight
            for synonym in self.synonyms.get(word, []):
                if synonym in self.postings:
                    terms[synonym] = max(terms.get(synonym, 0.0), 0.6 * weight)
            if terms:
                expanded[word] = terms
        return expanded

    def scores(self, text: str) -> dict[int, float]:
        """BM25, multiplied by the share of the query's words a code covers (so one stray word ranks low)."""
        totals: dict[int, float] = defaultdict(float)
        covered: dict[int, float] = defaultdict(float)
        expanded = self._expand(text)
        for terms in expanded.values():
            word_scores: dict[int, float] = defaultdict(float)
            for term, query_weight in terms.items():
                idf = self.idf[term]
                for index, tf in self.postings[term].items():
                    norm = K1 * (1 - B + B * self.lengths[index] / self.average)
                    word_scores[index] = max(word_scores[index], query_weight * idf * tf * (K1 + 1) / (tf + norm))
            importance = max(terms.values())
            for index, score in word_scores.items():
                totals[index] += score
                covered[index] += importance
        words = sum(max(terms.values()) for terms in expanded.values()) or 1.0
        return {index: score * (covered[index] / words) ** self.coverage_power for index, score in totals.items()}

    def by_class(self, text: str) -> dict[str, tuple[float, str]]:
        """Class → (score, best specific code)."""
        best: dict[str, tuple[float, str]] = {}
        for index, score in self.scores(text).items():
            code = self.codes[index]
            if not code.klass:
                continue
            # Prefer detailed codes slightly: a class heading alone says less than a matching product.
            if code.klass not in best or score > best[code.klass][0]:
                best[code.klass] = (score, code.code)
        return best


def classifier_rows(scheme: str) -> list[tuple[str, str]]:
    if scheme == "okpd2":
        return _read(DATA_DIR / "okpd2.csv")
    if scheme == "okved2":
        return _read(DATA_DIR / "okved2.csv")
    raise ValueError(f"unknown scheme {scheme!r}: expected okpd2 or okved2")


@lru_cache(maxsize=2)
def code_index(scheme: str) -> CodeIndex:
    return CodeIndex(classifier_rows(scheme))


def blend(
    bm25: dict[str, tuple[float, str]], learned: dict[str, float], *, weight: float | None = None
) -> dict[str, tuple[float, str]]:
    """Class → (score, code): BM25 scaled so its best is 1, plus `weight` × the learned share (best = 1).

    A class only the learned half proposes is shown as the class code itself (62.01).
    """
    weight = LEARNED_WEIGHT if weight is None else weight
    ceiling = max((score for score, _code in bm25.values()), default=0.0) or 1.0
    blended = {klass: ((1 - weight) * score / ceiling, code) for klass, (score, code) in bm25.items()}
    for klass, share in learned.items():
        previous, code = blended.get(klass, (0.0, klass))
        blended[klass] = (previous + weight * share, code)
    return blended


def _okpd_ranking(text: str, indexes: dict[str, CodeIndex], coder: LearnedCoder | bool | None) -> dict:
    ranked = (indexes.get("okpd2") or code_index("okpd2")).by_class(text)
    model = learned.shipped() if coder is True else coder or None
    return blend(ranked, model.top(text)) if model else ranked


def classify(
    text: str,
    *,
    scheme: str,
    top: int = 5,
    indexes: dict[str, CodeIndex] | None = None,
    okpd_for_okved: bool = True,
    coder: LearnedCoder | bool | None = True,
) -> list[CodeScore]:
    """The top classes for the text, each as its best specific code, with scores scaled to 0..1.

    `coder` (OKPD2 only; OKVED2 keeps BM25 and the OKPD2 BM25 evidence): True uses the shipped learned model, a
    LearnedCoder uses that one (cross-validation), None or False ranks by BM25 alone.
    """
    if scheme not in SCHEMES:
        raise ValueError(f"unknown scheme {scheme!r}: expected okpd2 or okved2")
    if not text.strip():
        return []
    indexes = indexes or {}
    use_okpd = scheme == "okpd2" or okpd_for_okved
    ranked = _okpd_ranking(text, indexes, coder if scheme == "okpd2" else None) if use_okpd else {}
    if scheme == "okved2":
        okved = indexes.get("okved2") or code_index("okved2")
        known = {code.klass for code in okved.codes}
        direct = okved.by_class(text)
        merged: dict[str, tuple[float, str]] = {}
        for klass, (score, _code) in ranked.items():
            if klass in known:
                merged[klass] = (OKPD_FOR_OKVED * score, klass)
        for klass, (score, code) in direct.items():
            previous = merged.get(klass, (0.0, code))[0]
            merged[klass] = (previous + score, code)
        ranked = merged
    best = sorted(ranked.items(), key=lambda item: (-item[1][0], item[0]))[:top]
    if not best:
        return []
    ceiling = best[0][1][0] or 1.0
    return [CodeScore(code, round(score / ceiling, 4)) for _klass, (score, code) in best]
