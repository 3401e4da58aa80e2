"""The needs service at scale, on a scratch SQLite database (or a scratch PostgreSQL one with a PostgreSQL
DATABASE_URL):

- routing 10,000 needs against 2,000 IT solutions, 500 experts and 50 partner institutions (needs/routing.py: the
  index built from the database, then every need scored with its reasons) in under 10 s;
- one need's proposals (`routing.proposals_for`, as the office's routing page asks for them, financing included)
  in p95 ≤ 100 ms over 100 needs;
- the public landscape of demand page over 100,000 needs in under 300 ms, with the same number of queries as over
  10,000.

Usage: .venv/bin/python bench/needs.py
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

ROUTING_S, PROPOSALS_P95_MS, LANDSCAPE_MS = 10.0, 100.0, 300.0
NEEDS_ROUTED, SOLUTIONS, EXPERTS, INSTITUTIONS, LANDSCAPE_NEEDS = 10_000, 2_000, 500, 50, 100_000
WORDS = [
    "станок", "диспетчеризация", "простой", "учёт", "склад", "качество", "контроль", "камера", "дефект", "датчик",
    "вибрация", "энергия", "цех", "план", "производство", "заказ", "ERP", "MES", "интернет", "вещей", "кадры",
    "обучение", "безопасность", "сеть", "импортозамещение", "1С", "техническое", "зрение", "сварка", "литьё",
    "логистика", "закупки", "ремонт", "обслуживание", "прогноз", "отчётность", "двойник", "робот", "линия", "партия",
]  # fmt: skip
OKVEDS = ["10", "20", "22", "24", "25", "27", "28", "29", "30", "33"]


def _text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def populate(rng: random.Random) -> dict[str, Any]:
    from projectoffice.accounts.models import User
    from projectoffice.classifiers.models import OkvedCode, Region
    from projectoffice.needs import models as m
    from projectoffice.organisations.models import Organisation, OrganisationKind

    region = Region.objects.get_or_create(
        iso_code="RU-SAM",
        defaults={"name": "Самарская", "name_with_type": "Самарская обл", "federal_district": "Приволжский",
                  "okato": "36000000000", "oktmo": "36000000", "tax_code": "63", "kladr_id": "6300000000000",
                  "fias_id": "df3d7359-afa9-4aaa-8ff9-197e73906b1c"},
    )[0]  # fmt: skip
    okveds = {}
    for code in OKVEDS:
        okveds[code] = OkvedCode.objects.get_or_create(code=code, defaults={"name": f"Класс {code}", "level": 2})[0]
        OkvedCode.objects.get_or_create(code=f"{code}.1", defaults={"name": f"Группа {code}.1", "level": 3})
    themes = [m.Theme.objects.create(name=f"Тема {i}", order=i) for i in range(8)]
    subjects = [
        m.Subject.objects.create(theme=themes[i % 8], name=f"Предмет {i}", keywords=_text(rng, 4)) for i in range(30)
    ]
    municipalities = [
        m.Municipality.objects.create(name=f"городской округ Бенч-{i}", short_name=f"Бенч-{i}",
                                      kind=m.MunicipalityKind.URBAN_DISTRICT, oktmo=f"36{i:09d}")
        for i in range(27)
    ]  # fmt: skip
    enterprises = Organisation.objects.bulk_create(
        Organisation(kind=OrganisationKind.INDUSTRIAL, name=f"АО «Завод {i}»", short_name=f"Завод {i}",
                     inn=f"{6300000000 + i}", region=region, main_okved=okveds[OKVEDS[i % 10]],
                     founded_on=dt.date(1990 + i % 30, 1, 1))
        for i in range(2000)
    )  # fmt: skip
    vendors = Organisation.objects.bulk_create(
        Organisation(kind=OrganisationKind.IT_COMPANY, name=f"ООО «Софт {i}»", short_name=f"Софт {i}",
                     inn=f"{6310000000 + i}", region=region)
        for i in range(400)
    )  # fmt: skip
    solutions = m.Solution.objects.bulk_create(
        m.Solution(vendor=vendors[i % 400], name=f"Решение {i} {_text(rng, 2)}", description=_text(rng, 25),
                   okved_codes=[rng.choice(OKVEDS)], registry_number=100000 + i if i % 2 else None,
                   registry_class="Средства управления производством" if i % 3 else "", published=True)
        for i in range(SOLUTIONS)
    )  # fmt: skip
    through = m.Solution.subjects.through
    through.objects.bulk_create(
        through(solution_id=s.pk, subject_id=subjects[j].pk)
        for i, s in enumerate(solutions)
        for j in {i % 30, (i * 7) % 30}
    )
    m.SolutionCase.objects.bulk_create(
        m.SolutionCase(solution=s, customer=f"Завод {i}", industry_okved=rng.choice(OKVEDS), task=_text(rng, 8),
                       result=_text(rng, 6), figures="простои −20 %")
        for i, s in enumerate(solutions[::2])
    )  # fmt: skip
    institutions = m.PartnerInstitution.objects.bulk_create(
        m.PartnerInstitution(name=f"Институт {i}", kind="support_centre",
                             okved_prefixes=[OKVEDS[i % 10]] if i % 2 else [], min_headcount=None if i % 3 else 10)
        for i in range(INSTITUTIONS)
    )  # fmt: skip
    users = User.objects.bulk_create(
        User(username=f"expert{i}", first_name="Эксперт", last_name=f"№{i}", role="expert") for i in range(EXPERTS)
    )
    experts = m.Expert.objects.bulk_create(
        m.Expert(user=u, institution=institutions[i % INSTITUTIONS], max_open_needs=20) for i, u in enumerate(users)
    )
    m.Expert.subjects.through.objects.bulk_create(
        m.Expert.subjects.through(expert_id=e.pk, subject_id=subjects[j].pk)
        for i, e in enumerate(experts)
        for j in {i % 30, (i * 11) % 30, (i * 13) % 30}
    )
    m.Expert.municipalities.through.objects.bulk_create(
        m.Expert.municipalities.through(expert_id=e.pk, municipality_id=municipalities[i % 27].pk)
        for i, e in enumerate(experts)
        if i % 4
    )
    requests = m.IntakeRequest.objects.bulk_create(
        m.IntakeRequest(inn=o.inn, organisation=o, organisation_name=o.name, contact_name="Контакт",
                        contact_email=f"c{i}@example.invalid", description="-", status=m.IntakeStatus.QUALIFIED)
        for i, o in enumerate(enterprises)
    )  # fmt: skip
    return {"subjects": subjects, "municipalities": municipalities, "requests": requests, "enterprises": enterprises}


def add_needs(world: dict[str, Any], rng: random.Random, count: int) -> None:
    from django.utils import timezone

    from projectoffice.needs import models as m

    now = timezone.now()
    m.Need._meta.get_field("created_at").auto_now_add = False  # the needs are spread over two years
    statuses = list(m.NeedStatus.values)
    batch = []
    for _ in range(count):
        request = rng.choice(world["requests"])
        batch.append(
            m.Need(request=request, organisation_id=request.organisation_id, subject=rng.choice(world["subjects"]),
                   municipality=rng.choice(world["municipalities"]), description=_text(rng, 15),
                   status=rng.choice(statuses), created_at=now - dt.timedelta(days=rng.randint(0, 720)))
        )  # fmt: skip
        if len(batch) == 5000:
            m.Need.objects.bulk_create(batch)
            batch = []
    m.Need.objects.bulk_create(batch)


def render(path: str) -> tuple[float, int, float]:
    """The page computed afresh (the cache emptied first; the best of three, ms), its queries, and the page served
    from the landscape's cache (best of five, ms)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.get(path)  # templates compiled, URLs loaded
    best, queries = float("inf"), 0
    for _ in range(3):
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(path)
            best = min(best, (time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        queries = len(ctx.captured_queries)
    cached = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        client.get(path)
        cached = min(cached, (time.perf_counter() - started) * 1000)
    return best, queries, cached


def routing(report: Report, rng: random.Random) -> None:
    from projectoffice.needs import routing as r
    from projectoffice.needs.models import Need

    ids = list(Need.objects.order_by("pk").values_list("pk", flat=True)[:NEEDS_ROUTED])
    r.invalidate()
    started = time.perf_counter()
    needs = list(r.needs_for_routing(ids))
    index = r.RoutingIndex.build()
    results = r.route(needs, index)
    seconds = time.perf_counter() - started
    with_reasons = sum(1 for p in results.values() if p.solutions and p.solutions[0].reasons)
    report.figure("routing_10000_needs_2000_solutions_500_experts", seconds, "s")
    report.figure("routing_needs_with_reasoned_solutions", with_reasons, "needs")
    report.target(f"routing {NEEDS_ROUTED:,} needs in under {ROUTING_S:g} s", seconds < ROUTING_S)
    timings = []
    sample = rng.sample(needs, 100)
    r.proposals_for(sample[0])  # the process's index is built once, as in a running server
    for need in sample:
        started = time.perf_counter()
        r.proposals_for(need)
        timings.append((time.perf_counter() - started) * 1000)
    p95 = percentile(timings, 95)
    report.figure("one_need_proposals_p95", p95, "ms")
    report.figure("one_need_proposals_median", percentile(timings, 50), "ms")
    report.target(f"one need's proposals in p95 ≤ {PROPOSALS_P95_MS:g} ms", p95 <= PROPOSALS_P95_MS)


def main() -> None:
    scratch = tempfile.mkdtemp(prefix="bench-needs-")
    database, admin = scratch_database(scratch, "bench_needs")
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
        rng = random.Random(16)  # noqa: S311 - reproducible data
        started = time.perf_counter()
        world = populate(rng)
        add_needs(world, rng, NEEDS_ROUTED)
        print(f"  catalogue and {NEEDS_ROUTED:,} needs generated in {time.perf_counter() - started:.0f} s", flush=True)
        routing(report, rng)
        _ms, small_queries, _cached = render("/needs/landscape/")
        add_needs(world, rng, LANDSCAPE_NEEDS - NEEDS_ROUTED)
        print(f"  {LANDSCAPE_NEEDS:,} needs in all after {time.perf_counter() - started:.0f} s", flush=True)
        landscape_ms, queries, cached_ms = render("/needs/landscape/")
        report.figure("landscape_page_100000_needs", landscape_ms, "ms")
        report.figure("landscape_page_100000_needs_from_cache", cached_ms, "ms")
        report.figure("landscape_page_queries", queries, "queries")
        report.target(
            f"landscape page over {LANDSCAPE_NEEDS:,} needs under {LANDSCAPE_MS:g} ms", landscape_ms < LANDSCAPE_MS
        )
        report.target("landscape page queries independent of the needs", queries == small_queries)
    finally:
        from django.db import connections

        connections.close_all()
        if admin is not None:
            import psycopg

            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute("DROP DATABASE IF EXISTS bench_needs WITH (FORCE)")
        shutil.rmtree(scratch, ignore_errors=True)
    report.finish()


if __name__ == "__main__":
    main()
