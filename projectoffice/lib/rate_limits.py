"""How often one client address may do something, counted in the cache: a page and the API share one count.

A limit names its scope, the setting that holds how many times are allowed, the window in seconds, and what the
person is told when refused. Only accepted submissions count toward the limit: a view asks `refused` before handling
a submission and calls `hit` once it has accepted one, so a person who corrects a typo is not locked out. Every
attempt, accepted or not, is also counted against a looser limit (ATTEMPTS_FACTOR times the setting) that stops a bot
hammering the form with rejected posts. Each count starts with its first request and lasts the window.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from projectoffice.lib.clients import client_address

ATTEMPTS_FACTOR = 10  # attempts (accepted or not) allowed per accepted submission allowed


@dataclass(frozen=True)
class RateLimit:
    """At most `getattr(settings, setting)` accepted submissions of `scope` from one client address within `window`
    seconds, and at most ATTEMPTS_FACTOR times as many attempts."""

    scope: str
    setting: str
    window: int
    refusal: str  # in Russian, shown on the page and in the API's error

    def _key(self, request: HttpRequest, kind: str) -> str:
        return f"rate:{self.scope}:{kind}:{client_address(request)}"

    def _incr(self, key: str) -> int:
        cache.add(key, 0, timeout=self.window)
        try:
            return int(cache.incr(key))
        except ValueError:  # the count expired between add and incr: the window has just begun again
            cache.add(key, 1, timeout=self.window)
            return 1

    def refused(self, request: HttpRequest) -> bool:
        """Count this attempt; True when the address already used up its accepted submissions in the window, or
        has made too many attempts of any kind. Call before handling the submission; nothing is accepted yet."""
        limit = int(getattr(settings, self.setting))
        attempts = self._incr(self._key(request, "attempts"))
        accepted = cache.get(self._key(request, "accepted"), 0)
        return accepted >= limit or attempts > limit * ATTEMPTS_FACTOR

    def hit(self, request: HttpRequest) -> None:
        """Count an accepted submission of this address."""
        self._incr(self._key(request, "accepted"))
