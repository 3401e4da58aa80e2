"""Where a log line came from: the request (its id, method, path and user) or the job (its name and run id).

The context lives in a context variable, filled by `LogContextMiddleware` for a request, by the Celery signals
connected in `config/celery.py` for a task and by `manage.py` for a management command; `ContextFilter` (on the
handlers in settings.LOGGING) writes it into every record as `%(context)s`, so a failure deep in a service is
logged with the request or the run it belongs to.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject, empty
from django.utils.log import log_response

Context = tuple[tuple[str, str], ...]  # (key, value) pairs in the order they were bound; immutable, so safely shared
_context: ContextVar[Context] = ContextVar("log_context", default=())
_request: ContextVar[HttpRequest | None] = ContextVar("log_request", default=None)
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")  # taken from a proxy's X-Request-ID only when it looks like one
REQUEST_ID_HEADER = "X-Request-ID"


def new_id() -> str:
    return uuid.uuid4().hex[:12]


def current() -> dict[str, str]:
    """The context in force right now (request or job keys), without the user."""
    return dict(_context.get())


def bind(**values: object) -> Token[Context]:
    """Add these keys to the context until `unbind` is called with the token (for signal pairs)."""
    merged = dict(_context.get()) | {key: str(value) for key, value in values.items()}
    return _context.set(tuple(merged.items()))


def unbind(token: Token[Context]) -> None:
    _context.reset(token)


@contextmanager
def bound(**values: object) -> Iterator[None]:
    """Add these keys to the context for the time of the block."""
    token = bind(**values)
    try:
        yield
    finally:
        unbind(token)


@contextmanager
def job(name: str, run_id: str | None = None) -> Iterator[None]:
    """A job's run (a management command, a task): its name and an id that tells one run's lines from another's."""
    with bound(job=name, run=run_id or new_id()):
        yield


def command_name(argv: list[str]) -> str:
    """What a management command line is called in the logs: its subcommand (`send_digests`)."""
    return next((arg for arg in argv[1:] if not arg.startswith("-")), "help")


def _user(request: HttpRequest) -> str:
    """The user, when the request has already looked them up: logging itself never queries the database."""
    user: Any = request.__dict__.get("user")
    if isinstance(user, SimpleLazyObject):
        wrapped = user._wrapped
        user = None if wrapped is empty else wrapped
    if user is None:
        return ""
    return f"user={user.pk}" if getattr(user, "is_authenticated", False) else "user=anonymous"


class ContextFilter(logging.Filter):
    """Adds `context` to every record: `request=… GET /path user=…` or `job=… run=…`, or `-` outside both."""

    def filter(self, record: logging.LogRecord) -> bool:
        parts = [f"{key}={value}" if " " not in value else f'{key}="{value}"' for key, value in _context.get()]
        request = _request.get()
        if request is not None:
            parts.append(_user(request))
        record.context = " ".join(part for part in parts if part) or "-"
        return True


class LogContextMiddleware:
    """Gives each request an id (the proxy's X-Request-ID when sane), logs under it and answers with it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = given if _REQUEST_ID.match(given) else new_id()
        request_token = _request.set(request)
        try:
            with bound(request=request_id, method=request.method or "", path=request.path):
                response = self.get_response(request)
                if response.status_code >= 400:  # Django's own line for it, written here while the context holds
                    log_response("%s: %s", response.reason_phrase, request.path, response=response, request=request)
        finally:
            _request.reset(request_token)
        response[REQUEST_ID_HEADER] = request_id
        return response
