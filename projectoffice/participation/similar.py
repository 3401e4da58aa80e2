"""Similar proposals and pipeline projects while a proposal is being typed.

Texts are reduced to lemmas by the platform's Russian text engine (matching/text.py). Each process's proposals
(and the projects a person may see) are kept in an in-process inverted index, lemma → ids, rebuilt only when its
stamp (count and last change) moves: one small query per keystroke, then a few set lookups. Candidates are scored
by the IDF-weighted share of the typed lemmas they hold; the best few are re-ranked with the semantic step
(navec vectors, matching/semantic.py) for a third of the score, which costs a few hundred microseconds for ten
short texts once the vectors are loaded.
"""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Count, Max, QuerySet

from projectoffice.matching import semantic
from projectoffice.matching.text import lemmas

MIN_SCORE = 0.25
SEMANTIC_SHARE = 0.3


def text_lemmas(text: str) -> list[str]:
    """Distinct content lemmas of a text, in order (what is stored on a proposal and matched)."""
    return list(dict.fromkeys(w for w in lemmas(text) if len(w) > 2))


@dataclass
class _Index:
    """Lemma → row numbers (numpy arrays), row number → (id, title); scores are summed with numpy, so a query over
    ten thousand texts costs a few vector additions."""

    stamp: tuple[Any, ...] = ()
    postings: dict[str, np.ndarray] = field(default_factory=dict)
    ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    texts: dict[int, str] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.ids)

    def fill(self, rows: Iterable[tuple[int, str, str]]) -> None:
        lists: dict[str, list[int]] = defaultdict(list)
        ids: list[int] = []
        self.texts = {}
        for row, (pk, stored, title) in enumerate(rows):
            ids.append(pk)
            self.texts[pk] = title
            for word in set(stored.split()):
                lists[word].append(row)
        self.ids = np.array(ids, dtype=np.int64)
        self.postings = {word: np.array(rows_, dtype=np.int64) for word, rows_ in lists.items()}

    def score(self, words: list[str], top: int) -> list[tuple[float, int]]:
        """The best `top` (score, id) pairs: the IDF-weighted share of the words each text holds."""
        known = [w for w in words if w in self.postings]
        if not known or not self.size:
            return []
        weights = {w: math.log(1 + self.size / (1 + len(self.postings.get(w, ())))) for w in words}
        total = sum(weights.values()) or 1.0
        scores = np.zeros(self.size)
        for word in known:
            scores[self.postings[word]] += weights[word] / total
        best = np.argpartition(-scores, min(top, self.size - 1))[:top]
        return sorted(((float(scores[i]), int(self.ids[i])) for i in best if scores[i] > 0), reverse=True)


_indexes: dict[tuple[str, int], _Index] = {}
_checked: dict[tuple[str, int], tuple[float, Any]] = {}
_lock = threading.Lock()
FULL_CHECK_SECONDS = 10.0  # edits and moderation reach other server processes' indexes within this time


def forget(process_id: int | None = None) -> None:
    """Drop this process's index (or all of them) in this server process, after a write that changes it."""
    with _lock:
        for key in [k for k in _indexes if process_id is None or k == ("proposals", process_id)]:
            _indexes.pop(key, None)
            _checked.pop(key, None)


def _index(key: tuple[str, int], queryset: QuerySet[Any], lemma_rows: Any) -> _Index:
    """The cached index, rebuilt when a new row appears (the highest id, an index-only query on every keystroke) or
    when the full stamp (count and last change, asked at most every FULL_CHECK_SECONDS) moves."""
    newest = queryset.order_by("-pk").values_list("pk", flat=True).first()
    now = time.monotonic()
    with _lock:
        index, checked = _indexes.get(key), _checked.get(key)
    fresh = index is not None and checked is not None and checked[1] == newest
    if fresh and now - checked[0] < FULL_CHECK_SECONDS:  # type: ignore[index]
        return index  # type: ignore[return-value]
    stamp = (newest, *queryset.order_by().aggregate(n=Count("pk"), last=Max("updated_at")).values())
    with _lock:
        index = _indexes.get(key)
        if index is None or index.stamp != stamp:
            index = _Index(stamp=stamp)
            index.fill(lemma_rows())
            _indexes[key] = index
        _checked[key] = (now, newest)
    return index


@dataclass(frozen=True)
class Hit:
    pk: int
    title: str
    score: float

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def rank(index: _Index, text: str, *, limit: int, exclude: int | None = None) -> list[Hit]:
    scored = [
        (s, pk) for s, pk in index.score(text_lemmas(text), limit * 3 + 1) if pk != exclude and s >= MIN_SCORE / 2
    ]
    hits = []
    for lexical, pk in scored[: limit * 3]:
        title = index.texts[pk]
        score = (1 - SEMANTIC_SHARE) * lexical + SEMANTIC_SHARE * semantic.similarity(text, title)
        if score >= MIN_SCORE:
            hits.append(Hit(pk, title, round(score, 3)))
    return sorted(hits, key=lambda h: -h.score)[:limit]


def proposal_index(process_id: int, proposals: QuerySet[Any]) -> _Index:
    """The index of a process's published, visible proposals (`proposals` is that queryset)."""
    return _index(("proposals", process_id), proposals, lambda: proposals.values_list("pk", "lemmas", "title"))


def project_index(projects: QuerySet[Any]) -> _Index:
    """The index of every pipeline project; the caller filters hits by what the person may see."""

    def rows() -> list[tuple[int, str, str]]:
        return [
            (pk, " ".join(text_lemmas(f"{t} {s}")), t) for pk, t, s in projects.values_list("pk", "title", "summary")
        ]

    return _index(("projects", 0), projects, rows)
