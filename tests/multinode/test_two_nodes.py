"""Two web servers behind a (played) balancer agree: what one writes the other finds at once, seats are not
oversold, the login and registration limits keep one count, and two workers send each digest once."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from django.utils import timezone

from projectoffice.events import services as event_services
from projectoffice.events.models import Event, Registration
from tests.factories import SubscriptionFactory, TenderFactory, UserFactory
from tests.multinode.conftest import LOGIN_FAILURE_LIMIT, REGISTRATION_RATE_LIMIT, ROOT, node_environment

pytestmark = [pytest.mark.multinode, pytest.mark.django_db(transaction=True)]

PASSWORD = "secret-pass-123"  # the factories' password


@pytest.fixture(autouse=True)
def _as_the_servers(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SEARCH_ENGINE = "postgres"  # records this process makes are indexed as the servers index theirs
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]  # the servers' own hasher


def _ids(response: requests.Response) -> list[int]:
    assert response.status_code == 200, response.text
    body = response.json()
    return [row["id"] for row in (body["results"] if isinstance(body, dict) else body)]


def _logged_in(url: str, username: str) -> requests.Session:
    """A browser session logged in through this node's login page."""
    session = requests.Session()
    session.get(f"{url}/accounts/login/", timeout=30)
    token = session.cookies["csrftoken"]
    response = session.post(
        f"{url}/accounts/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        timeout=30,
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text
    session.headers["X-CSRFToken"] = session.cookies["csrftoken"]
    return session


TOPICS = [
    ("Гранты на квантовые вычисления", "квантовых вычислений", "Гранты на гидропонные теплицы", "гидропонных теплиц"),
    ("Субсидии на беспилотные аппараты", "беспилотными аппаратами", "Субсидии на сельскохозяйственные дроны", "дронам"),
    ("Льготные займы на робототехнику", "робототехника", "Льготные займы на экзоскелеты", "экзоскелетов"),
]


def test_opportunities_made_and_edited_through_node_a_are_found_through_node_b_at_once(cluster) -> None:  # type: ignore[no-untyped-def]
    a, b = cluster["urls"]
    UserFactory(username="office", role="staff")
    office = _logged_in(a, "office")
    assert office.get(f"{b}/opportunities/new/", timeout=30).status_code == 200  # the session is the database's
    for number, (title, query, new_title, new_query) in enumerate(TOPICS):
        created = office.post(
            f"{a}/api/v1/opportunities",
            json={"kind": "grant", "external_id": f"multinode-{number}", "title": title, "provider_name": "Фонд"},
            timeout=30,
        )
        assert created.status_code == 201, created.text
        pk = created.json()["id"]
        published = office.post(f"{a}/opportunities/{pk}/status/", data={"status": "published"}, timeout=30)
        assert published.status_code == 200
        assert _ids(requests.get(f"{b}/api/v1/opportunities", params={"q": query}, timeout=30)) == [pk]
        edited = office.patch(f"{a}/api/v1/opportunities/{pk}", json={"title": new_title}, timeout=30)
        assert edited.status_code == 200, edited.text
        assert _ids(requests.get(f"{b}/api/v1/opportunities", params={"q": new_query}, timeout=30)) == [pk]
        assert _ids(requests.get(f"{b}/api/v1/opportunities", params={"q": query}, timeout=30)) == []


def _fire(calls: list[tuple[str, str, dict[str, object]]]) -> list[requests.Response]:
    def one(call: tuple[str, str, dict[str, object]]) -> requests.Response:
        method, url, options = call
        return requests.request(method, url, timeout=120, **options)  # type: ignore[arg-type]

    with ThreadPoolExecutor(max_workers=24) as pool:
        return list(pool.map(one, calls))


def test_300_people_registering_for_100_seats_through_both_nodes_get_exactly_100_seats(cluster) -> None:  # type: ignore[no-untyped-def]
    urls = cluster["urls"]
    event = Event.objects.create(
        kind="hackathon",
        slug="multinode",
        title="Хакатон двух серверов",
        status="published",
        starts_at=timezone.now() + dt.timedelta(days=5),
        ends_at=timezone.now() + dt.timedelta(days=6),
        capacity=100,
    )
    registrations = _fire(
        [
            (
                "POST",
                f"{urls[n % 2]}/api/v1/events/{event.slug}/register",
                {
                    "json": {"full_name": f"Участник {n}", "email": f"person{n}@example.invalid", "consent": True},
                    "headers": {"X-Forwarded-For": f"10.1.{n // 200}.{n % 200 + 1}"},  # 300 people, 300 addresses
                },
            )
            for n in range(300)
        ]
    )
    assert Counter(r.status_code for r in registrations) == {201: 300}
    tokens = [event_services.sign(r, event_services.CONFIRM_SALT) for r in Registration.objects.filter(event=event)]
    confirmations = _fire([("GET", f"{urls[n % 2]}/events/confirm/{t}/", {}) for n, t in enumerate(tokens)])
    assert {r.status_code for r in confirmations} == {200}
    statuses = Counter(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert statuses == {"confirmed": 100, "waitlisted": 200}


def test_login_throttling_and_the_registration_limit_keep_one_count_across_both_nodes(cluster) -> None:  # type: ignore[no-untyped-def]
    a, b = cluster["urls"]
    UserFactory(username="target")
    client = {"X-Forwarded-For": "10.2.0.1"}
    wrong = {"username": "target", "password": "not-the-password"}
    failures = [
        requests.post(f"{(a, b)[n % 2]}/api/v1/auth/token", json=wrong, headers=client, timeout=30).status_code
        for n in range(LOGIN_FAILURE_LIMIT)
    ]
    right = {"username": "target", "password": PASSWORD}
    after = [requests.post(f"{u}/api/v1/auth/token", json=right, headers=client, timeout=30) for u in (b, a)]
    assert failures == [401] * (LOGIN_FAILURE_LIMIT - 1) + [429]  # the fifth failure, wherever it lands, locks
    assert [r.status_code for r in after] == [429, 429]  # even the right password, on either node
    assert after[0].json()["error"]["code"] == "throttled"
    assert after[0].json()["error"]["message"].startswith("Слишком много")

    event = Event.objects.create(
        kind="hackathon",
        slug="limits",
        title="Хакатон с ограничением",
        status="published",
        starts_at=timezone.now() + dt.timedelta(days=5),
        ends_at=timezone.now() + dt.timedelta(days=6),
        capacity=100,
    )
    statuses = [
        requests.post(
            f"{(a, b)[n % 2]}/api/v1/events/{event.slug}/register",
            json={"full_name": f"Участник {n}", "email": f"limit{n}@example.invalid", "consent": True},
            headers={"X-Forwarded-For": "10.3.0.1"},
            timeout=30,
        ).status_code
        for n in range(REGISTRATION_RATE_LIMIT + 2)
    ]
    assert statuses == [201] * REGISTRATION_RATE_LIMIT + [429, 429]
    assert Registration.objects.filter(event=event).count() == REGISTRATION_RATE_LIMIT


RUN_TASK = "from projectoffice.matching.tasks import send_digests_task; print(send_digests_task())"
RUN_SERVICE = "from projectoffice.matching.digests import send_digests; print(send_digests().sent)"


def _two_workers_at_once(cluster, code: str, mail_log: Path, tmp_path: Path) -> list[str]:  # type: ignore[no-untyped-def]
    """Run this code in two worker processes started together (each as a node's worker: its own VAR_DIR)."""
    workers = []
    for number in (1, 2):
        env = node_environment(cluster["database"], tmp_path / f"worker{number}")
        env.update({"EMAIL_BACKEND": "tests.mailboxes.AppendingFileBackend", "MAIL_LOG": str(mail_log)})
        workers.append(
            subprocess.Popen(
                [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
            )
        )
    outputs = [worker.communicate(timeout=300)[0] for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0], outputs
    return outputs


def test_the_digest_job_run_by_two_workers_at_once_sends_each_digest_once(cluster, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    staff = UserFactory(username="digests", role="staff")
    for n in range(40):
        SubscriptionFactory(user=staff, query="бензин", email=f"fuel{n}@example.invalid")
    TenderFactory(title="Поставка бензина АИ-92", items=[("19.20.21.110", "Поставка бензина АИ-92")])
    mail_log = tmp_path / "mail.log"
    outputs = _two_workers_at_once(cluster, RUN_TASK, mail_log, tmp_path)  # the beat task: one takes the lock
    assert sum("'sent': 40" in output for output in outputs) == 1, outputs
    # and without the job's lock, two runs of the service itself still share the work: rows locked, none twice
    TenderFactory(title="Поставка бензина АИ-95", items=[("19.20.21.120", "Поставка бензина АИ-95")])
    outputs = _two_workers_at_once(cluster, RUN_SERVICE, mail_log, tmp_path)
    assert sum(int(output.split()[-1]) for output in outputs) == 40, outputs
    recipients = Counter(line.split("\t")[0] for line in mail_log.read_text(encoding="utf-8").splitlines())
    assert recipients == {f"fuel{n}@example.invalid": 2 for n in range(40)}
