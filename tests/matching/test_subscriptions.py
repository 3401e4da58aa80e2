"""Digest subscriptions: saved by one service with audit, another's address only once its owner confirms it."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from projectoffice.audit.models import AuditEvent
from projectoffice.matching.digests import send_digests
from projectoffice.matching.models import Subscription
from projectoffice.matching.subscriptions import subscription_save
from tests.conftest import client_for
from tests.factories import (
    OkvedFactory,
    OrganisationFactory,
    SubscriptionFactory,
    TenderFactory,
    UserFactory,
    member_of,
)

pytestmark = pytest.mark.django_db


def test_nobody_changes_another_users_subscription() -> None:
    subscription = SubscriptionFactory(query="бензин")
    with pytest.raises(PermissionDenied, match="Это чужая подписка"):
        subscription_save(actor=UserFactory(), data={"query": "дизель"}, subscription=subscription)
    subscription.refresh_from_db()
    assert subscription.query == "бензин"
    assert not AuditEvent.objects.exists()


def test_an_unknown_kind_of_opportunity_is_refused_by_name() -> None:
    subscription = SubscriptionFactory(query="бензин", kinds=["grant"])
    with pytest.raises(ValidationError) as refused:
        subscription_save(actor=subscription.user, data={"kinds": ["grant", "lottery"]}, subscription=subscription)
    assert refused.value.message_dict == {"kinds": ["Неизвестные виды возможностей: lottery."]}
    subscription.refresh_from_db()
    assert subscription.kinds == ["grant"]


def test_a_subscription_needs_an_address_when_the_account_has_none() -> None:
    with pytest.raises(ValidationError) as refused:
        subscription_save(actor=UserFactory(email=""), data={"query": "бензин", "email": "  "})
    assert refused.value.message_dict == {"email": ["Укажите адрес для дайджеста."]}
    assert not Subscription.objects.exists()


def test_the_audit_records_what_changed_as_text() -> None:
    subscription = SubscriptionFactory(query="бензин", kinds=[])
    subscription_save(actor=subscription.user, data={"query": "  дизель  топливо "}, subscription=subscription)
    entry = AuditEvent.objects.get(action="matching.subscription_saved")
    assert entry.changes == {"query": {"before": "бензин", "after": "дизель топливо"}}


def test_a_digest_goes_to_another_address_only_after_its_owner_confirms_it(
    client: Client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    organisation = OrganisationFactory(main_okved=OkvedFactory(), description="разработка мобильных приложений")
    member = member_of(organisation)
    body = {"organisation": organisation.pk, "email": "victim@example.org"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(member).post("/api/v1/subscriptions", body, content_type="application/json")
    assert response.status_code == 201 and response.json()["email_confirmed"] is False
    subscription = Subscription.objects.get()
    assert [m.to for m in mail.outbox] == [["victim@example.org"]]
    assert "Подтвердите адрес" in mail.outbox[0].subject
    link = next(word for word in mail.outbox[0].body.split() if "/confirm/" in word)
    mail.outbox.clear()
    TenderFactory(title="Разработка мобильного приложения")
    assert send_digests().sent == 0 and mail.outbox == []  # nothing goes to an unconfirmed address
    assert client.get(link.rstrip("/")[:-3] + "xyz/").status_code == 400
    assert "victim" not in link
    assert client.get(link).status_code == 200
    subscription.refresh_from_db()
    assert subscription.email_confirmed_at is not None
    send_digests()
    assert [m.to for m in mail.outbox] == [["victim@example.org"]]


def test_a_forged_confirmation_link_confirms_nothing(client: Client) -> None:
    subscription = SubscriptionFactory(query="бензин", email="other@example.org", email_confirmed_at=None)
    response = client.get(reverse("matching:subscription_confirm", args=[f"{subscription.pk}-0123:forged"]))
    assert response.status_code == 400
    subscription.refresh_from_db()
    assert subscription.email_confirmed_at is None


def test_the_accounts_own_address_needs_no_confirmation_and_the_page_says_when_one_is_pending() -> None:
    organisation = OrganisationFactory()
    member = member_of(organisation)
    page = client_for(member)
    page.post(reverse("matching:subscriptions"), {"organisation": organisation.pk, "email": member.email})
    page.post(reverse("matching:subscriptions"), {"query": "бензин", "email": "someone@example.org"})
    own, other = Subscription.objects.order_by("pk")
    assert own.email_confirmed_at is not None and other.email_confirmed_at is None
    assert "ждёт подтверждения адреса" in page.get(reverse("matching:subscriptions")).content.decode()
