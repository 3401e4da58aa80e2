"""Participation at scale, on a scratch SQLite database (or a scratch PostgreSQL one with a PostgreSQL DATABASE_URL):

- a proposal page with 2,000 comments (threads three deep) and a draft of 300 paragraphs with 5,000 remarks render
  in under 300 ms, with the same number of queries as with a tenth of the comments and remarks;
- the duplicate check while typing (the htmx endpoint, lemmas and the semantic step included) over 10,000 proposals
  answers in p95 ≤ 50 ms (200 queries, each a different prefix of a real title, as typed).

Usage: .venv/bin/python bench/participation.py
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import sys
import tempfile
import time
from typing import Any

from _report import ROOT, Report, percentile, scratch_database

PAGE_MS, SIMILAR_P95_MS = 300, 50
WORDS = [
    "данные", "транспорт", "расписание", "автобус", "школа", "кадры", "магистратура", "промышленность",
    "цифровизация", "завод", "платформа", "облако", "безопасность", "медицина", "поликлиника", "запись", "сервис",
    "портал", "город", "двойник", "датчик", "энергия", "свет", "дорога", "ремонт", "заявка", "бизнес", "льгота",
    "грант", "обучение", "курс", "программист", "робот", "станок", "качество", "контроль", "склад",
]  # fmt: skip


def _text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def populate(rng: random.Random) -> dict[str, Any]:
    from django.utils import timezone

    from projectoffice.accounts.models import User
    from projectoffice.participation import services
    from projectoffice.participation.models import Phase, Process, Proposal
    from projectoffice.participation.similar import text_lemmas

    today = timezone.localdate()
    staff = User.objects.create(username="bench-staff", role="staff")
    users = User.objects.bulk_create(
        User(username=f"u{i}", first_name="Имя", last_name=f"Фамилия{i}") for i in range(300)
    )
    process = Process.objects.create(slug="bench", title="Стратегия", description="—",
                                     starts_on=today - dt.timedelta(days=5),
                                     ends_on=today + dt.timedelta(days=5), is_published=True)  # fmt: skip
    Phase.objects.create(process=process, title="Всё", starts_on=process.starts_on, ends_on=process.ends_on,
                         actions=["propose", "support", "comment", "remark"])  # fmt: skip
    titles = [f"{_text(rng, 4)} {i}".capitalize() for i in range(10_000)]
    bodies = [_text(rng, 25) for _ in titles]
    Proposal.objects.bulk_create(
        (Proposal(process=process, author=rng.choice(users), title=t, body=b, lemmas=" ".join(text_lemmas(f"{t} {b}")))
         for t, b in zip(titles, bodies, strict=True)), batch_size=2000)  # fmt: skip
    text = "\n\n".join(f"# Раздел {s}\n\n" + "\n\n".join(f"Пункт {s}.{p}: {_text(rng, 30)}." for p in range(30))
                       for s in range(1, 11))  # fmt: skip
    version = services.version_publish(actor=staff, process=process, title="Проект стратегии", text=text)
    return {"process": process, "proposal": Proposal.objects.order_by("pk").first(), "users": users,
            "version": version, "titles": titles}  # fmt: skip


def grow(world: dict[str, Any], rng: random.Random, comments: int, remarks: int) -> None:
    from projectoffice.participation.models import Comment, Remark

    proposal, users = world["proposal"], world["users"]
    roots = Comment.objects.bulk_create(Comment(proposal=proposal, author=rng.choice(users), body=_text(rng, 20),
                                                stance=rng.choice(["for", "against", "neutral"]))
                                        for _ in range(comments // 4))  # fmt: skip
    level = roots
    for depth in (1, 2, 3):
        level = Comment.objects.bulk_create(Comment(proposal=proposal, author=rng.choice(users), body=_text(rng, 15),
                                                    parent=rng.choice(level), depth=depth)
                                            for _ in range(comments // 4))  # fmt: skip
    paragraphs = list(world["version"].paragraphs.all())
    Remark.objects.bulk_create((Remark(paragraph=rng.choice(paragraphs), author=rng.choice(users), text=_text(rng, 15))
                                for _ in range(remarks)), batch_size=2000)  # fmt: skip


def render(path: str) -> tuple[float, int]:
    """The best of five renders of the page (ms) and its queries."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    best = float("inf")
    queries = 0
    for _ in range(5):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(path)
            best = min(best, (time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        queries = len(ctx.captured_queries)
    return best, queries


def similar(world: dict[str, Any], rng: random.Random, report: Report) -> None:
    from django.test import Client

    client = Client()
    path = "/participation/bench/similar/"
    titles_: list[str] = world["titles"]
    client.get(path, {"title": titles_[0], "body": ""})  # the index and the navec vectors load once
    times = []
    titles: list[str] = world["titles"]
    for _ in range(200):
        title = rng.choice(titles)
        typed = title[: rng.randint(12, len(title))]
        started = time.perf_counter()
        response = client.get(path, {"title": typed, "body": _text(rng, rng.randint(0, 12))})
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    report.figure("similar_p50", percentile(times, 50), "ms")
    report.figure("similar_p95", percentile(times, 95), "ms")
    report.target(
        f"duplicate check over 10,000 proposals p95 ≤ {SIMILAR_P95_MS} ms", percentile(times, 95) <= SIMILAR_P95_MS
    )


def main() -> None:
    scratch = tempfile.mkdtemp(prefix="bench-participation-")
    database, admin = scratch_database(scratch, "bench_participation")
    os.environ.update({"DATABASE_URL": database, "VAR_DIR": scratch, "DJANGO_SETTINGS_MODULE": "config.settings",
                       "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"})  # fmt: skip
    os.environ.setdefault("SECRET_KEY", "bench-only-key-0123456789-abcdefghijklmnopqrstuvwxyz")
    report = Report()
    try:
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
        call_command("migrate", verbosity=0)
        rng = random.Random(15)  # noqa: S311 - reproducible data
        started = time.perf_counter()
        world = populate(rng)
        grow(world, rng, 200, 500)
        proposal_path = f"/participation/proposals/{world['proposal'].pk}/"
        _ms, small_proposal_q = render(proposal_path)
        _ms, small_draft_q = render("/participation/bench/draft/")
        grow(world, rng, 1800, 4500)
        print(f"  data generated in {time.perf_counter() - started:.0f} s", flush=True)
        proposal_ms, proposal_q = render(proposal_path)
        draft_ms, draft_q = render("/participation/bench/draft/")
        report.figure("proposal_page_2000_comments", proposal_ms, "ms")
        report.figure("proposal_page_queries", proposal_q, "queries")
        report.figure("draft_page_300_paragraphs_5000_remarks", draft_ms, "ms")
        report.figure("draft_page_queries", draft_q, "queries")
        report.target(f"proposal page with 2,000 comments under {PAGE_MS} ms", proposal_ms < PAGE_MS)
        report.target(f"draft page with 300 paragraphs and 5,000 remarks under {PAGE_MS} ms", draft_ms < PAGE_MS)
        report.target("proposal page queries independent of the comments", proposal_q == small_proposal_q)
        report.target("draft page queries independent of the remarks", draft_q == small_draft_q)
        similar(world, rng, report)
    finally:
        from django.db import connections

        connections.close_all()
        if admin is not None:
            import psycopg

            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute("DROP DATABASE IF EXISTS bench_participation WITH (FORCE)")
        shutil.rmtree(scratch, ignore_errors=True)
    report.finish()


if __name__ == "__main__":
    main()
