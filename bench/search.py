"""Keyword search at scale: index build time and peak memory, top-10 latency, and PostgreSQL full-text search
(russian configuration, GIN index, ts_rank) on the same corpus when DATABASE_URL points to PostgreSQL.

Usage: .venv/bin/python bench/search.py [--count 1000000] [--queries 200]
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


def corpus(count: int) -> Iterator[tuple[int, str]]:
    from projectoffice.opportunities.generator import generate_notices

    for number, notice in enumerate(generate_notices(count, seed=7), start=1):
        yield number, notice.title + " " + " ".join(item.name for item in notice.items) + " " + notice.customer_name


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


def bench_postgres(report: Report, count: int, texts: list[str], engine_p95: float) -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("postgresql: skipped (DATABASE_URL does not point to PostgreSQL)")
        return
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
    ratio = p95 / engine_p95 if engine_p95 else float("inf")
    report.figure("p95_ratio_postgres_to_engine", ratio, "x")
    report.target(f"engine p95 at least {RATIO}× lower than PostgreSQL's", ratio >= RATIO)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    setup_django()
    report = Report()
    texts = queries(args.queries)
    latencies = bench_engine(report, args.count, texts)
    bench_postgres(report, args.count, texts, percentile(latencies, 95))
    report.finish()


if __name__ == "__main__":
    main()
