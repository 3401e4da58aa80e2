"""The keyword search engine behind a small typed interface.

`SearchEngine` is what the rest of the platform calls. `TantivyEngine` keeps an embedded on-disk index
(Russian stemming, incremental adds and deletes) in one folder; `LiveIndex` keeps generations of it and swaps a
rebuilt one in atomically, so searches never see an index half filled. A distributed engine (OpenSearch) can
implement the same three methods when one machine is outgrown; see the README's "Search engine" section.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import tantivy

from projectoffice.matching.text import lemmas

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SearchDocument:
    id: int
    kind: str
    text: str  # everything searchable (the title included)
    title: str = ""  # weighted above the rest where the engine weighs fields (PostgreSQL)


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
            try:
                for document in documents:
                    writer.add_document(tantivy.Document(id=document.id, kind=document.kind, body=document.text))
                    count += 1
                    if count % commit_every == 0:
                        writer.commit()
            except BaseException:
                writer.rollback()  # stops the indexing threads, so nothing is written after the caller gives up
                writer.wait_merging_threads()
                raise
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


class LiveIndex:
    """A tantivy index that is rebuilt beside the live one and swapped in, so searches go on during a rebuild.

    Under `root` each generation has its own folder and the file `live` names the one in use. A rebuild fills a
    new folder while searches and updates keep going to the live one, then replaces `live` in one rename (atomic
    on POSIX): every process reads the name on each call and opens the new folder from then on. The generation
    before stays on disk until the next rebuild, for a process still reading it; older ones are removed.
    Before the first rebuild the live generation is `initial` (or, for an index made before generations, the
    root folder itself).
    """

    POINTER = "live"
    FIRST = "initial"

    def __init__(self, root: Path, *, writer_heap_bytes: int = 128 * 1024 * 1024) -> None:
        self.root = root
        self.writer_heap_bytes = writer_heap_bytes
        self._engines: dict[str, TantivyEngine] = {}
        self._engines_lock = threading.Lock()
        root.mkdir(parents=True, exist_ok=True)

    def live_generation(self) -> str:
        """The name of the generation searched right now."""
        try:
            return (self.root / self.POINTER).read_text().strip()
        except FileNotFoundError:
            return "" if (self.root / "meta.json").exists() else self.FIRST  # "": the folder of an older layout

    def engine(self) -> TantivyEngine:
        """The live generation's engine, opened once per process and generation."""
        name = self.live_generation()
        with self._engines_lock:
            engine = self._engines.get(name)
            if engine is None:
                engine = TantivyEngine(self.root / name, writer_heap_bytes=self.writer_heap_bytes)
                # the generation replaced stays open for a search still running on it; older ones are let go
                self._engines = {**dict(list(self._engines.items())[-1:]), name: engine}
            return engine

    def upsert(self, documents: Iterable[SearchDocument]) -> int:
        return self.engine().upsert(documents)

    def delete(self, ids: Iterable[int]) -> None:
        self.engine().delete(ids)

    def search(self, query: str, *, limit: int = 10, kinds: Iterable[str] | None = None) -> list[Hit]:
        return self.engine().search(query, limit=limit, kinds=kinds)

    def count(self) -> int:
        return self.engine().count()

    def rebuild(self, documents: Iterable[SearchDocument]) -> int:
        """Fill a new generation with these documents and make it the live one; returns how many were added.

        One rebuild at a time on this machine (a file lock); a failure leaves the live generation as it was.
        """
        with self._rebuild_lock():
            previous = self.live_generation()
            name = f"g{time.time_ns()}"
            try:
                count = TantivyEngine(self.root / name, writer_heap_bytes=self.writer_heap_bytes).add_new(documents)
            except BaseException:
                shutil.rmtree(self.root / name, ignore_errors=True)
                raise
            self._swap(name)
            logger.info("index %s: generation %s is live with %d documents", self.root, name, count)
            self._remove_generations(keep={name, previous})
        return count

    def _swap(self, name: str) -> None:
        """Point `live` at this generation in one rename."""
        pointer = self.root / self.POINTER
        staged = self.root / f".{self.POINTER}.{os.getpid()}"
        with open(staged, "w") as handle:
            handle.write(name)
            handle.flush()
            os.fsync(handle.fileno())  # on disk before the rename, so a crash never leaves an empty pointer
        os.replace(staged, pointer)

    def _remove_generations(self, *, keep: set[str]) -> None:
        for entry in self.root.iterdir():
            if entry.is_dir() and entry.name not in keep:
                shutil.rmtree(entry, ignore_errors=True)
        if "" not in keep:  # an older layout's files at the root are no generation any more
            for entry in self.root.iterdir():
                if entry.is_file() and entry.name not in {self.POINTER, "rebuild.lock"}:
                    entry.unlink(missing_ok=True)

    @contextmanager
    def _rebuild_lock(self) -> Iterator[None]:
        with open(self.root / "rebuild.lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
