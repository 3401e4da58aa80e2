"""Capacity under concurrent confirmations, on PostgreSQL (SQLite serialises writes and proves nothing here)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from projectoffice.events import services
from projectoffice.events.models import Registration
from tests.events.factories import EventFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs PostgreSQL (DATABASE_URL)"),
]


def test_concurrent_confirmations_fill_exactly_the_seats_and_lose_nobody() -> None:
    event = EventFactory(capacity=100)
    registrations = [
        services.registration_create(event=event, email=f"rush{n}@example.invalid", full_name=f"Участник {n}")
        for n in range(150)
    ]
    tokens = [services.sign(r, services.CONFIRM_SALT) for r in registrations]
    barrier = threading.Barrier(30)
    errors: list[Exception] = []

    def worker(chunk: list[str]) -> None:
        try:
            barrier.wait()
            for token in chunk:
                services.registration_confirm(token)
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(tokens[i::30],)) for i in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    statuses = list(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert len(statuses) == 150
    assert statuses.count("confirmed") == 100
    assert statuses.count("waitlisted") == 50


def test_concurrent_duplicate_registrations_keep_one() -> None:
    event = EventFactory(capacity=10)
    barrier = threading.Barrier(10)
    outcomes: list[str] = []

    def worker() -> None:
        try:
            barrier.wait()
            services.registration_create(event=event, email="twin@example.invalid", full_name="Близнец")
            outcomes.append("created")
        except services.RegistrationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("created") == 1 and outcomes.count("refused") == 9
    assert Registration.objects.filter(event=event).count() == 1
    assert connection.vendor == "postgresql"
