import pytest
from django.test import Client
from django.urls import reverse

from projectoffice.accounts.services import membership_add, user_set_role
from projectoffice.audit.models import AuditEvent
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_role_changes_are_recorded_with_the_actor() -> None:
    admin, user = UserFactory(role="staff", is_superuser=True), UserFactory(role="community")
    assert user_set_role(actor=admin, user=user, role="expert") is True
    assert user_set_role(actor=admin, user=user, role="expert") is False
    event = AuditEvent.objects.get(action="accounts.role_changed")
    assert (event.actor, event.changes) == (admin, {"role": {"before": "community", "after": "expert"}})


def test_role_change_in_the_admin_is_audited(db) -> None:  # type: ignore[no-untyped-def]
    admin = UserFactory(role="staff", is_superuser=True, is_staff=True)
    user = UserFactory(role="community")
    client = Client()
    client.force_login(admin)
    url = reverse("admin:accounts_user_change", args=[user.pk])
    data = {"username": user.username, "role": "expert", "date_joined_0": "2026-01-01", "date_joined_1": "10:00:00",
            "is_active": "on", "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert AuditEvent.objects.filter(action="accounts.role_changed", actor=admin).exists()


def test_memberships_are_audited_on_the_organisation() -> None:
    organisation = OrganisationFactory()
    membership_add(actor=None, user=UserFactory(username="petr"), organisation=organisation)
    event = AuditEvent.objects.for_object(organisation).get()
    assert event.changes["member"]["after"] == "petr"


def test_staff_see_the_log_on_the_organisation_page_with_russian_labels(staff_client: Client) -> None:
    organisation = OrganisationFactory()
    staff_client.post(reverse("organisations:figures_add", args=[organisation.pk]), {"year": 2025, "headcount": 10})
    body = staff_client.get(reverse("organisations:detail", args=[organisation.pk])).content.decode()
    assert "показатели за год" in body
    assert "численность (2025)" in body
