"""A scheduled job runs once at a time across workers: the lock is held in PostgreSQL or the cache, never in a
process's memory, so a second connection (another worker) sees it taken."""

from __future__ import annotations

import threading

import pytest
from django.core.cache import cache
from django.db import connection

from projectoffice.lib.locks import job_lock, once_at_a_time


def _try_in_another_thread(name: str) -> bool:
    """Whether another thread (with its own database connection, like another worker) gets the lock."""
    result: list[bool] = []

    def attempt() -> None:
        try:
            with job_lock(name) as held:
                result.append(held)
        finally:
            connection.close()

    worker = threading.Thread(target=attempt)
    worker.start()
    worker.join()
    return result[0]


@pytest.mark.django_db(transaction=True)
def test_a_second_worker_does_not_get_a_lock_that_is_held_and_gets_it_once_released() -> None:
    with job_lock("matching.send_digests") as held:
        assert held is True
        assert _try_in_another_thread("matching.send_digests") is False
        assert _try_in_another_thread("events.send_feedback_requests") is True
    assert _try_in_another_thread("matching.send_digests") is True


@pytest.mark.django_db(transaction=True)
def test_a_job_running_elsewhere_is_skipped_with_a_russian_note() -> None:
    runs: list[str] = []

    @once_at_a_time("demo.job")
    def job() -> dict[str, object]:
        runs.append("ran")
        return {"sent": 1}

    with job_lock("demo.job"):
        outcome: list[dict[str, object]] = []

        def other_worker() -> None:
            outcome.append(job())
            connection.close()

        worker = threading.Thread(target=other_worker)
        worker.start()
        worker.join()
    assert outcome == [{"skipped": "уже выполняется другим обработчиком"}] and runs == []
    assert job() == {"sent": 1} and runs == ["ran"]


@pytest.mark.django_db
def test_on_the_embedded_database_the_lock_is_a_cache_key_that_is_removed_afterwards() -> None:
    if connection.vendor == "postgresql":
        pytest.skip("на PostgreSQL блокировка рекомендательная, ключа в кэше нет")
    with job_lock("demo.cache") as held:
        assert held and cache.get("lock:demo.cache")
    assert cache.get("lock:demo.cache") is None
