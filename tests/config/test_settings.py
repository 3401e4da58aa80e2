"""Every setting read from the environment is checked at start-up, and a bad value names its variable."""

from __future__ import annotations

import os
import re
import runpy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ROOT / "config" / "settings.py"

# (variable, bad value, what the message must say): at least one refusal for every variable settings.py reads.
REFUSALS = [
    ("VAR_DIR", "/proc/version/var", "VAR_DIR"),
    ("DATABASE_URL", "mysql://u@h/db", "DATABASE_URL"),
    ("SECRET_KEY", "short", "SECRET_KEY"),
    ("DEBUG", "perhaps", "DEBUG"),
    ("ALLOWED_HOSTS", "https://office.example.ru", "ALLOWED_HOSTS"),
    ("CSRF_TRUSTED_ORIGINS", "office.example.ru", "CSRF_TRUSTED_ORIGINS"),
    ("TIME_ZONE", "Europe/Nowhere", "TIME_ZONE"),
    ("STATIC_ROOT", "/proc/version/static", "STATIC_ROOT"),
    ("MEDIA_ROOT", "/proc/version/media", "MEDIA_ROOT"),
    ("STORAGE_BACKEND", "nope.Storage", "STORAGE_BACKEND='nope.Storage': не удаётся импортировать"),
    ("STORAGE_BACKEND", "django.core.mail.backends.smtp.EmailBackend", "STORAGE_BACKEND"),
    ("UPLOAD_MAX_BYTES", "-5", "UPLOAD_MAX_BYTES=-5: ожидается 1 или больше"),
    ("EMAIL_HOST", "smtp://mail.example.ru", "EMAIL_HOST"),
    ("EMAIL_PORT", "70000", "EMAIL_PORT=70000: ожидается не больше 65535"),
    ("EMAIL_USE_TLS", "sometimes", "EMAIL_USE_TLS"),
    ("EMAIL_BACKEND", "django.core.files.storage.FileSystemStorage", "EMAIL_BACKEND"),
    ("DEFAULT_FROM_EMAIL", "Проектный офис", "DEFAULT_FROM_EMAIL"),
    ("BEHIND_HTTPS_PROXY", "2", "BEHIND_HTTPS_PROXY"),
    ("HSTS_SECONDS", "-1", "HSTS_SECONDS"),
    ("HSTS_INCLUDE_SUBDOMAINS", "maybe", "HSTS_INCLUDE_SUBDOMAINS"),
    ("HSTS_PRELOAD", "maybe", "HSTS_PRELOAD"),
    ("SECURE_COOKIES", "maybe", "SECURE_COOKIES"),
    ("LOGIN_FAILURE_LIMIT", "0", "LOGIN_FAILURE_LIMIT"),
    ("LOGIN_LOCKOUT_MINUTES", "0", "LOGIN_LOCKOUT_MINUTES"),
    ("API_TOKEN_DAYS", "0", "API_TOKEN_DAYS"),
    ("API_TOKENS_PER_USER", "0", "API_TOKENS_PER_USER"),
    ("LOG_LEVEL", "verbose", "LOG_LEVEL='verbose'"),
    ("SEARCH_INDEX_DIR", "/proc/version/index", "SEARCH_INDEX_DIR"),
    ("S3_BUCKET", "My_Bucket", "S3_BUCKET='My_Bucket': ожидается имя корзины"),
    ("S3_ENDPOINT_URL", "storage.example.ru", "S3_ENDPOINT_URL"),
    ("S3_REGION", "Москва", "S3_REGION='Москва'"),
    ("S3_ACCESS_KEY_ID", "AKIA0123", "заданы без S3_BUCKET"),
    ("SEARCH_ENGINE", "elastic", "SEARCH_ENGINE='elastic': ожидается postgres, tantivy"),
    ("SEARCH_ENGINE", "postgres", "SEARCH_ENGINE='postgres': нужна база PostgreSQL"),
    ("CELERY_BROKER_URL", "localhost:6379", "CELERY_BROKER_URL"),
    ("SITE_URL", "notaurl", "SITE_URL='notaurl'"),
    ("SITE_URL", "https://office.example.ru/?next=1", "SITE_URL"),
    ("REGISTRATION_MIN_SECONDS", "-1", "REGISTRATION_MIN_SECONDS"),
    ("REGISTRATION_RATE_LIMIT", "-1", "REGISTRATION_RATE_LIMIT=-1: ожидается 1 или больше"),
    ("NEEDS_INTAKE_MIN_SECONDS", "-1", "NEEDS_INTAKE_MIN_SECONDS"),
    ("NEEDS_INTAKE_RATE_LIMIT", "0", "NEEDS_INTAKE_RATE_LIMIT=0: ожидается 1 или больше"),
    ("NEEDS_REMINDER_DAYS", "0", "NEEDS_REMINDER_DAYS"),
    ("NEEDS_LAST_CALL_DAYS", "1", "NEEDS_LAST_CALL_DAYS"),
    ("NEEDS_ABANDON_DAYS", "2", "NEEDS_ABANDON_DAYS"),
    ("NEEDS_SURVEY_DAYS", "-1", "NEEDS_SURVEY_DAYS"),
    ("TRUSTED_PROXY_COUNT", "-1", "TRUSTED_PROXY_COUNT"),
    ("SIGNUP_RATE_LIMIT", "0", "SIGNUP_RATE_LIMIT=0: ожидается 1 или больше"),
    ("SIGNUP_LINK_HOURS", "0", "SIGNUP_LINK_HOURS"),
    ("CONFIRMATION_MAX_AGE_HOURS", "0", "CONFIRMATION_MAX_AGE_HOURS"),
    ("REGISTRATION_RETENTION_DAYS", "0", "REGISTRATION_RETENTION_DAYS"),
    ("NEEDS_REMINDER_DAYS", "0", "NEEDS_REMINDER_DAYS"),
    ("NEEDS_LAST_CALL_DAYS", "1", "NEEDS_LAST_CALL_DAYS"),
    ("NEEDS_ABANDON_DAYS", "2", "NEEDS_ABANDON_DAYS"),
    ("NEEDS_SURVEY_DAYS", "-1", "NEEDS_SURVEY_DAYS"),
    ("REDIS_CACHE_URL", "127.0.0.1:6379", "REDIS_CACHE_URL"),
    ("HOME_REGION_ISO", "XX-NOPE", "HOME_REGION_ISO='XX-NOPE'"),
    ("REGION_TAX_CODES", "63,Самара", "REGION_TAX_CODES='63,Самара'"),
    ("FNS_IMPORT_INDIVIDUALS", "maybe", "FNS_IMPORT_INDIVIDUALS"),
    ("DADATA_API_KEY", "secret", "DADATA_API_KEY"),
    ("DADATA_SUGGESTIONS_URL", "ftp://dadata.example", "DADATA_SUGGESTIONS_URL"),
]
FREE_TEXT = {
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "S3_SECRET_ACCESS_KEY",
}  # any string is a valid user name or password


def _load_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, **variables: str) -> dict[str, Any]:
    """Run config/settings.py as a start-up would, with only these variables set (and a scratch VAR_DIR)."""
    for name in [*_variables_read(), "VAR_DIR"]:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("VAR_DIR", str(tmp_path / "var"))
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


def _variables_read() -> set[str]:
    return set(re.findall(r'\benv_[a-z_]+\(\s*"([A-Z][A-Z0-9_]*)"', SETTINGS.read_text()))


def test_every_variable_settings_read_has_a_refusal_here() -> None:
    refused = {variable for variable, _, _ in REFUSALS}
    assert _variables_read() - FREE_TEXT - refused == set()
    assert refused - _variables_read() == set(), "a refusal for a variable the settings no longer read"


@pytest.mark.parametrize(("variable", "value", "message"), REFUSALS, ids=[f"{v}={x}" for v, x, _ in REFUSALS])
def test_a_bad_value_stops_start_up_with_a_message_naming_the_variable(
    variable: str, value: str, message: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    extra = {"BEHIND_HTTPS_PROXY": "1"} if variable == "HSTS_SECONDS" else {}
    with pytest.raises(ImproperlyConfigured, match=re.escape(message)):
        _load_settings(monkeypatch, tmp_path, **extra, **{variable: value})


def test_the_embedded_default_needs_no_variables(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    settings = _load_settings(monkeypatch, tmp_path)
    assert settings["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert (tmp_path / "var" / "secret_key").exists()
    assert (settings["LOG_LEVEL"], settings["HOME_REGION_ISO"]) == ("WARNING", "RU-SAM")


def test_good_production_values_are_taken(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    settings = _load_settings(
        monkeypatch,
        tmp_path,
        DATABASE_URL="postgres://office:pw@db.example.ru:5432/office",
        SECRET_KEY="k" * 50,
        ALLOWED_HOSTS="office.example.ru, .example.ru",
        CSRF_TRUSTED_ORIGINS="https://office.example.ru,https://*.example.ru",
        EMAIL_HOST="smtp.example.ru",
        EMAIL_PORT="465",
        DEFAULT_FROM_EMAIL="Проектный офис <office@example.ru>",
        LOG_LEVEL="info",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
        REDIS_CACHE_URL="redis://127.0.0.1:6379/1",
        SITE_URL="https://office.example.ru",
        HOME_REGION_ISO="ru-ta",
        STORAGE_BACKEND="django.core.files.storage.FileSystemStorage",
    )
    assert settings["LOG_LEVEL"] == "INFO" and settings["HOME_REGION_ISO"] == "RU-TA"
    assert settings["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert settings["CACHES"]["default"]["LOCATION"] == "redis://127.0.0.1:6379/1"
    assert not (tmp_path / "var" / "secret_key").exists()


def test_postgresql_without_a_secret_key_refuses_to_start(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY не задан"):
        _load_settings(monkeypatch, tmp_path, DATABASE_URL="postgres://office:pw@db.example.ru:5432/office")
    assert not (tmp_path / "var" / "secret_key").exists()  # no key of this machine's own was made


def test_email_backend_beside_an_smtp_host_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with pytest.raises(ImproperlyConfigured, match="EMAIL_BACKEND="):
        _load_settings(
            monkeypatch,
            tmp_path,
            EMAIL_HOST="smtp.example.ru",
            EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
        )


# The values the issue found passing `manage.py check`, tried the way an operator starts the site.
START_UP = [
    ("LOG_LEVEL", "verbose"),
    ("UPLOAD_MAX_BYTES", "-5"),
    ("REGISTRATION_RATE_LIMIT", "-1"),
    ("HOME_REGION_ISO", "XX-NOPE"),
    ("STORAGE_BACKEND", "nope.Storage"),
    ("SITE_URL", "notaurl"),
    ("DATABASE_URL", "postgres://office@db.example.ru:5432/office"),  # without SECRET_KEY
]


@pytest.mark.parametrize(("variable", "value"), START_UP)
def test_manage_py_check_refuses_the_bad_value(variable: str, value: str, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}}
    env |= {variable: value, "VAR_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured: "), result.stderr[-2000:]
    assert (variable if variable != "DATABASE_URL" else "SECRET_KEY") in last_line
