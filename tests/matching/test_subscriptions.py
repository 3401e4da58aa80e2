import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from projectoffice.audit.models import AuditEvent
from projectoffice.matching.models import Subscription
from projectoffice.matching.subscriptions import subscription_save
from tests.factories import SubscriptionFactory, UserFactory

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
