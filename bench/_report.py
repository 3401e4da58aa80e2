"""Shared output of the benchmarks: one line per figure, then the targets met and missed, and the exit code."""

from __future__ import annotations

import os
import secrets
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# A benchmark is one machine on scratch data: with a PostgreSQL DATABASE_URL the settings want an explicit key.
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))


def setup_django(*, embedded_dir: str | None = None) -> None:
    """Use the project's settings; `embedded_dir` points the embedded SQLite database at a scratch folder."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if embedded_dir:
        os.environ["VAR_DIR"] = embedded_dir
    import django

    django.setup()


@dataclass
class Report:
    figures: list[tuple[str, float, str]] = field(default_factory=list)
    targets: list[tuple[str, bool]] = field(default_factory=list)

    def figure(self, name: str, value: float, unit: str) -> None:
        self.figures.append((name, value, unit))
        print(f"{name}: {value:.4g} {unit}", flush=True)

    def target(self, description: str, met: bool) -> None:
        self.targets.append((description, met))

    def finish(self) -> None:
        met = [d for d, ok in self.targets if ok]
        missed = [d for d, ok in self.targets if not ok]
        print(f"targets met: {len(met)}" + ("".join(f"\n  ✓ {d}" for d in met)))
        print(f"targets missed: {len(missed)}" + ("".join(f"\n  ✗ {d}" for d in missed)))
        sys.exit(1 if missed else 0)


def scratch_database(scratch: str, name: str) -> tuple[str, str | None]:
    """The scratch database's URL and the PostgreSQL server's own (None for SQLite, a file in the scratch folder):
    with a PostgreSQL DATABASE_URL, database `name` on that server, dropped and created afresh."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{scratch}/bench.sqlite3", None
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {name}")
    return url.rsplit("/", 1)[0] + f"/{name}", url


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]
