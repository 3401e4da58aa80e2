"""The public intake: bad input is refused with nothing stored (invalid INN, no consent, honeypot, too fast, too
many), the confirmation link works once, and the status page opens only by its signed link."""

from __future__ import annotations

import time

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from projectoffice.needs import services
from projectoffice.needs.forms import STAMP_SALT
from projectoffice.needs.models import IntakeRequest, IntakeStatus
from projectoffice.organisations.models import Organisation
from tests.factories import RegionFactory, valid_inn
from tests.needs.factories import EnterpriseFactory, IntakeRequestFactory, SubjectFactory

pytestmark = pytest.mark.django_db


def _form(subject_id: int, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "inn": valid_inn(777),
        "organisation_name": "ООО «Заволжский станкозавод»",
        "contact_name": "Ирина Сергеевна Технологова",
        "contact_position": "главный технолог",
        "contact_email": "irina@stanki.example.invalid",
        "contact_phone": "+7 846 111-22-33",
        "subject": subject_id,
        "description": "Хотим видеть загрузку станков и простой в реальном времени.",
        "budget_band": "1m_5m",
        "horizon": "half_year",
        "consent": "on",
        "website": "",
        "started": signing.dumps(time.time() - 60, salt=STAMP_SALT),
    }
    data.update(overrides)
    return data


@pytest.fixture
def subject():  # type: ignore[no-untyped-def]
    RegionFactory()
    return SubjectFactory()


def test_an_enterprise_files_a_need_confirms_it_once_and_follows_it_by_its_private_link(
    client: Client, subject, mailoutbox, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("needs:intake"), _form(subject.pk))
    assert response.status_code == 200 and "Проверьте почту" in response.content.decode()
    request = IntakeRequest.objects.get()
    assert request.status == IntakeStatus.DRAFT and request.consent_at and request.consent_version
    link = next(line for line in mailoutbox[0].body.splitlines() if "/needs/confirm/" in line)
    path = link[link.index("/needs/") :]
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(path).status_code == 200
    request.refresh_from_db()
    assert request.status == IntakeStatus.CONFIRMED and request.organisation is not None
    assert request.organisation_unconfirmed and request.organisation.name == "ООО «Заволжский станкозавод»"
    replay = client.get(path)
    assert replay.status_code == 400 and "уже подтверждено" in replay.content.decode()
    status_link = next(line for line in mailoutbox[1].body.splitlines() if "/needs/status/" in line)
    page = client.get(status_link[status_link.index("/needs/") :])
    assert page.status_code == 200 and "Обращение №" in page.content.decode()


def test_an_organisation_in_the_registry_is_found_by_its_inn(client: Client, subject) -> None:  # type: ignore[no-untyped-def]
    enterprise = EnterpriseFactory()
    client.post(reverse("needs:intake"), _form(subject.pk, inn=enterprise.inn, organisation_name=""))
    assert IntakeRequest.objects.get().organisation == enterprise


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"inn": "6312000017"}, "контрольная сумма ИНН"),
        ({"inn": "63120"}, "10 цифр"),
        ({"consent": ""}, "Без согласия"),
        ({"website": "http://spam.example"}, "автоматически"),
        ({"started": "forged"}, "Форма устарела"),
        ({"description": ""}, "Обязательное поле"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_is_stored(
    client: Client, subject, overrides: dict[str, object], message: str
) -> None:  # type: ignore[no-untyped-def]
    response = client.post(reverse("needs:intake"), _form(subject.pk, **overrides))
    assert response.status_code == 400 and message in response.content.decode()
    assert not IntakeRequest.objects.exists() and not Organisation.objects.exists()


def test_a_form_filled_faster_than_a_person_can_is_refused(client: Client, subject, settings) -> None:  # type: ignore[no-untyped-def]
    settings.NEEDS_INTAKE_MIN_SECONDS = 5
    response = client.post(
        reverse("needs:intake"), _form(subject.pk, started=signing.dumps(time.time(), salt=STAMP_SALT))
    )
    assert response.status_code == 400 and "слишком быстро" in response.content.decode()
    assert not IntakeRequest.objects.exists()


def test_too_many_requests_from_one_address_are_refused(client: Client, subject, settings) -> None:  # type: ignore[no-untyped-def]
    settings.NEEDS_INTAKE_RATE_LIMIT = 2
    for _ in range(2):
        assert client.post(reverse("needs:intake"), _form(subject.pk)).status_code == 200
    response = client.post(reverse("needs:intake"), _form(subject.pk))
    assert response.status_code == 429 and "Слишком много" in response.content.decode()
    assert IntakeRequest.objects.count() == 2


def test_rejected_posts_do_not_count_toward_the_limit_so_a_corrected_form_is_accepted(
    client: Client, subject, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.NEEDS_INTAKE_RATE_LIMIT = 5
    for bad in ({"inn": "1234567890"}, {"consent": ""}, {"inn": "12"}, {"contact_email": "nope"}, {"consent": ""}):
        assert client.post(reverse("needs:intake"), _form(subject.pk, **bad)).status_code == 400
    assert client.post(reverse("needs:intake"), _form(subject.pk)).status_code == 200
    assert IntakeRequest.objects.count() == 1


def test_the_sixth_accepted_request_within_the_hour_is_refused(client: Client, subject, settings) -> None:  # type: ignore[no-untyped-def]
    settings.NEEDS_INTAKE_RATE_LIMIT = 5
    statuses = [client.post(reverse("needs:intake"), _form(subject.pk)).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    assert IntakeRequest.objects.count() == 5


def test_a_bot_hammering_the_form_with_rejected_posts_is_refused_at_last(client: Client, subject, settings) -> None:  # type: ignore[no-untyped-def]
    settings.NEEDS_INTAKE_RATE_LIMIT = 1
    statuses = [client.post(reverse("needs:intake"), _form(subject.pk, consent="")).status_code for _ in range(11)]
    assert statuses == [400] * 10 + [429]
    assert client.post(reverse("needs:intake"), _form(subject.pk)).status_code == 429
    assert not IntakeRequest.objects.exists()


def test_a_forged_or_foreign_status_link_opens_nothing(client: Client) -> None:
    one, other = IntakeRequestFactory(), IntakeRequestFactory()
    token = services.status_token(one)
    forged = f"{other.pk}:{token.split(':', 1)[1]}"
    assert client.get(reverse("needs:status", args=[forged])).status_code == 404
    assert client.get(reverse("needs:status", args=["1:abc"])).status_code == 404
    assert client.get(reverse("needs:status", args=[token])).status_code == 200


def test_a_forged_confirmation_link_changes_nothing(client: Client) -> None:
    request = IntakeRequestFactory(status=IntakeStatus.DRAFT, confirmed_at=None)
    assert client.get(reverse("needs:confirm", args=[f"{request.pk}:forged"])).status_code == 400
    request.refresh_from_db()
    assert request.status == IntakeStatus.DRAFT


def test_the_embeddable_form_may_be_framed_by_partners_sites(client: Client, subject) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("needs:intake_embed"))
    assert response.status_code == 200 and "X-Frame-Options" not in response.headers
    assert client.get(reverse("needs:intake")).headers.get("X-Frame-Options") == "DENY"
