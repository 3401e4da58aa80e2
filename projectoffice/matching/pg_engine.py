"""The keyword search engine in PostgreSQL, for several web servers and workers sharing one database.

`PostgresEngine` keeps documents in a table (`matching.SearchEntry`, or a scratch table in the benchmark): the
lemmas of the project's own text pipeline (`text.py`, so the same words match as with tantivy), and a generated
`tsvector` over them with the `simple` configuration — the title weighted A, the rest B. A GIN index answers
`@@`; when the server has the RUM extension (Debian's `postgresql-15-rum`) RUM indexes also order the hits inside
the index, so the top ten come without reading the table for every match: the whole text's by rank (`<=>`), the
title's by the title's length, kept in the index beside each entry (`rum_tsvector_addon_ops`). Writes go through
the caller's connection, inside its transaction: every node sees a change when the record's transaction commits,
and a rollback takes the index change back with it.
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
    """Statements adding the weighted tsvector (and the title's own) with GIN indexes to a table with id, kind,
    title and body."""
    return [
        f"ALTER TABLE {table} ADD COLUMN tsv tsvector GENERATED ALWAYS AS "
        "(setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', body), 'B')) STORED",
        f"ALTER TABLE {table} ADD COLUMN title_tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', title)) STORED",
        f"CREATE INDEX {table}_tsv_gin ON {table} USING GIN (tsv)",
        f"CREATE INDEX {table}_kind ON {table} (kind)",
    ]


def rum_sql(table: str) -> list[str]:
    """RUM indexes over both tsvectors, ordering the hits by rank inside the index; the title's replaces its GIN."""
    return [
        f"CREATE INDEX {table}_tsv_rum ON {table} USING rum (tsv rum_tsvector_ops)",
        f"CREATE INDEX {table}_title_tsv_rum ON {table} USING rum (title_tsv rum_tsvector_ops)",
    ]


def title_length_sql(table: str) -> list[str]:
    """The title's length in distinct lemmas, which orders the records whose title holds every word of a query
    (migration 0005; the benchmark builds the final layout with `index_sql`)."""
    return [
        f"ALTER TABLE {table} ADD COLUMN title_len smallint "
        "GENERATED ALWAYS AS (length(to_tsvector('simple', title))) STORED",
    ]


def title_rum_sql(table: str) -> list[str]:
    """The title's RUM index keeps each entry's title length beside it, ordered by it (`order_by_attach`): the
    shortest titles holding every word come out of the index without the table, and without ranking every match
    (ordering by it costs a third of ordering by `<=>`, measured on 200,000 notices). It replaces the title's
    plain RUM index of migration 0004."""
    return [
        f"DROP INDEX IF EXISTS {table}_title_tsv_rum",
        f"CREATE INDEX {table}_title_tsv_rum ON {table} USING rum (title_tsv rum_tsvector_addon_ops, title_len) "
        "WITH (attach = 'title_len', to = 'title_tsv', order_by_attach = 't')",
    ]


def index_sql(table: str, *, rum: bool) -> list[str]:
    """The whole layout on a fresh table with id, kind, title and body: what migrations 0004 and 0005 leave."""
    statements = tsvector_sql(table) + title_length_sql(table)
    if rum:
        return [*statements, "CREATE EXTENSION IF NOT EXISTS rum", rum_sql(table)[0], *title_rum_sql(table)[1:]]
    return [*statements, title_gin_sql(table)]


def title_gin_sql(table: str) -> str:
    """Without RUM, the title's tsvector gets a GIN index."""
    return f"CREATE INDEX {table}_title_tsv_gin ON {table} USING GIN (title_tsv)"


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
        """The top hits, in tiers, each asked only while `limit` is not filled: records whose title holds every
        word of the query (shortest title first), then those holding every word anywhere (by rank), then those
        whose title holds any word (shortest title first), then those holding any word anywhere (by rank).

        Ranking every record that holds one common word costs time in proportion to how many do (a word of
        customers' names is in a third of the notices); records whose titles hold the words are far fewer, and
        they are the ones a ranking over the whole text puts on top anyway. Scores fall from tier to tier.
        """
        every, anyone = tsquery_text(query, "&"), tsquery_text(query, "|")
        if not every:
            return []
        kinds = list(kinds or [])
        tiers = [("title_tsv", "every", "TRUE"), ("tsv", "every", "NOT title_tsv @@ every")]
        if anyone != every:
            tiers.append(("title_tsv", "anyone", "NOT tsv @@ every"))
            tiers.append(("tsv", "anyone", "NOT tsv @@ every AND NOT title_tsv @@ anyone"))
        # One statement: PostgreSQL's Append runs a tier only when the ones above it gave fewer than `limit`.
        parts = [
            self._tier(column, name, exclude, base=len(tiers) - number, by_kind=bool(kinds))
            for number, (column, name, exclude) in enumerate(tiers)
        ]
        sql = (
            "SELECT id, score FROM ("  # noqa: S608 - fixed fragments
            + " UNION ALL ".join(f"({part})" for part in parts)
            + ") AS tiers LIMIT %(limit)s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, {"every": every, "anyone": anyone, "kinds": kinds, "limit": limit})
            return [Hit(int(pk), float(score)) for pk, score in cursor.fetchall()]

    def _tier(self, column: str, query_name: str, exclude: str, *, base: int, by_kind: bool) -> str:
        """One tier's ranked hits; `base` keeps every score of a tier above those of the tiers below it.

        The title tier orders by the title's length, shortest first (with every word in the title, the shorter
        the title the more it is about them: what BM25's length normalisation gives tantivy); the others by rank.
        """
        kind_filter = "AND kind = ANY(%(kinds)s)" if by_kind else ""
        if column == "title_tsv":
            rank = "1.0 / (1 + title_len)"
            order = "title_len <=> 0::smallint" if self.uses_rum() else "title_len, id"
        elif self.uses_rum():  # distance 1/rank, ordered inside the index
            rank, order = f"coalesce(1 / NULLIF({column} <=> q, 0), 0)", f"{column} <=> q"
        else:
            rank, order = f"ts_rank({column}, q)", f"ts_rank({column}, q) DESC, id"
        return (
            f"SELECT id, {base} + {rank} / (1 + {rank}) AS score "  # noqa: S608 - fixed fragments
            f"FROM {self.table}, to_tsquery('simple', %({query_name})s) AS q, "
            "to_tsquery('simple', %(every)s) AS every, to_tsquery('simple', %(anyone)s) AS anyone "
            f"WHERE {column} @@ q AND {exclude} {kind_filter} ORDER BY {order} LIMIT %(limit)s"
        )

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
