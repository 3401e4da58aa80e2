"""Pausing, unsubscribing, deleting a digest and marking a match go through services and leave an audit trail."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from rest_framework.test import APIClient

from projectoffice.audit.models import AuditEvent
from projectoffice.matching.models import MatchFeedback, Subscription
from projectoffice.matching.services import feedback_set
from projectoffice.matching.subscriptions import subscription_set_active
from tests.conftest import client_for
from tests.factories import OpportunityFactory, OrganisationFactory, SubscriptionFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db


def _subscription() -> Subscription:
    subscription: Subscription = SubscriptionFactory(query="видеоаналитика")
    return subscription


def test_pausing_and_resuming_a_digest_on_the_page_is_audited() -> None:
    subscription = _subscription()
    client = client_for(subscription.user)
    url = reverse("matching:subscription_toggle", args=[subscription.pk])
    assert client.post(url).status_code == 302
    assert Subscription.objects.get().is_active is False
    assert client.post(url).status_code == 302
    assert Subscription.objects.get().is_active is True
    events = AuditEvent.objects.for_object(subscription).filter(action="matching.subscription_saved")
    assert [e.changes["is_active"]["after"] for e in events.order_by("pk")] == [False, True]
    assert {e.actor_id for e in events} == {subscription.user.pk}


def test_another_reader_cannot_pause_a_digest_but_the_office_can() -> None:
    subscription = _subscription()
    url = reverse("matching:subscription_toggle", args=[subscription.pk])
    assert client_for(UserFactory()).post(url).status_code == 404
    with pytest.raises(PermissionDenied):
        subscription_set_active(actor=UserFactory(), subscription=subscription, is_active=False)
    assert Subscription.objects.get().is_active is True
    staff = UserFactory(role="staff")
    assert client_for(staff).post(url).status_code == 302
    assert Subscription.objects.get().is_active is False
    assert AuditEvent.objects.get(action="matching.subscription_saved").actor == staff


def test_the_unsubscribe_link_switches_the_digest_off_once_and_is_audited(client) -> None:  # type: ignore[no-untyped-def]
    subscription = _subscription()
    url = reverse("matching:unsubscribe", args=[subscription.unsubscribe_token])
    assert client.get(url).status_code == 200 and Subscription.objects.get().is_active is True
    for _ in range(2):
        assert client.post(url).status_code == 200
    assert Subscription.objects.get().is_active is False
    event = AuditEvent.objects.get(action="matching.unsubscribed")
    assert event.actor is None and event.object_id == str(subscription.pk)
    assert client.post(reverse("matching:unsubscribe", args=["nope"])).status_code == 404


def test_deleting_a_subscription_through_the_api_is_audited_and_only_the_owner_can() -> None:
    subscription = _subscription()
    api = APIClient()
    api.force_authenticate(UserFactory())
    assert api.delete(f"/api/v1/subscriptions/{subscription.pk}").status_code == 404
    api.force_authenticate(subscription.user)
    assert api.delete(f"/api/v1/subscriptions/{subscription.pk}").status_code == 204
    assert not Subscription.objects.exists()
    event = AuditEvent.objects.get(action="matching.subscription_deleted")
    assert event.actor == subscription.user and event.changes["email"]["before"] == subscription.email


def test_marking_a_match_is_checked_by_the_service_and_audited_on_the_organisation() -> None:
    organisation, opportunity = OrganisationFactory(), OpportunityFactory()
    member = member_of(organisation)
    with pytest.raises(PermissionDenied):
        feedback_set(actor=UserFactory(), opportunity=opportunity, verdict="dismissed", organisation=organisation)
    url = reverse("matching:feedback", args=["organisation", organisation.pk, opportunity.pk])
    client = client_for(member)
    refused = client.post(url, {"verdict": "maybe"})
    assert refused.status_code == 400 and "Интересно" in refused.content.decode()
    assert not MatchFeedback.objects.exists()
    assert client.post(url, {"verdict": "dismissed"}).status_code == 200
    assert client.post(url, {"verdict": "dismissed"}).status_code == 200
    api = APIClient()
    api.force_authenticate(member)
    marked = api.post(
        "/api/v1/matches/feedback",
        {"opportunity": opportunity.pk, "verdict": "interested", "organisation": organisation.pk},
        format="json",
    )
    assert marked.status_code == 201 and MatchFeedback.objects.get().verdict == "interested"
    events = AuditEvent.objects.for_object(organisation).filter(action="matching.feedback_set").order_by("pk")
    assert [e.changes[str(opportunity)] for e in events] == [
        {"before": None, "after": "Не подходит"},
        {"before": "Не подходит", "after": "Интересно"},
    ]
