"""The check-in page: every scan answers with the verdict and the counter it changed."""

import re

import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.events.factories import EventFactory, RegistrationFactory, SessionFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _counter(html: str) -> str:
    return re.search(r'<p[^>]*id="checkin-counter"[^>]*>(.*?)</p>', html, re.S).group(0)


def test_a_scan_answers_the_verdict_and_the_updated_counter_out_of_band() -> None:
    event = EventFactory(capacity=10)
    first, _second, _third = (RegistrationFactory(event=event) for _ in range(3))
    client = client_for(UserFactory(role="staff"))
    url = reverse("events:checkin", args=[event.slug])
    assert "Отмечено 0 из 3" in _counter(client.get(url).content.decode())
    answer = client.post(url, {"code": first.ticket_code}, HTTP_HX_REQUEST="true").content.decode()
    assert 'class="checkin-result ok"' in answer
    counter = _counter(answer)
    assert 'hx-swap-oob="true"' in counter and "Отмечено 1 из 3" in counter
    again = client.post(url, {"code": first.ticket_code}, HTTP_HX_REQUEST="true").content.decode()
    assert "уже отмечен" in again and "Отмечено 1 из 3" in _counter(again)


def test_the_counter_of_a_session_counts_that_session() -> None:
    event = EventFactory(kind="course", capacity=10)
    morning, evening = SessionFactory(event=event), SessionFactory(event=event)
    people = [RegistrationFactory(event=event) for _ in range(2)]
    client = client_for(UserFactory(role="staff"))
    url = reverse("events:checkin", args=[event.slug])
    client.post(url, {"code": people[0].ticket_code, "session": morning.pk}, HTTP_HX_REQUEST="true")
    answer = client.post(url, {"code": people[1].ticket_code, "session": morning.pk}, HTTP_HX_REQUEST="true")
    assert "Отмечено 2 из 2" in _counter(answer.content.decode())
    page = client.get(url, {"session": evening.pk}).content.decode()
    assert "Отмечено 0 из 2" in _counter(page)
