"""Every number and date a person can type has bounds that every database stores and every page can show."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models
from django.db.models.expressions import Col

from projectoffice.lib.bounds import MONEY_MAX, NotInFutureValidator, PlausibleDateValidator
from tests.conftest import client_for
from tests.factories import MembershipFactory, OrganisationFactory, ProjectFactory, UserFactory

# Written only by the platform itself (counters, positions, versions, stamps), never typed by a person.
SYSTEM_WRITTEN = {
    "materials.Section.version",
    "materials.Section.source_version",
    "materials.Section.updated_at",
    "materials.RoomDocument.size",
    "materials.Nda.version",
    "materials.Nda.published_at",
    "materials.NdaAcceptance.nda_version",
    "materials.NdaAcceptance.accepted_at",
    "materials.Download.at",
    "materials.Invitation.revoked_at",
    "accounts.User.last_login",
    "accounts.User.date_joined",
    "accounts.User.password_changed_at",
    "accounts.User.signed_up_at",
    "accounts.User.email_confirmed_at",
    "applications.SectionText.version",
    "classifiers.OkvedCode.level",
    "classifiers.OkpdCode.level",
    "applications.TemplateSection.order",
    "applications.Criterion.order",
    "applications.RequiredDocument.order",
    "applications.Application.readiness",
    "applications.Application.readiness_at_submission",
    "applications.ApplicationSection.version",
    "applications.SectionVersion.version",
    "applications.Attachment.size",
    "applications.ReminderSent.days_before",
    "applications.ExpertAssignment.declared_no_conflict_at",
    "applications.ExpertAssignment.completed_at",
    "events.Question.order",
    "events.Certificate.sessions_attended",
    "events.Registration.consent_at",
    "events.Registration.confirmed_at",
    "events.Registration.seated_at",
    "events.Registration.cancelled_at",
    "events.Registration.feedback_requested_at",
    "events.Registration.anonymised_at",
    "kpis.Indicator.order",
    "kpis.KpiLink.object_id",
    "kpis.ManualEntry.approved_at",
    "kpis.QuarterlyReport.submitted_at",
    "matching.Subscription.last_sent_at",
    "matching.Subscription.email_confirmed_at",
    "opportunities.Tender.source_version_at",
    "participation.Proposal.supports_count",
    "participation.Proposal.created_at",
    "participation.Support.created_at",
    "participation.Endorsement.created_at",
    "participation.Answer.drafted_at",
    "participation.Answer.published_at",
    "participation.ProposalEvent.at",
    "participation.Debate.created_at",
    "participation.Comment.depth",
    "participation.Comment.up",
    "participation.Remark.up",
    "participation.Remark.down",
    "participation.Notification.emailed_at",
    "participation.DigestSetting.last_sent_at",
    "participation.DigestSent.sent_at",
    "participation.DigestSent.items",
    "participation.Comment.down",
    "participation.Comment.created_at",
    "participation.Comment.edited_at",
    "participation.CommentRevision.at",
    "participation.ModerationCase.object_id",
    "participation.ModerationCase.reports_count",
    "participation.ModerationCase.decided_at",
    "participation.ModerationCase.created_at",
    "participation.Report.created_at",
    "participation.Block.created_at",
    "participation.Notification.created_at",
    "participation.Notification.read_at",
    "participation.DraftVersion.number",
    "participation.DraftVersion.published_at",
    "participation.Paragraph.order",
    "participation.Remark.disposed_at",
    "participation.Remark.created_at",
    "participation.SurveyResponse.created_at",
    "participation.Follow.created_at",
    "participation.Affiliation.decided_at",
    "participation.Affiliation.created_at",
}


def _own_fields(kinds: tuple[type[models.Field], ...]) -> list[tuple[str, models.Field]]:
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("projectoffice.") or model._meta.proxy:  # a proxy has no fields of its own
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, kinds) and not field.primary_key and not field.is_relation:
                found.append((f"{model._meta.app_label}.{model.__name__}.{field.name}", field))
    return found


def _limits(field: models.Field) -> tuple[object | None, object | None]:
    lower = next((v.limit_value for v in field._validators if isinstance(v, MinValueValidator)), None)
    upper = next((v.limit_value for v in field._validators if isinstance(v, MaxValueValidator)), None)
    return lower, upper


def test_every_decimal_field_has_bounds_that_read_back_exactly_on_this_database() -> None:
    for name, field in _own_fields((models.DecimalField,)):
        lower, upper = _limits(field)
        assert lower is not None and upper is not None, f"{name}: no lower or upper bound"
        assert isinstance(upper, Decimal | int)
        stored = float(upper) if connection.vendor == "sqlite" else Decimal(upper)  # SQLite keeps REAL
        value = stored
        for converter in connection.ops.get_db_converters(Col("t", field)) + field.get_db_converters(connection):
            value = converter(value, Col("t", field), connection)
        assert value == Decimal(upper), f"{name}: {upper} reads back as {value}"
        field.run_validators(Decimal(upper))  # the bound itself fits max_digits and decimal_places


def test_every_integer_field_a_person_can_type_has_explicit_bounds() -> None:
    for name, field in _own_fields((models.IntegerField,)):
        if name in SYSTEM_WRITTEN or field.choices:
            continue
        lower, upper = _limits(field)
        assert lower is not None and upper is not None, f"{name}: no explicit lower or upper bound"


def test_every_date_a_person_can_type_is_kept_within_plausible_years() -> None:
    for name, field in _own_fields((models.DateField,)):  # DateTimeField is a DateField
        if name in SYSTEM_WRITTEN or field.auto_now or field.auto_now_add:
            continue
        assert any(isinstance(v, PlausibleDateValidator) for v in field._validators), f"{name}: no date range"


@pytest.mark.parametrize("day", [datetime.date(1, 1, 1), datetime.date(9999, 12, 31), datetime.date(1899, 12, 31)])
def test_implausible_dates_are_refused(day: datetime.date) -> None:
    with pytest.raises(ValidationError):
        PlausibleDateValidator()(day)


def test_a_date_after_today_is_refused_where_it_records_the_past() -> None:
    with pytest.raises(ValidationError, match="позже сегодняшней"):
        NotInFutureValidator()(datetime.date.today() + datetime.timedelta(days=2))
    NotInFutureValidator()(datetime.date.today())


@pytest.mark.django_db
def test_a_budget_over_the_bound_is_refused_and_lists_still_open_for_everyone() -> None:
    membership = MembershipFactory()
    project = ProjectFactory(lead_organisation=membership.organisation)
    before = project.budget_total
    member = client_for(membership.user)
    body = {"budget_total": "99999999999999.99", "own_funds": "0", "requested_support": "0"}
    response = member.patch(f"/api/v1/projects/{project.pk}", body, content_type="application/json")
    assert response.status_code == 400
    assert "budget_total" in response.json()["error"]["fields"]
    project.refresh_from_db()
    assert project.budget_total == before
    staff = client_for(UserFactory(role="staff"))
    for url in [
        "/projects/",
        "/projects/board/",
        f"/organisations/{project.lead_organisation_id}/",
        "/api/v1/projects",
    ]:
        assert staff.get(url).status_code == 200, url


@pytest.mark.django_db
def test_the_largest_allowed_budget_is_stored_and_shown_exactly() -> None:
    membership = MembershipFactory()
    project = ProjectFactory(lead_organisation=membership.organisation)
    member = client_for(membership.user)
    body = {"budget_total": str(MONEY_MAX), "own_funds": str(MONEY_MAX), "requested_support": "0"}
    response = member.patch(f"/api/v1/projects/{project.pk}", body, content_type="application/json")
    assert response.status_code == 200, response.content
    project.refresh_from_db()
    assert project.budget_total == MONEY_MAX
    staff = client_for(UserFactory(role="staff"))
    for url in ["/projects/", "/projects/board/", f"/projects/{project.pk}/", "/api/v1/projects", "/"]:
        assert staff.get(url).status_code == 200, url


@pytest.mark.django_db
def test_a_founding_date_in_year_one_is_refused_by_the_form() -> None:
    organisation = OrganisationFactory()
    staff = client_for(UserFactory(role="staff"))
    response = staff.patch(
        f"/api/v1/organisations/{organisation.pk}", {"founded_on": "0001-01-01"}, content_type="application/json"
    )
    assert response.status_code == 400
    organisation.refresh_from_db()
    assert organisation.founded_on is None
