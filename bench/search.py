"""Keyword search at scale, three engines side by side on the same corpus and queries: the embedded tantivy
engine; plain PostgreSQL full-text search (russian configuration, GIN index, ts_rank); and the platform's
PostgreSQL engine (`matching/pg_engine.py`: lemmas, a weighted tsvector, GIN and RUM). For each: build time,
size on disk, top-10 latency p50/p95. The two PostgreSQL ones run when DATABASE_URL points to PostgreSQL
(scratch tables in that database, dropped at the end).

Usage: .venv/bin/python bench/search.py [--count 1000000] [--queries 200]   (--count 20000 for a quick run)
The corpus comes from the seeded tender generator (real OKPD2 names and real customers).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from _report import Report, percentile, setup_django

BUILD_SECONDS, BUILD_MEMORY_MB, P50_MS, P95_MS, RATIO = 120, 1536, 10, 30, 10
PG_ENGINE_P95_MS, PG_ENGINE_RATIO = 50, 5  # the PostgreSQL engine against plain PostgreSQL FTS with ts_rank


def notices(count: int) -> Iterator[tuple[int, str, str]]:
    """(number, title, whole text) of each generated notice."""
    from projectoffice.opportunities.generator import generate_notices

    for number, notice in enumerate(generate_notices(count, seed=7), start=1):
        text = notice.title + " " + " ".join(item.name for item in notice.items) + " " + notice.customer_name
        yield number, notice.title, text


def corpus(count: int) -> Iterator[tuple[int, str]]:
    for number, _title, text in notices(count):
        yield number, text


def queries(n: int) -> list[str]:
    from projectoffice.opportunities.generator import _okpd_leaves

    everything, it = _okpd_leaves()
    rng = random.Random(11)  # noqa: S311 - reproducible queries
    result = []
    for _ in range(n):
        _code, name = rng.choice(it if rng.random() < 0.5 else everything)
        words = [w for w in name.replace(",", " ").split() if len(w) > 3]
        result.append(" ".join(words[: rng.choice((1, 2, 3))]) or name)
    return result


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_engine(report: Report, count: int, texts: list[str]) -> list[float]:
    from projectoffice.matching.engine import SearchDocument, TantivyEngine

    folder = Path(tempfile.mkdtemp(prefix="bench-index-"))
    try:
        engine = TantivyEngine(folder, writer_heap_bytes=512 * 1024 * 1024)
        rss_before = peak_rss_mb()
        started = time.perf_counter()
        done = 0

        def documents() -> Iterator[SearchDocument]:
            nonlocal done
            for number, text in corpus(count):
                done = number
                if number % 100_000 == 0:
                    print(f"  indexed {number:,} of {count:,} ({time.perf_counter() - started:.0f} s)", flush=True)
                yield SearchDocument(number, "tender", text)

        engine.add_new(documents())
        build = time.perf_counter() - started
        report.figure("documents", done, "notices")
        report.figure("index_build_time", build, "s")
        report.figure("index_peak_rss", peak_rss_mb(), "MB")
        report.figure("index_peak_rss_growth", peak_rss_mb() - rss_before, "MB")
        report.figure(
            "index_size_on_disk", sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20, "MB"
        )
        report.target(f"build ≤ {BUILD_SECONDS} s", build <= BUILD_SECONDS)
        report.target(f"peak memory ≤ {BUILD_MEMORY_MB} MB", peak_rss_mb() <= BUILD_MEMORY_MB)
        for query in texts[:5]:
            engine.search(query, limit=10)  # warm the searcher and the lemma cache like a running server
        latencies = []
        for query in texts:
            started = time.perf_counter()
            engine.search(query, limit=10)
            latencies.append((time.perf_counter() - started) * 1000)
        p50, p95 = percentile(latencies, 50), percentile(latencies, 95)
        report.figure("engine_top10_p50", p50, "ms")
        report.figure("engine_top10_p95", p95, "ms")
        report.target(f"p50 ≤ {P50_MS} ms", p50 <= P50_MS)
        report.target(f"p95 ≤ {P95_MS} ms", p95 <= P95_MS)
        return latencies
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def postgres_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else ""


def bench_postgres(report: Report, count: int, texts: list[str], engine_p95: float) -> float:
    """Plain PostgreSQL FTS on the raw text; returns its p95 (0 when skipped)."""
    url = postgres_url()
    if not url:
        print("postgresql: skipped (DATABASE_URL does not point to PostgreSQL)")
        return 0.0
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("DROP TABLE IF EXISTS bench_notices")
        connection.execute("CREATE UNLOGGED TABLE bench_notices (id integer PRIMARY KEY, body text NOT NULL)")
        started = time.perf_counter()
        with connection.cursor().copy("COPY bench_notices (id, body) FROM STDIN") as copy:
            for number, text in corpus(count):
                copy.write_row((number, text))
        connection.execute(
            "ALTER TABLE bench_notices ADD COLUMN tsv tsvector "
            "GENERATED ALWAYS AS (to_tsvector('russian', body)) STORED"
        )
        connection.execute("CREATE INDEX bench_notices_tsv ON bench_notices USING GIN (tsv)")
        connection.execute("ANALYZE bench_notices")
        report.figure("postgres_load_and_index_time", time.perf_counter() - started, "s")
        size = connection.execute("SELECT pg_total_relation_size('bench_notices')").fetchone()[0]  # type: ignore[index]
        report.figure("postgres_size_on_disk", size / 2**20, "MB")
        sql = (
            "SELECT id FROM bench_notices, websearch_to_tsquery('russian', %(q)s) AS q "
            "WHERE tsv @@ q ORDER BY ts_rank(tsv, q) DESC LIMIT 10"
        )
        # The engine ORs the query's words; give PostgreSQL the same question.
        for query in texts[:5]:
            connection.execute(sql, {"q": " or ".join(query.split())}).fetchall()
        latencies = []
        for query in texts:
            started = time.perf_counter()
            connection.execute(sql, {"q": " or ".join(query.split())}).fetchall()
            latencies.append((time.perf_counter() - started) * 1000)
        connection.execute("DROP TABLE bench_notices")
    p50, p95 = percentile(latencies, 50), percentile(latencies, 95)
    report.figure("postgres_top10_p50", p50, "ms")
    report.figure("postgres_top10_p95", p95, "ms")
    if engine_p95:  # tantivy ran too
        ratio = p95 / engine_p95
        report.figure("p95_ratio_postgres_to_engine", ratio, "x")
        report.target(f"engine p95 at least {RATIO}× lower than PostgreSQL's", ratio >= RATIO)
    return p95


def bench_postgres_engine(report: Report, count: int, texts: list[str], plain_p95: float) -> None:
    """The platform's PostgreSQL engine: lemmas copied into a scratch table like matching_searchentry, indexed
    the same way (the migration's statements), searched through PostgresEngine itself."""
    url = postgres_url()
    if not url:
        return
    import psycopg

    from projectoffice.matching.engine import SearchDocument
    from projectoffice.matching.pg_engine import (
        PostgresEngine,
        entry_row,
        index_sql,
        rum_available,
    )

    table = "bench_search_entries"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f"DROP TABLE IF EXISTS {table}")
        connection.execute(
            f"CREATE TABLE {table} (id bigint PRIMARY KEY, kind varchar(32) NOT NULL, title text NOT NULL, "
            "body text NOT NULL)"
        )
        started = time.perf_counter()
        with connection.cursor().copy(f"COPY {table} (id, kind, title, body) FROM STDIN") as copy:
            for number, title, text in notices(count):
                copy.write_row(entry_row(SearchDocument(number, "tender", text, title=title)))
                if number % 100_000 == 0:
                    print(f"  lemmatised {number:,} of {count:,} ({time.perf_counter() - started:.0f} s)", flush=True)
        rum = rum_available(connection.cursor())
        for statement in index_sql(table, rum=rum):  # what the migrations make of matching_searchentry
            connection.execute(statement)
        connection.execute(f"ANALYZE {table}")
        report.figure("pg_engine_rum_index", 1 if rum else 0, "(1 = RUM, 0 = GIN only)")
        report.figure("pg_engine_build_time", time.perf_counter() - started, "s")
        size = connection.execute(f"SELECT pg_total_relation_size('{table}')").fetchone()[0]  # type: ignore[index]
        report.figure("pg_engine_size_on_disk", size / 2**20, "MB")
    engine = PostgresEngine(table)
    try:
        for query in texts[:5]:
            engine.search(query, limit=10)
        latencies = []
        for query in texts:
            started = time.perf_counter()
            engine.search(query, limit=10)
            latencies.append((time.perf_counter() - started) * 1000)
    finally:
        from django.db import connection as django_connection

        django_connection.close()
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(f"DROP TABLE IF EXISTS {table}")
    p50, p95 = percentile(latencies, 50), percentile(latencies, 95)
    report.figure("pg_engine_top10_p50", p50, "ms")
    report.figure("pg_engine_top10_p95", p95, "ms")
    report.target(f"PostgreSQL engine p95 ≤ {PG_ENGINE_P95_MS} ms", p95 <= PG_ENGINE_P95_MS)
    if plain_p95:
        ratio = plain_p95 / p95 if p95 else float("inf")
        report.figure("p95_ratio_plain_fts_to_pg_engine", ratio, "x")
        report.target(
            f"PostgreSQL engine p95 at least {PG_ENGINE_RATIO}× lower than plain FTS", ratio >= PG_ENGINE_RATIO
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--engines", default="tantivy,plain,pg", help="a part of tantivy,plain,pg (default: all)")
    args = parser.parse_args()
    engines = set(args.engines.split(","))
    setup_django()
    report = Report()
    texts = queries(args.queries)
    latencies = bench_engine(report, args.count, texts) if "tantivy" in engines else []
    engine_p95 = percentile(latencies, 95) if latencies else 0.0
    plain_p95 = bench_postgres(report, args.count, texts, engine_p95) if "plain" in engines else 0.0
    if "pg" in engines:
        bench_postgres_engine(report, args.count, texts, plain_p95)
    report.finish()


if __name__ == "__main__":
    main()
