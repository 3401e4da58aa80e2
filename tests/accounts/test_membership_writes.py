"""A membership changed in the admin (position, profile-admin right) goes through the service and is audited."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from projectoffice.accounts.models import Membership
from projectoffice.accounts.services import membership_update
from projectoffice.audit.models import AuditEvent
from tests.conftest import client_for
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_granting_the_profile_admin_right_in_the_admin_is_audited() -> None:
    admin = UserFactory(role="staff", is_superuser=True, is_staff=True)
    membership = MembershipFactory(position="Аналитик")
    user, organisation = membership.user, membership.organisation
    data = {"username": user.username, "role": user.role, "date_joined_0": "2026-01-01", "date_joined_1": "10:00:00",
            "is_active": "on", "memberships-TOTAL_FORMS": "1", "memberships-INITIAL_FORMS": "1",
            "memberships-0-id": membership.pk, "memberships-0-user": user.pk,
            "memberships-0-organisation": organisation.pk, "memberships-0-position": "Директор",
            "memberships-0-is_admin": "on"}  # fmt: skip
    response = client_for(admin).post(reverse("admin:accounts_user_change", args=[user.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = Membership.objects.get(pk=membership.pk)
    assert (stored.position, stored.is_admin) == ("Директор", True)
    event = AuditEvent.objects.for_object(organisation).get(action="accounts.membership_changed")
    assert event.actor == admin and user.display_name in event.message
    assert event.changes == {
        "должность": {"before": "Аналитик", "after": "Директор"},
        "администратор": {"before": False, "after": True},
    }


def test_an_unchanged_membership_writes_nothing() -> None:
    membership = MembershipFactory(position="Аналитик")
    same = membership_update(
        actor=None, membership=membership, organisation=membership.organisation, position="Аналитик", is_admin=False
    )
    assert same.pk == membership.pk and not AuditEvent.objects.filter(action="accounts.membership_changed").exists()


def test_a_move_into_an_organisation_the_person_is_already_in_is_refused() -> None:
    membership = MembershipFactory()
    other = OrganisationFactory()
    MembershipFactory(user=membership.user, organisation=other)
    with pytest.raises(ValidationError):
        membership_update(actor=None, membership=membership, organisation=other, position="", is_admin=False)
    assert Membership.objects.get(pk=membership.pk).organisation == membership.organisation
