"""An expert's scores are saved as one batch by one service, from the review page and from the API alike."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from projectoffice.applications import services
from projectoffice.applications.models import Application, Score
from projectoffice.audit.models import AuditEvent
from tests.conftest import client_for
from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def review():  # type: ignore[no-untyped-def]
    """An application with a declared expert and the criteria of its template."""
    application: Application = ApplicationFactory()
    expert = UserFactory(role="expert")
    assignment = services.expert_assign(actor=UserFactory(role="staff"), application=application, expert=expert)
    services.expert_declare(actor=expert, assignment=assignment)
    criteria = list(application.template.criteria.all())
    assert len(criteria) >= 3
    return {"application": application, "expert": expert, "assignment": assignment, "criteria": criteria}


def _stored(assignment) -> dict[int, int]:  # type: ignore[no-untyped-def]
    return dict(Score.objects.filter(assignment=assignment).values_list("criterion_id", "value"))


def test_a_bad_second_score_leaves_nothing_saved_by_the_service(review) -> None:  # type: ignore[no-untyped-def]
    first, second = review["criteria"][:2]
    scale = f"«{second.name}» — от {second.scale_min} до {second.scale_max}"
    with pytest.raises(ValidationError, match=scale):
        services.scores_save(
            actor=review["expert"],
            assignment=review["assignment"],
            entries=[
                services.ScoreEntry(first.pk, first.scale_max),
                services.ScoreEntry(second.pk, second.scale_max + 1),
            ],
        )
    assert _stored(review["assignment"]) == {}


def test_a_refused_batch_keeps_the_scores_given_before(review) -> None:  # type: ignore[no-untyped-def]
    first, second, third = review["criteria"][:3]
    services.scores_save(
        actor=review["expert"],
        assignment=review["assignment"],
        entries=[services.ScoreEntry(first.pk, first.scale_min)],
    )
    with pytest.raises(ValidationError, match="нет в шаблоне"):
        services.scores_save(
            actor=review["expert"],
            assignment=review["assignment"],
            entries=[
                services.ScoreEntry(first.pk, first.scale_max),
                services.ScoreEntry(third.pk, third.scale_max),
                services.ScoreEntry(0, 1),
            ],
        )
    with pytest.raises(ValidationError, match="дважды"):
        services.scores_save(
            actor=review["expert"],
            assignment=review["assignment"],
            entries=[
                services.ScoreEntry(second.pk, second.scale_max),
                services.ScoreEntry(second.pk, second.scale_min),
            ],
        )
    assert _stored(review["assignment"]) == {first.pk: first.scale_min}


def test_a_bad_second_score_on_the_review_page_saves_nothing_and_says_why(review) -> None:  # type: ignore[no-untyped-def]
    first, second = review["criteria"][:2]
    url = reverse("applications:review", args=[review["application"].pk])
    client = client_for(review["expert"])
    for bad in (str(second.scale_max + 1), "семь"):
        response = client.post(
            url, {"action": "score", f"score-{first.pk}": str(first.scale_max), f"score-{second.pk}": bad}, follow=True
        )
        page = response.content.decode()
        assert f"Оценка по критерию «{second.name}»" in page and "Оценки сохранены" not in page
        assert _stored(review["assignment"]) == {}


def test_a_bad_second_score_through_the_api_saves_nothing(review) -> None:  # type: ignore[no-untyped-def]
    first, second = review["criteria"][:2]
    api = APIClient()
    api.force_authenticate(review["expert"])
    url = f"/api/v1/applications/{review['application'].pk}/scores"
    for bad in ({"criterion": second.pk, "value": second.scale_max + 1}, {"criterion": 10**6, "value": 1}):
        response = api.post(url, {"scores": [{"criterion": first.pk, "value": first.scale_max}, bad]}, format="json")
        assert response.status_code == 400 and _stored(review["assignment"]) == {}
        assert response.json()["error"]["fields"]["scores"]
    scores = [{"criterion": first.pk, "value": first.scale_max}, {"criterion": second.pk, "value": second.scale_min}]
    good = api.post(url, {"scores": scores}, format="json")
    assert good.status_code == 200
    assert _stored(review["assignment"]) == {first.pk: first.scale_max, second.pk: second.scale_min}


def test_a_saved_batch_is_audited_and_completes_the_review_when_every_criterion_is_scored(review) -> None:  # type: ignore[no-untyped-def]
    criteria, assignment = review["criteria"], review["assignment"]
    services.scores_save(
        actor=review["expert"],
        assignment=assignment,
        entries=[services.ScoreEntry(criteria[0].pk, criteria[0].scale_min)],
    )
    assignment.refresh_from_db()
    assert assignment.completed_at is None
    saved = services.scores_save(
        actor=review["expert"],
        assignment=assignment,
        entries=[services.ScoreEntry(c.pk, c.scale_max) for c in criteria],
    )
    assert [s.value for s in saved] == [c.scale_max for c in criteria]
    assignment.refresh_from_db()
    assert assignment.completed_at is not None
    events = AuditEvent.objects.filter(action="applications.scored").order_by("pk")
    assert [e.actor_id for e in events] == [review["expert"].pk] * 2
    assert events[1].changes[criteria[0].name] == {"before": criteria[0].scale_min, "after": criteria[0].scale_max}


def test_only_the_assigned_expert_scores(review) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(services.PermissionDenied):
        services.scores_save(
            actor=UserFactory(role="expert"),
            assignment=review["assignment"],
            entries=[services.ScoreEntry(review["criteria"][0].pk, review["criteria"][0].scale_min)],
        )
    assert _stored(review["assignment"]) == {}
