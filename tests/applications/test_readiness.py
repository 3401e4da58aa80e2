"""The readiness score: five parts, each scored 0–1 with its gaps, weighted into 0–100."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from projectoffice.applications import services
from projectoffice.applications.models import (
    Application,
    ApplicationStatus,
    Attachment,
    BudgetItem,
    ExpertAssignment,
    SectionText,
)
from projectoffice.applications.readiness import WEIGHTS, Part, complete, parts, readiness
from projectoffice.applications.templates_loader import load_builtin_templates
from projectoffice.opportunities.models import Opportunity
from projectoffice.opportunities.services import opportunity_create
from projectoffice.organisations.models import Organisation
from tests import samples
from tests.factories import OrganisationFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def application() -> Application:
    load_builtin_templates()
    opportunity = opportunity_create(
        actor=None,
        data={
            "kind": "grant", "title": "Гранты на разработку", "external_id": "rfrit", "provider_name": "РФРИТ",
            "status": "published", "amount_max": Decimal(500_000_000), "own_share_min": 20,
            "closes_on": timezone.localdate() + dt.timedelta(days=30),
        },
    )  # fmt: skip
    project = ProjectFactory(lead_organisation=OrganisationFactory(), budget_total=Decimal(1_000_000))
    return services.application_create(actor=UserFactory(role="staff"), project=project, opportunity=opportunity)


def _deadline_in(application: Application, days: int | None) -> None:
    application.deadline = None if days is None else timezone.localdate() + dt.timedelta(days=days)


def test_the_score_is_the_weighted_sum_of_the_parts(application: Application) -> None:
    scored = parts(application)
    assert list(scored) == list(WEIGHTS)
    score, gaps = readiness(application)
    assert score == round(sum(WEIGHTS[area] * part.score for area, part in scored.items()))
    assert gaps == [gap for part in scored.values() for gap in part.gaps]


def test_sections_count_by_length_up_to_their_minimum(application: Application) -> None:
    texts = list(application.sections.select_related("section").order_by("pk"))
    for st in texts:
        SectionText.objects.filter(pk=st.pk).update(text="я" * st.section.min_chars)
    empty, short = texts[0], texts[1]
    SectionText.objects.filter(pk=empty.pk).update(text="  ")
    SectionText.objects.filter(pk=short.pk).update(text="я" * (short.section.min_chars // 2))
    part = parts(application)["sections"]
    assert part.score == pytest.approx(
        (len(texts) - 2 + (short.section.min_chars // 2) / short.section.min_chars) / len(texts)
    )
    assert [gap.message.split(":")[0] for gap in part.gaps] == [
        f"Раздел «{empty.section.title}» пуст",
        f"Раздел «{short.section.title}» короткий",
    ]
    assert part.gaps[0].url.endswith(f"#section-{empty.pk}")


def test_documents_count_by_the_required_ones_that_have_a_file(application: Application) -> None:
    required = list(application.template.documents.filter(is_required=True))
    assert len(required) >= 2
    Attachment.objects.create(
        application=application, document=required[0], original_name="устав.pdf", size=1, detected_type="pdf",
        file="устав.pdf",
    )  # fmt: skip
    part = parts(application)["documents"]
    assert part.score == pytest.approx((len(required) - (len(required) - 1)) / len(required))
    assert [gap.message for gap in part.gaps] == [f"Нет документа «{d.name}»" for d in required[1:]]


def test_an_empty_budget_scores_nothing_and_a_budget_within_the_rules_scores_full(application: Application) -> None:
    empty = parts(application)["budget"]
    assert (empty.score, [gap.message for gap in empty.gaps]) == (0.0, ["Бюджет пуст: добавьте статьи расходов."])
    BudgetItem.objects.create(
        application=application, name="Разработка", own_funds=Decimal(300_000), requested=Decimal(700_000),
        cofinancing=Decimal(0),
    )  # fmt: skip
    full = parts(application)["budget"]
    assert (full.score, full.gaps) == (1.0, [])


@pytest.mark.parametrize(
    ("days", "score", "gap"),
    [(None, 1.0, None), (10, 1.0, None), (2, 0.5, "До срока подачи 2\u00a0дня"), (-1, 0.0, "Срок подачи прошёл")],
)
def test_the_deadline_scores_full_with_time_to_spare_half_close_to_it_and_nothing_past_it(
    application: Application, days: int | None, score: float, gap: str | None
) -> None:
    _deadline_in(application, days)
    part = parts(application)["deadline"]
    assert part.score == score
    assert [g.message.startswith(gap) for g in part.gaps] == ([True] if gap else [])


def test_unknown_requirements_point_to_the_profile_and_failed_ones_to_the_application(application: Application) -> None:
    Opportunity.objects.filter(pk=application.opportunity_id).update(max_company_age_years=3)
    organisation = application.project.lead_organisation
    Organisation.objects.filter(pk=organisation.pk).update(founded_on=None)
    application = Application.objects.get(pk=application.pk)
    unknown = parts(application)["eligibility"]
    assert unknown.score < 1
    assert [(g.message, g.url) for g in unknown.gaps] == [
        ("Требования: нет даты регистрации — укажите её в профиле", f"/organisations/{organisation.pk}/edit/")
    ]
    Organisation.objects.filter(pk=organisation.pk).update(founded_on=timezone.localdate() - dt.timedelta(days=3650))
    application = Application.objects.get(pk=application.pk)
    failed = parts(application)["eligibility"]
    assert failed.score == unknown.score
    assert [g.url for g in failed.gaps] == [f"/applications/{application.pk}/"]


def test_a_file_for_a_document_raises_the_stored_score(application: Application) -> None:
    before = application.readiness
    document = application.template.documents.filter(is_required=True).first()
    services.attachment_add(
        actor=UserFactory(role="staff"), application=application, document=document, data=samples.pdf(),
        filename="устав.pdf",
    )  # fmt: skip
    application.refresh_from_db()
    assert application.readiness > before


def _parts(deadline: float, **scores: float) -> dict[str, Part]:
    return {area: Part(scores.get(area, 1.0), []) for area in WEIGHTS if area != "deadline"} | {
        "deadline": Part(deadline, [])
    }


def test_an_application_is_complete_when_every_part_is_done_and_a_near_deadline_only_warns() -> None:
    assert complete(_parts(1.0)) and complete(_parts(0.5))
    assert not complete(_parts(0.0))  # the deadline has passed
    assert not complete(_parts(1.0, documents=0.5))


def test_an_open_application_is_ready_to_file_once_complete_and_every_assigned_expert_has_finished(
    application: Application,
) -> None:
    assert services._open_status(application, False) == ApplicationStatus.DRAFT
    assert services._open_status(application, True) == ApplicationStatus.READY
    assignment = ExpertAssignment.objects.create(application=application, expert=UserFactory(role="expert"))
    assert services._open_status(application, True) == ApplicationStatus.REVIEW
    assignment.completed_at = timezone.now()
    assignment.save()
    assert services._open_status(application, True) == ApplicationStatus.READY
    assert services._open_status(application, False) == ApplicationStatus.REVIEW
    application.status = ApplicationStatus.SUBMITTED
    assert services._open_status(application, True) == ApplicationStatus.SUBMITTED


def test_the_stored_status_follows_the_state_when_the_application_changes(application: Application) -> None:
    services.expert_assign(actor=UserFactory(role="staff"), application=application, expert=UserFactory(role="expert"))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REVIEW
