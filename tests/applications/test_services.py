"""The application services: creating from a template, versioned sections, budget items, attachments, experts and scores, submission and outcome."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from projectoffice.applications import services
from projectoffice.applications.budget import budget_checks
from projectoffice.applications.models import Application
from projectoffice.applications.readiness import readiness
from projectoffice.applications.review import review_summary
from projectoffice.applications.selectors import prepared_applications, supported_applications
from projectoffice.audit.models import AuditEvent
from projectoffice.opportunities.models import Opportunity
from tests import samples
from tests.conftest import client_for
from tests.factories import OrganisationFactory, ProjectPartnerFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db

PDF = samples.pdf()


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def test_a_matched_opportunity_becomes_a_prefilled_application_from_its_funders_template(setup) -> None:  # type: ignore[no-untyped-def]
    application = setup["application"]
    assert application.template.key == "rfrit-grant"
    first = application.sections.select_related("section").first()
    assert first.section.title == "Описание проблемы и актуальность" and first.text.startswith("Проблема")
    assert not application.budget.exists()  # itemised by the applicant; the card's totals are the reference
    assert application.deadline == Opportunity.objects.get(external_id="rfrit").closes_on
    assert 0 < application.readiness < 100
    again = services.application_create(
        actor=setup["staff"], project=setup["project"], opportunity=application.opportunity
    )
    assert again.pk == application.pk and Application.objects.count() == 1


def test_sections_are_versioned_and_a_stale_save_is_refused_with_the_other_text(setup) -> None:  # type: ignore[no-untyped-def]
    st = setup["application"].sections.first()
    services.section_save(actor=setup["member"], section_text=st, text="Версия участника", base_version=1)
    with pytest.raises(services.SectionConflict) as conflict:
        services.section_save(actor=setup["staff"], section_text=st, text="Версия сотрудника", base_version=1)
    assert conflict.value.current.text == "Версия участника"
    st.refresh_from_db()
    assert (st.text, st.version) == ("Версия участника", 2)
    assert list(st.versions.values_list("version", flat=True)) == [2, 1]


def test_too_long_text_is_refused(setup) -> None:  # type: ignore[no-untyped-def]
    st = setup["application"].sections.first()
    with pytest.raises(ValidationError):
        services.section_save(actor=setup["staff"], section_text=st, text="я" * 100_000, base_version=1)


def test_budget_rules_are_checked(setup) -> None:  # type: ignore[no-untyped-def]
    application = setup["application"]
    services.budget_item_save(actor=setup["staff"], application=application,
                              data={"name": "ФОТ", "own_funds": Decimal(0), "requested": Decimal(5_000_000), "cofinancing": Decimal(0)})  # fmt: skip
    messages = {c.message: c.ok for c in budget_checks(application)}
    assert any(not ok and "допускается не более 80 %" in m for m, ok in messages.items())
    assert any(not ok and "нужно не менее 20 %" in m for m, ok in messages.items())
    _score, gaps = readiness(application)
    assert any(g.area == "budget" and g.url.endswith("#budget") for g in gaps)
    with pytest.raises(ValidationError):
        services.budget_item_save(actor=setup["staff"], application=application,
                                  data={"name": "Минус", "own_funds": Decimal(-1), "requested": Decimal(0), "cofinancing": Decimal(0)})  # fmt: skip
    assert list(application.budget.values_list("name", flat=True)) == ["ФОТ"]


def test_attachments_are_checked_by_content(setup) -> None:  # type: ignore[no-untyped-def]
    application = setup["application"]
    charter = application.template.documents.get(name="Устав")
    statements = application.template.documents.get(name__startswith="Бухгалтерская")
    services.attachment_add(
        actor=setup["member"], application=application, document=charter, data=PDF, filename="устав.pdf"
    )
    services.attachment_add(
        actor=setup["member"], application=application, document=statements, data=_xlsx(), filename="баланс.xlsx"
    )
    for data, name, message in [
        (b"MZ\x90\x00" + b"\x00" * 100, "устав.pdf", "Исполняемые"),
        (b"\x7fELF" + b"\x00" * 100, "script.pdf", "Исполняемые"),
        (_xlsx(), "устав.pdf", "Допустимые форматы"),
        (PDF, "устав.docx", "не совпадает с содержимым"),
        (b"", "пусто.pdf", "пуст"),
    ]:
        with pytest.raises(ValidationError, match=message):
            services.attachment_add(
                actor=setup["member"], application=application, document=charter, data=data, filename=name
            )
    assert application.attachments.count() == 2


def test_oversized_uploads_are_refused(setup, settings) -> None:  # type: ignore[no-untyped-def]
    settings.UPLOAD_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="больше допустимых"):
        services.attachment_add(actor=setup["member"], application=setup["application"], document=None, data=PDF * 10,
                                filename="big.pdf")  # fmt: skip


def test_experts_with_a_conflict_are_refused_and_scores_stay_on_the_scale(setup) -> None:  # type: ignore[no-untyped-def]
    application, staff = setup["application"], setup["staff"]
    partner = OrganisationFactory()
    ProjectPartnerFactory(project=setup["project"], organisation=partner)
    conflicted = member_of(partner, user__role="expert")
    with pytest.raises(services.ConflictOfInterest):
        services.expert_assign(actor=staff, application=application, expert=conflicted)
    expert_a, expert_b = UserFactory(role="expert", first_name="Анна"), UserFactory(role="expert", first_name="Борис")
    with pytest.raises(PermissionDenied):
        services.expert_assign(actor=setup["member"], application=application, expert=expert_a)
    a = services.expert_assign(actor=staff, application=application, expert=expert_a)
    b = services.expert_assign(actor=staff, application=application, expert=expert_b)
    criteria = list(application.template.criteria.all())
    with pytest.raises(ValidationError, match="конфликта"):
        services.scores_save(actor=expert_a, assignment=a, entries=[services.ScoreEntry(criteria[0].pk, 5)])
    services.expert_declare(actor=expert_a, assignment=a)
    services.expert_declare(actor=expert_b, assignment=b)
    with pytest.raises(ValidationError, match="от 0 до 10"):
        services.scores_save(actor=expert_a, assignment=a, entries=[services.ScoreEntry(criteria[0].pk, 11)])
    services.scores_save(
        actor=expert_a, assignment=a, entries=[services.ScoreEntry(c.pk, 10, "хорошо") for c in criteria]
    )
    services.scores_save(
        actor=expert_b,
        assignment=b,
        entries=[services.ScoreEntry(c.pk, 6 if c == criteria[2] else 8) for c in criteria],
    )
    summary = review_summary(application, show_names=False)
    assert summary.completed == 2
    assert summary.weighted_score is not None and 80 < summary.weighted_score < 95
    assert summary.weakest[0].name == criteria[2].name and summary.criteria[2].spread == 4
    assert all(label.startswith("Эксперт ") for c in summary.criteria for label, _ in c.comments)
    company_view = (
        client_for(setup["member"]).get(reverse("applications:review", args=[application.pk])).content.decode()
    )
    assert "Анна" not in company_view and "Эксперт 1" in company_view


def test_submission_and_outcome_feed_the_kpi_records_and_move_the_project(setup) -> None:  # type: ignore[no-untyped-def]
    application, staff, project = setup["application"], setup["staff"], setup["project"]
    project.stage = "packaging"
    project.save()
    Application.objects.filter(pk=application.pk).update(readiness=90)
    with pytest.raises(ValidationError, match="будущем"):
        services.application_submit(
            actor=staff, application=application, submitted_on=timezone.localdate() + dt.timedelta(days=1), number=""
        )
    services.application_submit(actor=staff, application=application, submitted_on=timezone.localdate(), number="Г-17")
    with pytest.raises(ValidationError, match="уже подана"):
        services.application_submit(
            actor=staff, application=application, submitted_on=timezone.localdate(), number="Г-17"
        )
    project.refresh_from_db()
    assert project.stage == "submitted"
    with pytest.raises(ValidationError):
        services.outcome_record(actor=staff, application=application, outcome="declined", decided_on=timezone.localdate(),
                                awarded=Decimal(1), cofinancing=None, feedback="")  # fmt: skip
    services.outcome_record(actor=staff, application=application, outcome="supported", decided_on=timezone.localdate(),
                            awarded=Decimal(700_000), cofinancing=Decimal(100_000), feedback="Поддержан")  # fmt: skip
    project.refresh_from_db()
    assert project.stage == "supported"
    today = {"start": timezone.localdate(), "end": timezone.localdate() + dt.timedelta(days=1)}
    assert [(a, a.kpi_value) for a in supported_applications(**today)] == [(Application.objects.get(), 800_000)]
    assert Application.objects.get().readiness_at_submission is not None
    assert set(AuditEvent.objects.filter(action__startswith="applications.").values_list("action", flat=True)) >= {
        "applications.created",
        "applications.submitted",
        "applications.outcome",
    }
    at_submission = Application.objects.get().readiness_at_submission or 0
    assert prepared_applications(**today).count() == (1 if at_submission >= 80 else 0)
