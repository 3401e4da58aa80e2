"""Locks every web server and worker agrees on: a scheduled job runs once however many workers pick it up.

On PostgreSQL a job takes a session advisory lock (`pg_try_advisory_lock`) named after it, which the server
releases when the job ends or its connection drops; elsewhere (the embedded SQLite, one machine) a key added to
the cache (Redis when REDIS_CACHE_URL is set) holds it for at most `timeout` seconds. Nothing is kept in a
process's memory, so a second worker, on this machine or another, sees the job as taken and skips it.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.cache import cache
from django.db import connection

logger = logging.getLogger(__name__)

JOB_LOCK_SECONDS = 6 * 3600  # a cache lock outlives no job by more than this, even if its worker dies


def _advisory_key(name: str) -> int:
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


@contextmanager
def job_lock(name: str, *, timeout: int = JOB_LOCK_SECONDS) -> Iterator[bool]:
    """Try to take the lock named `name` without waiting; yields whether this caller holds it."""
    if connection.vendor == "postgresql":
        key = _advisory_key(name)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            held = bool(cursor.fetchone()[0])
        try:
            yield held
        finally:
            if held:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    cache_key, token = f"lock:{name}", uuid.uuid4().hex
    held = cache.add(cache_key, token, timeout=timeout)
    try:
        yield held
    finally:
        if held and cache.get(cache_key) == token:
            cache.delete(cache_key)


def once_at_a_time(name: str) -> Callable[[Callable[..., dict[str, Any]]], Callable[..., dict[str, Any]]]:
    """A job that skips (and says so in its result) while another worker anywhere runs it."""

    def decorate(job: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
        @functools.wraps(job)
        def run(*args: Any, **kwargs: Any) -> dict[str, Any]:
            with job_lock(name) as held:
                if not held:
                    logger.warning("job %s is already running elsewhere; this run is skipped", name)
                    return {"skipped": "уже выполняется другим обработчиком"}
                return job(*args, **kwargs)

        return run

    return decorate
