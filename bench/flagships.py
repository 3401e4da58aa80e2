"""Flagships at scale, on a scratch SQLite database:

- the portfolio page with 100 flagships (partners, materials in both languages, 10 deals each) renders in under
  800 ms, with the same number of queries as with 10 flagships;
- the deal board with 1,000 deals renders in under 500 ms;
- the overdue-step reminders over 1,000 deals (200 overdue) run in under 3 s, and a second run sends nothing.

Usage: .venv/bin/python bench/flagships.py
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from typing import Any

from _report import Report

PORTFOLIO_MS, BOARD_MS, REMINDERS_S = 800, 500, 3.0


def populate(start: int, count: int, staff: Any) -> None:
    from django.utils import timezone

    from projectoffice.classifiers.models import Region
    from projectoffice.flagships.models import Deal, DealMove, Flagship
    from projectoffice.materials.models import SECTIONS, Section
    from projectoffice.organisations.models import Organisation
    from projectoffice.projects.models import PartnerRole, Project, ProjectPartner

    today = timezone.localdate()
    region, _ = Region.objects.get_or_create(
        iso_code="RU-SAM", defaults={"name": "Самарская", "name_with_type": "Самарская обл", "okato": "36000000000",
                                     "oktmo": "36000000", "tax_code": "63", "kladr_id": "6300000000000"},
    )  # fmt: skip
    orgs = Organisation.objects.bulk_create(
        Organisation(kind=kind, name=f"Организация {start + i} {kind}", inn=f"{7700000000 + (start + i) * 3 + k}",
                     region=region)
        for i in range(count) for k, kind in enumerate(("it_company", "university", "industrial"))
    )  # fmt: skip
    projects = Project.objects.bulk_create(
        Project(title=f"Флагман {start + i}", lead_organisation=orgs[3 * i], summary="Кратко", trl=6,
                budget_total=10_000_000, requested_support=5_000_000)
        for i in range(count)
    )  # fmt: skip
    ProjectPartner.objects.bulk_create(
        ProjectPartner(project=p, organisation=orgs[3 * i + k], role=role)
        for i, p in enumerate(projects) for k, role in ((1, PartnerRole.RESEARCH), (2, PartnerRole.INDUSTRIAL))
    )  # fmt: skip
    Section.objects.bulk_create(
        Section(project=p, document=doc, key=key, lang=lang, text=f"Текст {key}", version=1,
                source_version=1 if lang == "en" else None)
        for p in projects for doc, keys in SECTIONS.items() for key in keys for lang in ("ru", "en")
    )  # fmt: skip
    Flagship.objects.bulk_create(
        Flagship(project=p, target_classes=["large_company", "interstate_fund"]) for p in projects
    )
    deals = Deal.objects.bulk_create(
        Deal(project=p, funder_name=f"Инвестор {j}", funder_class="large_company", stage="intro_made",
             stage_changed_on=today, owner=staff, next_step="Созвон",
             next_step_due=today - dt.timedelta(days=1) if j < 2 else today + dt.timedelta(days=5))
        for p in projects for j in range(10)
    )  # fmt: skip
    DealMove.objects.bulk_create(
        DealMove(deal=d, from_stage=s0, to_stage=s1, on=today) for d in deals
        for s0, s1 in (("", "intro_requested"), ("intro_requested", "intro_made"))
    )  # fmt: skip


def timed_get(client: Any, url: str) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm
    with CaptureQueriesContext(connection) as queries:
        began = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - began) * 1000
    assert response.status_code == 200, response.status_code
    return elapsed, len(queries.captured_queries)


def main() -> None:
    scratch = tempfile.mkdtemp(prefix="bench-flagships-")
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/bench.sqlite3"
    sys.path.insert(0, os.path.dirname(__file__))
    from _report import setup_django

    setup_django(embedded_dir=scratch)
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("migrate", verbosity=0)
    from projectoffice.accounts.models import User
    from projectoffice.flagships.services import send_overdue_reminders

    report = Report()
    try:
        staff = User.objects.create(username="bench-staff", role="staff", email="staff@bench.invalid")
        client = Client()
        client.force_login(staff)
        populate(0, 10, staff)
        _small_ms, small_queries = timed_get(client, "/flagships/")
        populate(10, 90, staff)
        portfolio_ms, portfolio_queries = timed_get(client, "/flagships/")
        report.figure("portfolio page, 100 flagships", portfolio_ms, "ms")
        report.figure("portfolio queries, 10 → 100 flagships", portfolio_queries - small_queries, "extra queries")
        board_ms, _ = timed_get(client, "/flagships/deals/")
        report.figure("deal board, 1000 deals", board_ms, "ms")
        began = time.perf_counter()
        first = send_overdue_reminders()
        reminders_s = time.perf_counter() - began
        second = send_overdue_reminders()
        report.figure("overdue reminders, 1000 deals (200 overdue)", reminders_s, "s")
        report.target(f"portfolio ≤ {PORTFOLIO_MS} ms", portfolio_ms <= PORTFOLIO_MS)
        report.target("portfolio queries do not grow with flagships", portfolio_queries == small_queries)
        report.target(f"deal board ≤ {BOARD_MS} ms", board_ms <= BOARD_MS)
        report.target(f"reminders ≤ {REMINDERS_S} s, 200 sent, then none", reminders_s <= REMINDERS_S
                      and first.sent == 200 and second.sent == 0)  # fmt: skip
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    report.finish()


if __name__ == "__main__":
    main()
