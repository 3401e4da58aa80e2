"""Two web servers on one PostgreSQL database and one Redis, as behind a balancer: the multi-node test's set-up.

Run by `.ci/multinode.sh` (`MULTINODE=1`, a PostgreSQL DATABASE_URL, Redis at MULTINODE_REDIS_URL); skipped
otherwise, so `make test` and the suite on PostgreSQL leave it out. Each server is gunicorn with the shipped
`deploy/gunicorn.conf.py`, the PostgreSQL search engine, the shared Redis cache and a folder of its own for
VAR_DIR: nothing a node keeps on its disk can make the other one agree.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
PORTS = [int(p) for p in os.environ.get("MULTINODE_PORTS", "8108,8109").split(",")]
REDIS_URL = os.environ.get("MULTINODE_REDIS_URL", "redis://127.0.0.1:6379/8")
LOGIN_FAILURE_LIMIT = 5
REGISTRATION_RATE_LIMIT = 6


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    reason = ""
    if os.environ.get("MULTINODE") != "1":
        reason = "многоузловой тест запускает .ci/multinode.sh (MULTINODE=1)"
    elif not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        reason = "многоузловой тест идёт на PostgreSQL"
    for item in items:
        if item.get_closest_marker("multinode") and reason:
            item.add_marker(pytest.mark.skip(reason=reason))


def node_environment(database_name: str, var_dir: Path) -> dict[str, str]:
    """What every process of the cluster shares (the database, Redis, the key), and this node's own VAR_DIR."""
    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    return {
        **os.environ,
        "DATABASE_URL": f"{base}/{database_name}",
        "REDIS_CACHE_URL": REDIS_URL,
        "SEARCH_ENGINE": "postgres",
        "VAR_DIR": str(var_dir),
        "TRUSTED_PROXY_COUNT": "1",  # the test plays the balancer: X-Forwarded-For names the client
        "LOGIN_FAILURE_LIMIT": str(LOGIN_FAILURE_LIMIT),
        "REGISTRATION_RATE_LIMIT": str(REGISTRATION_RATE_LIMIT),
        "REGISTRATION_MIN_SECONDS": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }


def _wait_until_up(url: str, server: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn {url} stopped with code {server.returncode}")
        try:
            if requests.get(f"{url}/healthz", timeout=10).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or a worker still loading Django
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn {url} did not answer /healthz")


@pytest.fixture(scope="module")
def cluster(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[dict[str, object]]:  # type: ignore[no-untyped-def]
    """Two gunicorn servers (2 workers × 4 threads each) on the test database; yields their URLs and environment."""
    import redis
    from django.db import connection

    redis.Redis.from_url(REDIS_URL).flushdb()
    database_name = str(connection.settings_dict["NAME"])
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    servers, urls = [], []
    try:
        for port in PORTS:
            env = node_environment(database_name, tmp_path_factory.mktemp(f"node{port}"))
            env.update(
                {
                    "GUNICORN_BIND": f"127.0.0.1:{port}",
                    "GUNICORN_WORKERS": "2",
                    "GUNICORN_THREADS": "4",
                    "GUNICORN_ACCESS_LOG": "",
                }
            )
            servers.append(
                subprocess.Popen(
                    [gunicorn, "-c", "deploy/gunicorn.conf.py", "config.wsgi:application"],
                    cwd=ROOT,
                    env=env,
                )
            )
            urls.append(f"http://127.0.0.1:{port}")
        for url, server in zip(urls, servers, strict=True):
            _wait_until_up(url, server)
        yield {"urls": urls, "database": database_name, "redis": redis.Redis.from_url(REDIS_URL)}
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(20)
