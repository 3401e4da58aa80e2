import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_database, env_int, env_list

ROOT = Path(__file__).resolve().parents[2]


def test_embedded_default_is_sqlite_under_var() -> None:
    config = env_database("DATABASE_URL", "sqlite:////tmp/x.sqlite3", environ={})
    assert config["ENGINE"] == "django.db.backends.sqlite3"


def test_postgres_url_is_parsed() -> None:
    config = env_database("DATABASE_URL", "", environ={"DATABASE_URL": "postgres://u:p@db:5432/office"})
    assert (config["ENGINE"], config["HOST"], config["NAME"]) == ("django.db.backends.postgresql", "db", "office")


@pytest.mark.parametrize("url", ["mysql://u@h/db", "nonsense", "postgres://u@h:notaport/db", "postgres://u@h"])
def test_malformed_database_url_is_refused_with_a_message(url: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env_database("DATABASE_URL", "", environ={"DATABASE_URL": url})


def test_booleans_integers_and_lists() -> None:
    assert env_bool("X", False, environ={"X": "yes"}) is True
    assert env_bool("X", True, environ={"X": "0"}) is False
    with pytest.raises(ImproperlyConfigured, match="X='maybe'"):
        env_bool("X", False, environ={"X": "maybe"})
    assert env_int("N", 1, environ={"N": "42"}) == 42
    with pytest.raises(ImproperlyConfigured, match="целое"):
        env_int("N", 1, environ={"N": "4x"})
    assert env_int("N", 1, minimum=0, environ={"N": "0"}) == 0
    with pytest.raises(ImproperlyConfigured, match="N=-1: ожидается 0 или больше"):
        env_int("N", 1, minimum=0, environ={"N": "-1"})
    assert env_list("H", [], environ={"H": "a.ru, b.ru,,"}) == ["a.ru", "b.ru"]


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DATABASE_URL", "mysql://x/y", "DATABASE_URL"),
        ("DEBUG", "perhaps", "DEBUG"),
        ("SECRET_KEY", "short", "SECRET_KEY"),
        ("TRUSTED_PROXY_COUNT", "-1", "TRUSTED_PROXY_COUNT"),
    ],
)
def test_start_up_stops_with_a_clear_message_on_a_bad_value(variable: str, value: str, message: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {variable: value, "VAR_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_check_deploy_is_clean_with_production_variables(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG", "SECRET_KEY"}} | {
        "VAR_DIR": str(tmp_path),
        "SECRET_KEY": "p" * 20 + "-production-like-key-" + "q" * 20,
        "ALLOWED_HOSTS": "office.example.ru",
        "BEHIND_HTTPS_PROXY": "1",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    security = [line for line in (result.stdout + result.stderr).splitlines() if "security." in line]
    assert security == [], security
