"""Opportunities are written by opportunity_create and opportunity_update, which return the row as stored."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from projectoffice.audit.models import AuditEvent
from projectoffice.opportunities import services
from projectoffice.opportunities.models import Opportunity
from tests.conftest import client_for
from tests.factories import OpportunityFactory, UserFactory

pytestmark = pytest.mark.django_db

FORM = {"kind": "grant", "title": "Грант на пилот", "provider_name": "Фонд", "recurrence": "once"}


def test_the_editor_opens_the_new_entry_even_when_its_identifier_lost_invisible_characters() -> None:
    client = client_for(UserFactory(role="staff"))
    response = client.post(reverse("opportunities:create"), {**FORM, "external_id": "\u200bpilot-2026\u2060"})
    stored = Opportunity.objects.get()
    assert stored.external_id == "pilot-2026"
    assert response.status_code == 302 and response["Location"] == reverse("opportunities:detail", args=[stored.pk])


def test_the_editor_opens_the_edited_entry_after_its_identifier_was_cleaned() -> None:
    entry = OpportunityFactory(external_id="old-id")
    client = client_for(UserFactory(role="staff"))
    response = client.post(reverse("opportunities:edit", args=[entry.pk]), {**FORM, "external_id": "new-id\u200b"})
    assert response.status_code == 302 and response["Location"] == reverse("opportunities:detail", args=[entry.pk])
    assert Opportunity.objects.get(pk=entry.pk).external_id == "new-id"


def test_create_returns_the_row_as_stored_and_audits_it() -> None:
    staff = UserFactory(role="staff")
    created = services.opportunity_create(
        actor=staff, data={**FORM, "external_id": "x-1", "title": "Грант\u200b на пилот"}, reindex=False
    )
    assert created.pk and created.title == "Грант на пилот" == Opportunity.objects.get(pk=created.pk).title
    assert AuditEvent.objects.filter(action="opportunities.created", actor=staff, object_id=str(created.pk)).exists()


def test_update_returns_the_row_as_stored_and_whether_anything_changed() -> None:
    staff = UserFactory(role="staff")
    entry = OpportunityFactory(title="Старое название")
    updated, changed = services.opportunity_update(
        actor=staff, opportunity=entry, data={"title": "Новое\u200b название"}, reindex=False
    )
    assert changed and updated.pk == entry.pk and updated.title == "Новое название"
    again, changed = services.opportunity_update(
        actor=staff, opportunity=entry, data={"title": "Новое название"}, reindex=False
    )
    assert not changed and again.title == "Новое название"
    assert AuditEvent.objects.filter(action="opportunities.updated").count() == 1


def test_the_api_answers_with_the_row_as_stored() -> None:
    api = APIClient()
    api.force_authenticate(UserFactory(role="staff"))
    created = api.post("/api/v1/opportunities", {**FORM, "external_id": "api-1\u200b"}, format="json")
    assert created.status_code == 201 and created.json()["external_id"] == "api-1"
    patched = api.patch(f"/api/v1/opportunities/{created.json()['id']}", {"title": "Пилот\u200b"}, format="json")
    assert patched.status_code == 200 and patched.json()["title"] == "Пилот"
    assert Opportunity.objects.get().title == "Пилот"


def test_status_suspension_and_verification_return_the_opportunity_as_stored() -> None:
    staff = UserFactory(role="staff")
    entry = OpportunityFactory()
    suspended = services.opportunity_suspend(
        actor=staff, opportunity=entry, reason="Приём остановлен", on=timezone.localdate() - dt.timedelta(days=1)
    )
    assert (suspended.status, suspended.suspension_reason) == ("suspended", "Приём остановлен")
    assert suspended.verified_on == timezone.localdate()
    published = services.opportunity_set_status(actor=staff, opportunity=suspended, status="published")
    assert (published.status, published.suspension_reason) == ("published", "")
    verified = services.opportunity_verify(actor=staff, opportunity=published, on=dt.date(2026, 1, 15))
    assert Opportunity.objects.get(pk=entry.pk).verified_on == verified.verified_on == dt.date(2026, 1, 15)
