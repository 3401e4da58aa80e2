"""Absolute links for e-mails and documents: the address the site is served at right now.

A link built while a request is being answered (a registration, a confirmation, an assignment) points to
the host and port that request came to, as `request.build_absolute_uri` gives it (the host is checked against
`ALLOWED_HOSTS`); only work done outside any request (periodic tasks, management commands) falls back to the
`SITE_URL` setting. The middleware below makes the request being answered known to `absolute_url`, so every
e-mail sent on its behalf, however deep in a service, gets links that open.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

_current_request: ContextVar[HttpRequest | None] = ContextVar("current_request", default=None)


def absolute_url(path: str) -> str:
    """The full address of a site path: from the request being answered, else from SITE_URL."""
    request = _current_request.get()
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.SITE_URL.rstrip("/") + path


class CurrentRequestMiddleware:
    """Makes the request being answered available to absolute_url for the time of the answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)
