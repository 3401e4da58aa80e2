"""The KPI dashboard at scale: 20 indicators × 5 years over 100,000 applications, 200,000 registrations and
10,000 manual entries, on PostgreSQL (a scratch database), with the query count at a tenth of the data too.

Usage: DATABASE_URL=postgres://… .venv/bin/python bench/kpis.py [--scale 1.0]
Without a PostgreSQL DATABASE_URL it runs on a scratch SQLite file (a check that it works, at a small --scale;
the time target is for PostgreSQL).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import sys
import tempfile
import time
from decimal import Decimal

from _report import ROOT, Report, scratch_database

TARGET_MS = 300
YEARS = [2022, 2023, 2024, 2025, 2026]


def populate(scale: float, rng: random.Random, offset: int = 0) -> None:
    from django.utils import timezone

    from projectoffice.accounts.models import User
    from projectoffice.applications.models import Application, ApplicationTemplate
    from projectoffice.classifiers.models import Region
    from projectoffice.events.models import CheckIn, Event, Registration, Session
    from projectoffice.kpis.models import Indicator, ManualEntry
    from projectoffice.opportunities.models import Opportunity
    from projectoffice.organisations.models import Organisation
    from projectoffice.projects.models import Project

    region, _ = Region.objects.get_or_create(
        iso_code="RU-SAM",
        defaults={
            "name": "Самарская",
            "name_with_type": "Самарская обл",
            "federal_district": "Приволжский",
            "okato": "36",
            "oktmo": "36",
            "tax_code": "63",
            "kladr_id": "63",
            "fias_id": "x",
            "timezone": "UTC+4",
        },
    )
    user, _ = User.objects.get_or_create(username="bench", defaults={"role": "staff"})
    approver, _ = User.objects.get_or_create(username="bench2", defaults={"role": "staff"})
    template, _ = ApplicationTemplate.objects.get_or_create(key="bench", defaults={"name": "bench"})
    n_orgs, n_projects, n_opps = int(1000 * scale) or 1, int(5000 * scale) or 1, 500
    orgs = Organisation.objects.bulk_create(
        Organisation(
            kind=rng.choice(["it_company", "it_company", "industrial", "university"]),
            name=f"Орг {offset}-{i}",
            short_name=f"Орг {offset}-{i}",
            inn=f"B{offset:02d}{i:08d}",
            region=region,
        )
        for i in range(n_orgs)
    )

    def moment() -> dt.datetime:
        return timezone.make_aware(dt.datetime(rng.choice(YEARS), rng.randint(1, 12), rng.randint(1, 28), 12))

    projects = Project.objects.bulk_create(
        Project(title=f"П {offset}-{i}", lead_organisation=rng.choice(orgs), summary="s", created_by=user)
        for i in range(n_projects)
    )
    Project.objects.filter(pk__in=[p.pk for p in projects]).update(
        created_at=timezone.make_aware(dt.datetime(2024, 5, 5))
    )
    opps = Opportunity.objects.bulk_create(
        Opportunity(
            kind="grant", external_id=f"b{offset}-{i}", title=f"Конкурс {i}", provider_name="Фонд", status="published"
        )
        for i in range(n_opps)
    )
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < int(100_000 * scale):
        pairs.add((rng.randrange(len(projects)), rng.randrange(len(opps))))
    applications = []
    for p, o in pairs:
        day = moment().date()
        status = rng.choice(["submitted", "supported", "declined", "draft"])
        applications.append(
            Application(
                project=projects[p],
                opportunity=opps[o],
                template=template,
                status=status,
                submitted_on=day,
                readiness_at_submission=rng.randint(50, 100),
                outcome_on=day + dt.timedelta(days=40) if status in ("supported", "declined") else None,
                awarded_amount=Decimal(rng.randint(1, 50) * 100_000) if status == "supported" else None,
            )
        )
    Application.objects.bulk_create(applications, batch_size=5000)
    events = []
    for i in range(int(2000 * scale) or 1):
        start = moment()
        events.append(
            Event(
                kind=rng.choice(["forum", "meetup", "course", "webinar", "hackathon"]),
                slug=f"b{offset}-{i}",
                title=f"Событие {i}",
                status="published",
                starts_at=start,
                ends_at=start + dt.timedelta(hours=5),
                min_sessions_for_certificate=1,
            )
        )
    events = Event.objects.bulk_create(events)
    sessions = Session.objects.bulk_create(
        Session(event=e, title="s", starts_at=e.starts_at, ends_at=e.ends_at) for e in events if e.kind == "course"
    )
    session_of = {s.event_id: s for s in sessions}
    registrations = Registration.objects.bulk_create(
        (
            Registration(
                event=rng.choice(events),
                email=f"p{offset}-{i}@example.invalid",
                full_name=f"Человек {i}",
                status=rng.choice(["confirmed", "confirmed", "confirmed", "waitlisted", "cancelled"]),
                consent_text="c",
                consent_at=timezone.now(),
            )
            for i in range(int(200_000 * scale))
        ),
        batch_size=5000,
    )
    CheckIn.objects.bulk_create(
        (CheckIn(registration=r, session=session_of.get(r.event_id), checked_by=user) for r in registrations[::3]),
        batch_size=5000,
        ignore_conflicts=True,
    )
    manual = list(Indicator.objects.filter(method="manual"))
    ManualEntry.objects.bulk_create(
        (
            ManualEntry(
                indicator=rng.choice(manual),
                year=rng.choice(YEARS),
                quarter=rng.randint(1, 4),
                value=Decimal(rng.randint(1, 100)),
                evidence="kpis/evidence/x.pdf",
                entered_by=user,
                approved_by=approver,
                status="approved",
            )
            for _ in range(int(10_000 * scale))
        ),
        batch_size=5000,
    )


def indicators() -> None:
    from projectoffice.kpis.models import Indicator

    specs = [
        ("investment", ""),
        ("prepared", ""),
        ("supported", ""),
        ("events", ""),
        ("events", "course"),
        ("events", "forum"),
        ("events", "meetup"),
        ("events", "hackathon"),
        ("events", "webinar"),
        ("participants", ""),
        ("trained", ""),
        ("engaged", ""),
        ("digitalisation", ""),
        ("manual", ""),
        ("manual", ""),
        ("manual", ""),
        ("manual", ""),
        ("manual", ""),
        ("investment", ""),
        ("prepared", ""),
    ]
    for i, (method, param) in enumerate(specs):
        Indicator.objects.create(
            code=f"k{i}", name=f"Показатель {i}", unit="pieces", method=method, method_param=param, order=i
        )


def measure(report: Report, label: str) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from projectoffice.kpis.ledger import dashboard_years
    from projectoffice.kpis.models import Indicator

    chosen = list(Indicator.objects.all())
    with CaptureQueriesContext(connection) as queries:  # counted in one thread, so every query is seen
        rows = dashboard_years(years=YEARS, indicators=chosen, parallel=False)
    assert sum(len(r) for r in rows.values()) == len(chosen) * len(YEARS)
    sequential = []
    for _ in range(3):
        started = time.perf_counter()
        dashboard_years(years=YEARS, indicators=chosen, parallel=False)
        sequential.append((time.perf_counter() - started) * 1000)
    report.figure(f"dashboard_time_one_connection[{label}]", min(sequential), "ms")
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        parallel_rows = dashboard_years(years=YEARS, indicators=chosen)
        timings.append((time.perf_counter() - started) * 1000)
    assert {y: [r.fact_year for r in v] for y, v in parallel_rows.items()} == {
        y: [r.fact_year for r in v] for y, v in rows.items()
    }
    best = min(timings)
    if os.environ.get("BENCH_KPIS_DETAIL"):
        from projectoffice.kpis.methods import QUARTERS

        for indicator in chosen:
            started = time.perf_counter()
            QUARTERS[indicator.method](indicator, YEARS)  # type: ignore[index]
            print(f"    {indicator.method}/{indicator.method_param}: {(time.perf_counter() - started) * 1000:.0f} ms")
    report.figure(f"dashboard_time[{label}] (methods side by side, as the dashboard runs)", best, "ms")
    report.figure(f"dashboard_queries[{label}]", len(queries), "queries")
    return best, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="bench-kpis-")
    database, admin = scratch_database(scratch, "bench_kpis")
    os.environ.update({"DATABASE_URL": database, "VAR_DIR": scratch, "DJANGO_SETTINGS_MODULE": "config.settings"})
    report = Report()
    try:
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        indicators()
        rng = random.Random(9)  # noqa: S311 - reproducible data
        started = time.perf_counter()
        populate(args.scale / 10, rng, offset=1)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        _small_ms, small_queries = measure(report, "10% of the data")
        populate(args.scale * 0.9, rng, offset=2)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"  data generated in {time.perf_counter() - started:.0f} s", flush=True)
        from projectoffice.applications.models import Application
        from projectoffice.events.models import Registration
        from projectoffice.kpis.models import ManualEntry

        report.figure("applications", Application.objects.count(), "rows")
        report.figure("registrations", Registration.objects.count(), "rows")
        report.figure("manual_entries", ManualEntry.objects.count(), "rows")
        full_ms, full_queries = measure(report, "all data")
        if admin is not None:
            report.target(f"20 indicators × 5 years under {TARGET_MS} ms", full_ms < TARGET_MS)
        report.target("query count independent of data size", small_queries == full_queries)
    finally:
        from django.db import connections

        connections.close_all()
        if admin is not None:
            import psycopg

            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute("DROP DATABASE IF EXISTS bench_kpis WITH (FORCE)")
        shutil.rmtree(scratch, ignore_errors=True)
    report.finish()


if __name__ == "__main__":
    main()
