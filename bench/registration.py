"""Registration under load: 1,000 concurrent registrations through the HTTP endpoint of a local server,
then 1,000 concurrent confirmations for an event with 100 seats.

Usage: .venv/bin/python bench/registration.py [--count 1000] [--concurrency 100]
With DATABASE_URL pointing to PostgreSQL a scratch database `bench_registration` is created and dropped;
otherwise a scratch SQLite file is used. The server is gunicorn (2 workers × 8 threads) on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from _report import ROOT, Report, percentile

SEATS = 100


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def scratch_database() -> tuple[str | None, object]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return None, None
    import psycopg

    base = url.rsplit("/", 1)[0]
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("DROP DATABASE IF EXISTS bench_registration")
        connection.execute("CREATE DATABASE bench_registration")
    return f"{base}/bench_registration", url


def drop_database(admin_url: object) -> None:
    if admin_url:
        import psycopg

        with psycopg.connect(str(admin_url), autocommit=True) as connection:
            connection.execute("DROP DATABASE IF EXISTS bench_registration WITH (FORCE)")


def fire(
    port: int, requests: Sequence[tuple[str, str, bytes | None]], concurrency: int
) -> tuple[float, list[float], list[int]]:
    def one(request: tuple[str, str, bytes | None]) -> tuple[float, int]:
        method, path, body = request
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        started = time.perf_counter()
        connection.request(method, path, body=body, headers={"Content-Type": "application/json"} if body else {})
        status = connection.getresponse().status
        elapsed = (time.perf_counter() - started) * 1000
        connection.close()
        return elapsed, status

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(one, requests))
    return time.perf_counter() - started, [r[0] for r in results], [r[1] for r in results]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=100)
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="bench-registration-")
    database, admin_url = scratch_database()
    env = {
        **os.environ,
        "VAR_DIR": scratch,
        "REGISTRATION_MIN_SECONDS": "0",
        "REGISTRATION_RATE_LIMIT": "1000000",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    env.pop("DATABASE_URL", None)
    if database:
        env["DATABASE_URL"] = database
    os.environ.update(env)
    if not database:
        os.environ.pop("DATABASE_URL", None)
    server = None
    try:
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command
        from django.utils import timezone

        call_command("migrate", verbosity=0)
        from projectoffice.events import services
        from projectoffice.events.models import Event, Registration

        event = Event.objects.create(
            kind="hackathon",
            slug="bench",
            title="Нагрузочный хакатон",
            status="published",
            starts_at=timezone.now() + dt.timedelta(days=5),
            ends_at=timezone.now() + dt.timedelta(days=6),
            capacity=SEATS,
        )
        port = free_port()
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        server = subprocess.Popen(  # noqa: S603 - our own venv's gunicorn, fixed arguments
            [
                gunicorn,
                "config.wsgi:application",
                "-b",
                f"127.0.0.1:{port}",
                "-w",
                "2",
                "--threads",
                "8",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        print(f"  server on 127.0.0.1:{port} ({'PostgreSQL' if database else 'SQLite'})", flush=True)
        report = Report()
        registrations = [
            (
                "POST",
                f"/api/v1/events/{event.slug}/register",
                json.dumps(
                    {"full_name": f"Участник {n}", "email": f"user{n}@example.invalid", "consent": True}
                ).encode(),
            )
            for n in range(args.count)
        ]
        wall, latencies, statuses = fire(port, registrations, args.concurrency)
        report.figure("database", 1 if database else 0, "(1 = PostgreSQL, 0 = SQLite)")
        report.figure("registrations_per_second", args.count / wall, "req/s")
        report.figure("registration_p50", percentile(latencies, 50), "ms")
        report.figure("registration_p95", percentile(latencies, 95), "ms")
        report.figure("registration_errors", sum(1 for s in statuses if s != 201), "responses")
        stored = Registration.objects.filter(event=event).count()
        report.target(f"all {args.count} registrations stored once", stored == args.count and set(statuses) == {201})
        tokens = [services.sign(r, services.CONFIRM_SALT) for r in Registration.objects.filter(event=event)]
        wall, latencies, statuses = fire(
            port, [("GET", f"/events/confirm/{t}/", None) for t in tokens], args.concurrency
        )
        report.figure("confirmations_per_second", len(tokens) / wall, "req/s")
        report.figure("confirmation_p95", percentile(latencies, 95), "ms")
        confirmed = Registration.objects.filter(event=event, status="confirmed").count()
        waitlisted = Registration.objects.filter(event=event, status="waitlisted").count()
        report.figure("confirmed", confirmed, "seats")
        report.figure("waitlisted", waitlisted, "registrations")
        report.target(f"exactly {SEATS} seats taken", confirmed == SEATS)
        report.target("the rest waitlisted, none lost", confirmed + waitlisted == args.count)
    finally:
        if server:
            server.terminate()
            server.wait(10)
        from django.db import connections

        connections.close_all()
        drop_database(admin_url)
        shutil.rmtree(scratch, ignore_errors=True)
    report.finish()


if __name__ == "__main__":
    main()
