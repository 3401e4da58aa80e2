"""How often one client address may do something, counted in the cache: a page and the API share one count.

A limit names its scope, the setting that holds how many times are allowed, the window in seconds, and what the
person is told when refused. The count per address starts with the first request and lasts the window.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from projectoffice.lib.clients import client_address


@dataclass(frozen=True)
class RateLimit:
    """At most `getattr(settings, setting)` requests of `scope` from one client address within `window` seconds."""

    scope: str
    setting: str
    window: int
    refusal: str  # in Russian, shown on the page and in the API's error

    def exceeded(self, request: HttpRequest) -> bool:
        """Count this request; True when its address has gone past the limit within the window."""
        key = f"rate:{self.scope}:{client_address(request)}"
        cache.add(key, 0, timeout=self.window)
        try:
            return cache.incr(key) > getattr(settings, self.setting)
        except ValueError:  # the count expired between add and incr: the window has just begun again
            return False
