"""The learned half of OKPD2 auto-coding: a nearest-neighbour text classifier over real labelled texts.

Training data (`training_examples`): the OKPD2 classifier's own names (every code labelled with its class, so the
model knows every class, services included), real texts labelled with OKPD2 codes (`data/labelled/`, see
PROVENANCE.md there: a Moscow catalogue mapping, suppliers' price offers, an industrial products directory,
223-FZ lots) and the KTRU position names of the real 44-FZ notices shipped with the opportunities app.

Features: word uni- and bigrams of the lemmatised text and character 4-grams of its words, TF-IDF weighted;
the model is nearest neighbours (cosine) over the training texts: a text's classes are its 50 nearest labelled
texts' classes, each vote the squared similarity divided by the square root of its source's size (so the Moscow
catalogue's 13,000 rows and the classifier's 20,000 names do not outvote a small source of buyers' wording).
`coding.classify` blends this with BM25 over the classifier's names and hierarchy. `manage.py train_coder`
re-builds the artefact (deterministic: no random step); the artefact records FEATURE_VERSION and a test checks
that it matches the code's pipeline.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import joblib
import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import normalize

from projectoffice.matching.synonyms import SYNONYMS
from projectoffice.matching.text import lemmas

FEATURE_VERSION = "okpd2-tfidf-w12-c4-syn-knn50-sq-srcbal-v3"
DATA = Path(__file__).resolve().parent / "data"
LABELLED = DATA / "labelled"
MODEL_PATH = DATA / "okpd2_model.joblib"
NEIGHBOURS = 50
SIMILARITY_POWER = 2  # a close neighbour counts much more than a loose one
SOURCE_BALANCE = 0.5  # a vote is divided by (rows of its source) ** SOURCE_BALANCE
CHAR_NGRAMS = (4, 4)
MAX_SHARE = 0.02  # features in more than 2 % of the texts say little and make the neighbour search slow


@dataclass(frozen=True)
class Labelled:
    text: str
    label: str  # class-level code, XX.YY
    source: str


def normalise(text: str) -> str:
    """The text the features see: lemmas in order, stop words dropped, then the classifier's words for buyers'
    words (`synonyms.py`: «приложение» → программный), so texts meet the classifier's names halfway."""
    words = lemmas(text)
    extra = [synonym for word in dict.fromkeys(words) for synonym in SYNONYMS.get(word, [])]
    return " ".join(words + [word for word in dict.fromkeys(extra) if word not in words])


def features(*, max_share: float = MAX_SHARE) -> Pipeline:
    words = TfidfVectorizer(
        ngram_range=(1, 2), token_pattern=r"\S+", sublinear_tf=True, max_df=max_share, dtype=np.float32
    )
    chars = TfidfVectorizer(
        analyzer="char_wb", ngram_range=CHAR_NGRAMS, sublinear_tf=True, min_df=2, max_df=max_share, dtype=np.float32
    )
    return Pipeline([("union", FeatureUnion([("words", words), ("chars", chars)]))])


@lru_cache(maxsize=100_000)
def _normalised(text: str) -> str:
    return normalise(text)


class LearnedCoder:
    """A fitted TF-IDF pipeline, the training texts' unit vectors (rows) and their class labels.

    The neighbours of a text are the rows with the highest cosine similarity: one sparse matrix product.
    """

    def __init__(
        self,
        pipeline: Pipeline,
        matrix: sparse.csr_matrix,
        labels: Sequence[str],
        weights: Sequence[float] | np.ndarray | None = None,
    ):
        self.pipeline = pipeline
        self.blocks = []
        offset = 0
        for _name, vectorizer in pipeline.named_steps["union"].transformer_list:
            idf = vectorizer.idf_.astype(float).tolist()
            self.blocks.append((offset, vectorizer.build_analyzer(), vectorizer.vocabulary_, idf))
            offset += len(idf)
        self.matrix = sparse.csr_matrix(matrix, dtype=np.float32)
        self.transposed = self.matrix.T.tocsr()
        self.classes = sorted(set(labels))
        position = {klass: i for i, klass in enumerate(self.classes)}
        self.label_index = np.array([position[label] for label in labels], dtype=np.int32)
        self.weights = np.ones(len(labels), dtype=np.float32) if weights is None else np.asarray(weights, np.float32)
        self.version = FEATURE_VERSION

    @classmethod
    def fit(cls, examples: Sequence[Labelled]) -> LearnedCoder:
        pipeline = features(max_share=MAX_SHARE if len(examples) >= 1000 else 1.0)  # a tiny set keeps all terms
        matrix = normalize(pipeline.fit_transform([_normalised(example.text) for example in examples]))
        for _name, vectorizer in pipeline.named_steps["union"].transformer_list:
            vectorizer.stop_words_ = set()  # terms cut by min_df: only for inspection, and large
        sizes = Counter(example.source for example in examples)
        weights = [sizes[example.source] ** -SOURCE_BALANCE for example in examples]
        return cls(pipeline, matrix, [example.label for example in examples], weights)

    def top_many(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """For each text, its neighbours' classes with summed votes (squared cosine similarity × the source's weight),
        scaled so the best is 1."""
        queries = self.vectors(texts)
        similarities = (queries @ self.transposed).tocsr()
        result = []
        for row in range(similarities.shape[0]):
            start, end = similarities.indptr[row], similarities.indptr[row + 1]
            values, columns = similarities.data[start:end], similarities.indices[start:end]
            if len(values) > NEIGHBOURS:
                keep = np.argpartition(-values, NEIGHBOURS)[:NEIGHBOURS]
                values, columns = values[keep], columns[keep]
            votes: dict[str, float] = {}
            for similarity, column in zip(values.tolist(), columns.tolist(), strict=True):
                if similarity > 0:
                    klass = self.classes[self.label_index[column]]
                    vote = similarity**SIMILARITY_POWER * float(self.weights[column])
                    votes[klass] = votes.get(klass, 0.0) + vote
            ceiling = max(votes.values(), default=0.0) or 1.0
            result.append({klass: vote / ceiling for klass, vote in votes.items()})
        return result

    def vectors(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """Unit TF-IDF vectors, the same as the fitted vectorisers give (a test checks it) without their per-call
        input checks, which cost more than the work on one short text."""
        data: list[float] = []
        columns: list[int] = []
        indptr = [0]
        for text in texts:
            row = self._row(_normalised(text))
            norm = math.sqrt(sum(value * value for value in row.values())) or 1.0
            columns.extend(row)
            data.extend(value / norm for value in row.values())
            indptr.append(len(columns))
        return sparse.csr_matrix(
            (np.array(data, dtype=np.float32), np.array(columns, dtype=np.int32), np.array(indptr)),
            shape=(len(texts), self.matrix.shape[1]),
        )

    def _row(self, normalised: str) -> dict[int, float]:
        """Column → weight: each block is sublinear TF × IDF scaled to unit length, as TfidfVectorizer does."""
        row: dict[int, float] = {}
        for offset, analyse, vocabulary, idf in self.blocks:
            counts = Counter(analyse(normalised))
            block = {
                vocabulary[term]: (1.0 + math.log(count)) * idf[vocabulary[term]]
                for term, count in counts.items()
                if term in vocabulary
            }
            norm = math.sqrt(sum(value * value for value in block.values())) or 1.0
            row.update({offset + column: value / norm for column, value in block.items()})
        return row

    def top(self, text: str) -> dict[str, float]:
        return self.top_many([text])[0]

    def save(self, path: Path = MODEL_PATH) -> None:
        state = {
            "version": FEATURE_VERSION,
            "pipeline": self.pipeline,
            "matrix": self.matrix,
            "labels": [self.classes[i] for i in self.label_index],
            "weights": self.weights,
        }
        joblib.dump(state, path, compress=3)

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> LearnedCoder:
        state = joblib.load(path)
        if state.get("version") != FEATURE_VERSION:
            raise ModelMismatch(
                f"модель автокодирования {path.name} собрана версией признаков {state.get('version')!r}, "
                f"а код ожидает {FEATURE_VERSION!r}: переобучите её командой train_coder"
            )
        return cls(state["pipeline"], state["matrix"], state["labels"], state["weights"])


class ModelMismatch(RuntimeError):
    pass


@lru_cache(maxsize=1)
def shipped() -> LearnedCoder | None:
    """The shipped model, loaded once per process; None when the file is missing (BM25 alone then)."""
    if not MODEL_PATH.exists():
        return None
    return LearnedCoder.load(MODEL_PATH)
