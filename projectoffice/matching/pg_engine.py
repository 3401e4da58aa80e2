"""The keyword search engine in PostgreSQL, for several web servers and workers sharing one database.

`PostgresEngine` keeps documents in a table (`matching.SearchEntry`, or a scratch table in the benchmark): the
lemmas of the project's own text pipeline (`text.py`, so the same words match as with tantivy), and a generated
`tsvector` over them with the `simple` configuration — the title weighted A, the rest B. A GIN index answers
`@@`; when the server has the RUM extension (Debian's `postgresql-15-rum`) a RUM index also orders the hits by
rank (`<=>`), so the top ten come from the index without reading every match. Writes go through the caller's
connection, inside its transaction: every node sees a change when the record's transaction commits, and a
rollback takes the index change back with it.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice

from django.db import connection, transaction

from projectoffice.matching.engine import Hit, SearchDocument, query_terms
from projectoffice.matching.text import lemmas

TABLE = "matching_searchentry"
BATCH = 2000


def tsvector_sql(table: str) -> list[str]:
    """Statements adding the weighted tsvector and its GIN index to a table with id, kind, title and body."""
    return [
        f"ALTER TABLE {table} ADD COLUMN tsv tsvector GENERATED ALWAYS AS "
        "(setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', body), 'B')) STORED",
        f"CREATE INDEX {table}_tsv_gin ON {table} USING GIN (tsv)",
        f"CREATE INDEX {table}_kind ON {table} (kind)",
    ]


def rum_sql(table: str) -> str:
    return f"CREATE INDEX {table}_tsv_rum ON {table} USING rum (tsv rum_tsvector_ops)"


def rum_available(cursor: object) -> bool:
    """Whether the server can make the RUM extension (it may be installed already)."""
    cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")  # type: ignore[attr-defined]
    return cursor.fetchone() is not None  # type: ignore[attr-defined]


def tsquery_text(query: str, operator: str = "|") -> str:
    """The query's lemmas joined by `operator`, each quoted (they hold only letters, digits and hyphens)."""
    return f" {operator} ".join(f"'{term}'" for term in query_terms(query))


def entry_row(document: SearchDocument) -> tuple[int, str, str, str]:
    return (document.id, document.kind, " ".join(lemmas(document.title)), " ".join(lemmas(document.text)))


class PostgresEngine:
    """Documents in a PostgreSQL table, searched with a weighted tsvector (RUM when present, else GIN)."""

    def __init__(self, table: str = TABLE) -> None:
        self.table = table
        self._rum: bool | None = None

    def uses_rum(self) -> bool:
        if self._rum is None:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [f"{self.table}_tsv_rum"])
                self._rum = cursor.fetchone() is not None
        return self._rum

    def upsert(self, documents: Iterable[SearchDocument]) -> int:
        count = 0
        iterator = iter(documents)
        with transaction.atomic(), connection.cursor() as cursor:
            while rows := [entry_row(document) for document in islice(iterator, BATCH)]:
                cursor.executemany(
                    f"INSERT INTO {self.table} (id, kind, title, body) VALUES (%s, %s, %s, %s) "  # noqa: S608 - our table name
                    "ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, title = EXCLUDED.title, body = EXCLUDED.body",
                    rows,
                )
                count += len(rows)
        return count

    def delete(self, ids: Iterable[int]) -> None:
        ids = list(ids)
        if ids:
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {self.table} WHERE id = ANY(%s)", [ids])  # noqa: S608 - our table name

    def search(self, query: str, *, limit: int = 10, kinds: Iterable[str] | None = None) -> list[Hit]:
        """The top hits by rank: those holding every word of the query first, then, to fill `limit`, any word.

        Ranking every record that holds any one common word costs time in proportion to how many do; the records
        holding all the words are far fewer, and they are the ones a ranking over any word puts on top anyway.
        """
        every, anyone = tsquery_text(query, "&"), tsquery_text(query, "|")
        if not every:
            return []
        kinds = list(kinds or [])
        hits = self._ranked(every, limit, kinds)
        if len(hits) < limit and every != anyone:
            seen = {hit.id for hit in hits}
            more = self._ranked(anyone, limit + len(hits), kinds)
            hits += [hit for hit in more if hit.id not in seen][: limit - len(hits)]
        return hits

    def _ranked(self, tsquery: str, limit: int, kinds: list[str]) -> list[Hit]:
        kind_filter = "AND kind = ANY(%(kinds)s)" if kinds else ""
        if self.uses_rum():  # distance 1/rank, ordered inside the index
            select, order = "1 / NULLIF(tsv <=> q, 0)", "tsv <=> q"
        else:
            select, order = "ts_rank(tsv, q)", "ts_rank(tsv, q) DESC, id"
        sql = (
            f"SELECT id, {select} FROM {self.table}, to_tsquery('simple', %(q)s) AS q "  # noqa: S608 - fixed fragments
            f"WHERE tsv @@ q {kind_filter} ORDER BY {order} LIMIT %(limit)s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, {"q": tsquery, "kinds": kinds, "limit": limit})
            return [Hit(int(pk), float(score or 0.0)) for pk, score in cursor.fetchall()]

    def count(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {self.table}")  # noqa: S608 - our table name
            return int(cursor.fetchone()[0])

    def rebuild(self, documents: Iterable[SearchDocument]) -> int:
        """Replace every entry in one transaction: searches on other connections see the old ones until it commits."""
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {self.table}")  # noqa: S608 - our table name
            return self.upsert(documents)
