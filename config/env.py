"""Typed readers of environment variables that stop start-up with a clear message on a bad value."""

from __future__ import annotations

import os
import re
import zoneinfo
from collections.abc import Collection, Mapping
from email.utils import parseaddr
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import validate_email
from django.utils.module_loading import import_string

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str, environ: Mapping[str, str] | None) -> str | None:
    return (environ if environ is not None else os.environ).get(name)


def env_str(name: str, default: str, *, environ: Mapping[str, str] | None = None) -> str:
    """Return a string setting, or the default when it is unset."""
    value = _raw(name, environ)
    return default if value is None else value


def env_bool(name: str, default: bool, *, environ: Mapping[str, str] | None = None) -> bool:
    """Return a boolean setting; anything but 1/0, true/false, yes/no, on/off is an error."""
    value = _raw(name, environ)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r}: ожидается 1/0, true/false, yes/no или on/off")


def env_int(
    name: str,
    default: int,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    """Return an integer setting, within the bounds when they are given."""
    value = _raw(name, environ)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r}: ожидается целое число") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number}: ожидается {minimum} или больше")
    if maximum is not None and number > maximum:
        raise ImproperlyConfigured(f"{name}={number}: ожидается не больше {maximum}")
    return number


def env_choice(
    name: str,
    default: str,
    choices: Collection[str],
    *,
    hint: str = "",
    upper: bool = False,
    environ: Mapping[str, str] | None = None,
) -> str:
    """Return one of the allowed values (in upper case when `upper`); the message lists them or gives a hint."""
    value = _raw(name, environ)
    if value is None:
        return default
    given = value.strip().upper() if upper else value.strip()
    if given not in choices:
        raise ImproperlyConfigured(f"{name}={value!r}: ожидается {hint or ', '.join(sorted(choices))}")
    return given


def _url_problem(value: str, schemes: Collection[str], *, path: bool) -> str:
    """What is wrong with this address, or "" when nothing is."""
    try:
        parts = urlsplit(value)
        _ = parts.port  # reading it checks the port
    except ValueError as exc:
        return f"не удаётся разобрать адрес ({exc})"
    if parts.scheme not in schemes:
        return f"ожидается адрес вида {' или '.join(f'{scheme}://…' for scheme in sorted(schemes))}"
    if not parts.hostname:
        return "в адресе нет имени сервера"
    if parts.query or parts.fragment or (not path and parts.path not in {"", "/"}):
        return "ожидается адрес без пути, параметров и якоря" if not path else "ожидается адрес без параметров и якоря"
    return ""


def env_url(
    name: str,
    default: str,
    *,
    schemes: Collection[str] = ("http", "https"),
    path: bool = True,
    environ: Mapping[str, str] | None = None,
) -> str:
    """Return an absolute address with one of these schemes and a host (an empty default means «not set»)."""
    value = _raw(name, environ)
    if value is None or (value == "" and default == ""):
        return default
    problem = _url_problem(value.strip(), schemes, path=path)
    if problem:
        raise ImproperlyConfigured(f"{name}={value!r}: {problem}")
    return value.strip()


def env_url_list(
    name: str, default: list[str], *, schemes: Collection[str], environ: Mapping[str, str] | None = None
) -> list[str]:
    """Return a comma-separated list of addresses (scheme and host, no path), each checked."""
    values = env_list(name, default, environ=environ)
    for value in values:
        problem = _url_problem(value, schemes, path=False)
        if problem:
            raise ImproperlyConfigured(f"{name}: {value!r} — {problem}")
    return values


_HOST = re.compile(r"^(\*|\.?[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.?|\[[0-9A-Fa-f:.]+\])$")


def env_hosts(name: str, default: list[str], *, environ: Mapping[str, str] | None = None) -> list[str]:
    """Return a comma-separated list of host names (`office.example.ru`, `.example.ru`, `*`), without scheme or port."""
    values = env_list(name, default, environ=environ)
    for value in values:
        if not _HOST.match(value):
            raise ImproperlyConfigured(f"{name}: {value!r} — ожидается имя сервера без схемы, порта и пути")
    return values


def env_host(name: str, default: str, *, environ: Mapping[str, str] | None = None) -> str:
    """Return one host name, or the default ("" for «not set»)."""
    value = _raw(name, environ)
    if value is None or value == "":
        return default
    if value == "*" or not _HOST.match(value):
        raise ImproperlyConfigured(f"{name}={value!r}: ожидается имя сервера без схемы, порта и пути")
    return value


def env_class(name: str, default: str, *, base: type, environ: Mapping[str, str] | None = None) -> str:
    """Return the dotted path of an importable class derived from `base` (the path, as Django settings take it)."""
    value = _raw(name, environ)
    path = default if value is None else value.strip()
    try:
        found = import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(f"{name}={path!r}: не удаётся импортировать класс ({exc})") from None
    if not (isinstance(found, type) and issubclass(found, base)):
        raise ImproperlyConfigured(f"{name}={path!r}: ожидается класс-наследник {base.__module__}.{base.__qualname__}")
    return path


def env_dir(name: str, default: str, *, environ: Mapping[str, str] | None = None) -> Path:
    """Return a folder the site can write to, made when missing."""
    value = _raw(name, environ)
    folder = Path(default if value is None or value == "" else value).expanduser()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ImproperlyConfigured(f"{name}={str(folder)!r}: не удаётся создать папку ({exc.strerror})") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ImproperlyConfigured(f"{name}={str(folder)!r}: нет права записи в папку")
    return folder


def env_timezone(name: str, default: str, *, environ: Mapping[str, str] | None = None) -> str:
    """Return an IANA time zone name (Europe/Samara)."""
    value = env_str(name, default, environ=environ)
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(f"{name}={value!r}: ожидается часовой пояс IANA, например Europe/Samara") from None
    return value


def env_email(name: str, default: str, *, environ: Mapping[str, str] | None = None) -> str:
    """Return a sender: `address` or `Name <address>`."""
    value = env_str(name, default, environ=environ)
    _, address = parseaddr(value)
    try:
        validate_email(address)
    except ValidationError:
        raise ImproperlyConfigured(f"{name}={value!r}: ожидается адрес e-mail или «Имя <адрес>»") from None
    return value


def env_list(name: str, default: list[str], *, environ: Mapping[str, str] | None = None) -> list[str]:
    """Return a comma-separated list setting, with blanks dropped."""
    value = _raw(name, environ)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_database(name: str, default: str, *, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Parse a database URL (postgres://…, sqlite:///…) into Django's DATABASES entry."""
    value = _raw(name, environ) or default
    try:
        config = dj_database_url.parse(value, conn_max_age=60, conn_health_checks=True)
    except Exception as exc:  # dj-database-url raises several types for a malformed URL
        raise ImproperlyConfigured(f"{name}: не удаётся разобрать адрес базы данных ({exc})") from None
    engine = config.get("ENGINE", "")
    if engine not in {"django.db.backends.postgresql", "django.db.backends.sqlite3"}:
        raise ImproperlyConfigured(f"{name}: поддерживаются только postgres:// и sqlite:/// (получено {engine!r})")
    if engine == "django.db.backends.postgresql" and not config.get("NAME"):
        raise ImproperlyConfigured(f"{name}: в адресе PostgreSQL не указано имя базы данных")
    return dict(config)
