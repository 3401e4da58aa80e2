"""Digests at scale: 2,000 organisation profiles against 10,000 new notices, on a scratch embedded database.

Usage: .venv/bin/python bench/digest.py [--profiles 2000] [--notices 10000]
Setting up the data is not timed; building and "sending" the digests (to Django's in-memory mail box) is.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time

from _report import Report

TARGET_SECONDS = 10


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profiles", type=int, default=2000)
    parser.add_argument("--notices", type=int, default=10_000)
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="bench-digest-")
    try:
        run(args.profiles, args.notices, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def run(profiles: int, notices: int, scratch: str) -> None:
    import os

    os.environ.pop("DATABASE_URL", None)
    from _report import setup_django

    setup_django(embedded_dir=scratch)
    import random

    from django.conf import settings
    from django.core import mail
    from django.core.management import call_command

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    call_command("migrate", verbosity=0)
    call_command("load_classifiers", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115

    from projectoffice.accounts.models import User
    from projectoffice.classifiers.models import OkvedCode, Region, Tag
    from projectoffice.matching.digests import send_digests
    from projectoffice.matching.models import Subscription
    from projectoffice.opportunities.generator import generate_notices
    from projectoffice.opportunities.procurement_import import import_records
    from projectoffice.organisations.models import Organisation

    report = Report()
    rng = random.Random(5)  # noqa: S311 - reproducible profiles
    started = time.perf_counter()
    import datetime as dt

    from django.utils import timezone

    start = timezone.localdate() - dt.timedelta(days=3)
    import_records(generate_notices(notices, seed=21, it_share=0.4, span_days=3, start=start), "bench")
    print(f"  notices imported: {notices:,} ({time.perf_counter() - started:.0f} s)", flush=True)
    region = Region.objects.get(iso_code="RU-SAM")
    okveds = list(OkvedCode.objects.filter(code__regex=r"^(62|63|26|58|33|28)\.\d\d$"))
    tags = [Tag.objects.get_or_create(name=name)[0] for name in (
        "машинное обучение", "компьютерное зрение", "IoT", "ГИС", "информационная безопасность", "облачные вычисления",
        "мобильная разработка", "большие данные", "робототехника", "сети связи", "печать", "серверы")]  # fmt: skip
    user = User.objects.create(username="bench", role="staff")
    organisations = Organisation.objects.bulk_create(
        Organisation(kind="it_company", name=f"ООО «Профиль {n}»", inn=f"X{n:09d}", region=region,
                     main_okved=rng.choice(okveds), description="разработка и поставка решений: " + ", ".join(
                         t.name for t in rng.sample(tags, 3)))
        for n in range(profiles)
    )  # fmt: skip
    through = Organisation.technologies.through
    through.objects.bulk_create(
        through(organisation_id=org.pk, tag_id=tag.pk) for org in organisations for tag in rng.sample(tags, 2)
    )
    Subscription.objects.bulk_create(
        Subscription(user=user, organisation=org, email=f"p{n}@example.invalid", email_confirmed_at=timezone.now())
        for n, org in enumerate(organisations)
    )
    print("  profiles and subscriptions ready", flush=True)
    started = time.perf_counter()
    result = send_digests(lookback=dt.timedelta(days=7))
    elapsed = time.perf_counter() - started
    report.figure("profiles", result.subscriptions, "subscriptions")
    report.figure("new_notices", notices, "notices")
    report.figure("digest_time", elapsed, "s")
    report.figure("digests_sent", result.sent, "emails")
    report.figure("items_sent", result.items, "items")
    report.figure("emails_in_outbox", len(mail.outbox), "emails")
    report.target(f"{profiles} profiles × {notices} notices ≤ {TARGET_SECONDS} s", elapsed <= TARGET_SECONDS)
    report.target("every digest reached the mail box", len(mail.outbox) == result.sent and result.sent > 0)
    report.finish()


if __name__ == "__main__":
    main()
