"""Semantic re-ranking with navec word vectors (the Russian news embedding shipped inside the natasha package).

A text's vector is the mean of its lemmas' vectors; relevance is the cosine between two texts. Nothing is
downloaded: the vectors are a file inside the installed package. Measured on the auto-coding development set
it does not improve code ranking (bench/classify.py); on the judged matching cases it does not help either
(bench/matching.py --semantic navec), so matching keeps it behind `ranking.SEMANTIC_SHARE`, now 0.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from projectoffice.matching.text import lemmas


@lru_cache(maxsize=1)
def _navec() -> Any:
    import natasha
    from navec import Navec

    path = Path(natasha.__file__).resolve().parent / "data" / "emb" / "navec_news_v1_1B_250K_300d_100q.tar"
    return Navec.load(str(path))


@lru_cache(maxsize=50_000)
def text_vector(text: str) -> np.ndarray | None:
    """The unit mean vector of the text's known lemmas, or None when none is known."""
    navec = _navec()
    vectors = [navec[word] for word in lemmas(text) if word in navec]
    if not vectors:
        return None
    mean = np.mean(vectors, axis=0)
    norm = float(np.linalg.norm(mean))
    return mean / norm if norm else None


def similarity(a: str, b: str) -> float:
    """Cosine similarity of two texts in [0, 1] (negative similarity counts as none)."""
    va, vb = text_vector(a), text_vector(b)
    if va is None or vb is None:
        return 0.0
    return max(0.0, float(va @ vb))
