"""The keyword search engine behind a small typed interface.

`SearchEngine` is what the rest of the platform calls. `TantivyEngine` keeps an embedded on-disk index
(Russian stemming, incremental adds and deletes). A distributed engine (OpenSearch) can implement the same
three methods when one machine is outgrown; see the README's "Search engine" section.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import tantivy

from projectoffice.matching.text import lemmas


@dataclass(frozen=True)
class SearchDocument:
    id: int
    kind: str
    text: str


@dataclass(frozen=True)
class Hit:
    id: int
    score: float


class SearchEngine(Protocol):
    def upsert(self, documents: Iterable[SearchDocument]) -> int: ...

    def delete(self, ids: Iterable[int]) -> None: ...

    def search(self, query: str, *, limit: int = 10, kinds: Iterable[str] | None = None) -> list[Hit]: ...


def query_terms(text: str) -> list[str]:
    """Lemmas safe to hand to the query parser: letters and digits only, so no query syntax gets through."""
    return [term for term in dict.fromkeys(lemmas(text)) if term.replace("-", "").isalnum()][:64]


class TantivyEngine:
    """An embedded tantivy index in a folder; one writer at a time (a lock shared by this process)."""

    _locks: dict[Path, threading.Lock] = {}

    def __init__(self, path: Path, *, writer_heap_bytes: int = 128 * 1024 * 1024) -> None:
        self.path = path
        self.writer_heap_bytes = writer_heap_bytes
        builder = tantivy.SchemaBuilder()
        builder.add_integer_field("id", stored=True, indexed=True, fast=True)
        builder.add_text_field("kind", stored=False, tokenizer_name="raw")
        builder.add_text_field("body", stored=False, tokenizer_name="ru_stem")
        self.schema = builder.build()
        path.mkdir(parents=True, exist_ok=True)
        self.index = tantivy.Index(self.schema, path=str(path), reuse=True)
        self._lock = self._locks.setdefault(path.resolve(), threading.Lock())

    def _writer(self) -> tantivy.IndexWriter:
        for attempt in range(50):
            try:
                return self.index.writer(heap_size=self.writer_heap_bytes, num_threads=2)
            except ValueError:  # another process holds the writer lock
                time.sleep(0.1 * (attempt + 1))
        return self.index.writer(heap_size=self.writer_heap_bytes, num_threads=2)

    def upsert(self, documents: Iterable[SearchDocument]) -> int:
        count = 0
        with self._lock:
            writer = self._writer()
            for document in documents:
                writer.delete_documents_by_term("id", document.id)
                writer.add_document(tantivy.Document(id=document.id, kind=document.kind, body=document.text))
                count += 1
            writer.commit()
            writer.wait_merging_threads()
        self.index.reload()
        return count

    def add_new(self, documents: Iterable[SearchDocument], *, commit_every: int = 200_000) -> int:
        """Bulk-add documents known to be absent (a fresh index): no per-document delete, periodic commits."""
        count = 0
        with self._lock:
            writer = self._writer()
            for document in documents:
                writer.add_document(tantivy.Document(id=document.id, kind=document.kind, body=document.text))
                count += 1
                if count % commit_every == 0:
                    writer.commit()
            writer.commit()
            writer.wait_merging_threads()
        self.index.reload()
        return count

    def delete(self, ids: Iterable[int]) -> None:
        with self._lock:
            writer = self._writer()
            for pk in ids:
                writer.delete_documents_by_term("id", pk)
            writer.commit()
            writer.wait_merging_threads()
        self.index.reload()

    def clear(self) -> None:
        with self._lock:
            writer = self._writer()
            writer.delete_all_documents()
            writer.commit()
            writer.wait_merging_threads()
        self.index.reload()

    def search(self, query: str, *, limit: int = 10, kinds: Iterable[str] | None = None) -> list[Hit]:
        terms = query_terms(query)
        if not terms:
            return []
        parsed = self.index.parse_query(" OR ".join(terms), ["body"])
        kinds = list(kinds or [])
        if kinds:
            kind_query = tantivy.Query.boolean_query(
                [(tantivy.Occur.Should, tantivy.Query.term_query(self.schema, "kind", kind)) for kind in kinds]
            )
            parsed = tantivy.Query.boolean_query([(tantivy.Occur.Must, parsed), (tantivy.Occur.Must, kind_query)])
        searcher = self.index.searcher()
        result = searcher.search(parsed, limit)
        return [Hit(int(searcher.doc(address)["id"][0]), float(score)) for score, address in result.hits]

    def count(self) -> int:
        return int(self.index.searcher().num_docs)
