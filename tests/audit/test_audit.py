import datetime as dt
from decimal import Decimal

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import reverse
from knox.models import AuthToken

from projectoffice.accounts.services import membership_add, user_set_role
from projectoffice.accounts.tokens import token_issue
from projectoffice.audit.models import AuditEvent
from projectoffice.classifiers.models import Tag
from projectoffice.lib import formats
from projectoffice.opportunities.models import Opportunity
from projectoffice.opportunities.services import opportunity_create, opportunity_update
from projectoffice.organisations.models import Organisation
from projectoffice.organisations.services import organisation_update
from tests.factories import OrganisationFactory, TagFactory, UserFactory

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


def test_audit_entries_show_field_names_choice_labels_and_russian_formats_never_codes() -> None:
    staff = UserFactory(role="staff", first_name="Анна", last_name="Сотрудникова")
    organisation = OrganisationFactory()
    organisation_update(
        actor=staff,
        organisation=organisation,
        data={"technologies": ["Python", "машинное обучение"], "founded_on": dt.date(2019, 3, 1), "kind": "university"},
    )
    opportunity_create(actor=None, data={
        "kind": "grant", "title": "Гранты", "external_id": "grant", "provider_name": "Фонд", "status": "published",
        "audience_kinds": ["it_company"], "max_revenue": Decimal("150000000.00"),
    })  # fmt: skip
    opportunity = Opportunity.objects.get()
    opportunity_update(actor=staff, opportunity=opportunity, data={"audience_kinds": ["it_company", "university"]})
    rows = dict(
        (label, (before, after))
        for label, before, after in AuditEvent.objects.for_object(organisation).first().change_rows()
    )  # type: ignore[union-attr]
    assert rows["технологии"] == ("", "Python, машинное обучение")
    assert rows["дата регистрации"] == ("", "01.03.2019")
    assert rows["тип"][1] == "Вуз или научный институт"
    created, updated = AuditEvent.objects.for_object(opportunity).order_by("pk")
    assert dict((r[0], r[2]) for r in created.change_rows())["макс. выручка, руб."] == "150\u00a0000\u00a0000"
    assert updated.change_rows() == [("для каких организаций", "ИТ-компания", "ИТ-компания, Вуз или научный институт")]
    assert str(updated).startswith(formats.datetime(updated.created_at)) and "opportunities." not in str(updated)


def test_an_edit_in_the_admin_records_the_labels_of_many_to_many_values_not_a_queryset() -> None:
    staff = UserFactory(role="staff")
    organisation = OrganisationFactory()
    python = TagFactory(name="Python")

    class Form:  # what the admin's form hands to save_model
        changed_data = ["technologies", "founded_on"]
        initial: dict[str, object] = {"technologies": [], "founded_on": None}
        cleaned_data = {"technologies": Tag.objects.filter(pk=python.pk), "founded_on": dt.date(2019, 3, 1)}

    request = RequestFactory().post("/admin/")
    request.user = staff
    admin.site._registry[Organisation].save_model(request, organisation, Form(), change=True)
    event = AuditEvent.objects.for_object(organisation).get()
    assert event.changes["technologies"] == {"before": [], "after": ["Python"]}
    assert dict((label, after) for label, _before, after in event.change_rows()) == {
        "технологии": "Python",
        "дата регистрации": "01.03.2019",
    }


def test_revoking_an_api_token_in_the_admin_is_audited_and_named_in_russian(staff_client: Client) -> None:
    owner = UserFactory(first_name="Михаил", last_name="Участников")
    token, _plain = token_issue(user=owner)
    listing = staff_client.get(reverse("admin:accounts_apitoken_changelist")).content.decode()
    assert "Токены API" in listing and "Михаил Участников" in listing and "digest" not in listing
    response = staff_client.post(reverse("admin:accounts_apitoken_delete", args=[token.pk]), {"post": "yes"})
    assert response.status_code == 302 and not AuthToken.objects.filter(user=owner).exists()
    assert AuditEvent.objects.filter(action="accounts.token_revoked", object_id=str(owner.pk)).exists()
