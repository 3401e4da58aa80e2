from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from projectoffice.participation import services
from projectoffice.participation.models import QuestionKind, Survey, SurveyQuestion, SurveyResponse
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.participation.factories import PhaseFactory

pytestmark = pytest.mark.django_db


def _survey(*, closed: bool = False) -> tuple[Survey, list[SurveyQuestion]]:
    today = timezone.localdate()
    phase = PhaseFactory(
        ends_on=today - dt.timedelta(days=1) if closed else today + dt.timedelta(days=5),
        starts_on=today - dt.timedelta(days=10),
    )
    survey = Survey.objects.create(phase=phase, title="Приоритеты")
    questions = [
        SurveyQuestion.objects.create(
            survey=survey, kind=QuestionKind.SINGLE, text="Главное?", choices=["Данные", "Кадры"], order=1
        ),
        SurveyQuestion.objects.create(
            survey=survey, kind=QuestionKind.MULTIPLE, text="Меры?", choices=["Гранты", "Займы"], order=2
        ),
        SurveyQuestion.objects.create(survey=survey, kind=QuestionKind.SCALE, text="Готовность?", scale_max=5, order=3),
        SurveyQuestion.objects.create(
            survey=survey,
            kind=QuestionKind.MATRIX,
            text="Доступность",
            choices=["низкая", "высокая"],
            rows=["Данные", "Кадры"],
            order=4,
        ),
        SurveyQuestion.objects.create(survey=survey, kind=QuestionKind.LONG, text="Что ещё?", required=False, order=5),
    ]
    return survey, questions


def _answers(q: list[SurveyQuestion], single: str = "Данные", scale: int = 4) -> dict[str, object]:
    return {
        str(q[0].pk): single,
        str(q[1].pk): ["Гранты"],
        str(q[2].pk): scale,
        str(q[3].pk): {"Данные": "низкая", "Кадры": "высокая"},
    }


def test_one_answer_per_person() -> None:
    survey, q = _survey()
    user = UserFactory()
    services.survey_answer(actor=user, survey=survey, data=_answers(q))
    with pytest.raises(ValidationError, match="один раз"):
        services.survey_answer(actor=user, survey=survey, data=_answers(q))
    assert SurveyResponse.objects.count() == 1


@pytest.mark.parametrize(
    "change",
    [
        {"single": "Финансы"},
        {"scale": 9},
        {"scale": True},
    ],
)
def test_answers_outside_the_questions_are_refused_and_nothing_is_stored(change: dict[str, object]) -> None:
    survey, q = _survey()
    with pytest.raises(ValidationError):
        services.survey_answer(actor=UserFactory(), survey=survey, data=_answers(q, **change))  # type: ignore[arg-type]
    assert SurveyResponse.objects.count() == 0


def test_a_missing_required_answer_and_an_unknown_key_are_refused() -> None:
    survey, q = _survey()
    data = _answers(q)
    del data[str(q[0].pk)]
    with pytest.raises(ValidationError) as missing:
        services.survey_answer(actor=UserFactory(), survey=survey, data=data)
    assert missing.value.message_dict[str(q[0].pk)] == ["Ответьте на этот вопрос."]
    with pytest.raises(ValidationError):
        services.survey_answer(actor=UserFactory(), survey=survey, data={**_answers(q), "999": "x"})


def test_a_closed_survey_takes_no_answers_and_opens_its_results_and_csv() -> None:
    survey, q = _survey(closed=True)
    with pytest.raises(PermissionDenied):
        services.survey_answer(actor=UserFactory(), survey=survey, data=_answers(q))
    SurveyResponse.objects.create(survey=survey, user=UserFactory(), answers=_answers(q))
    SurveyResponse.objects.create(survey=survey, user=UserFactory(), answers=_answers(q, single="Кадры", scale=2))
    page = Client().get(f"/participation/surveys/{survey.pk}/").content.decode()
    assert "среднее 3" in page and "<svg" in page
    csv = Client().get(f"/participation/surveys/{survey.pk}/results.csv").content.decode("utf-8-sig").splitlines()
    assert csv[0] == "№;Главное?;Меры?;Готовность?;Доступность;Что ещё?"
    assert csv[1] == '1;Данные;Гранты;4;"Данные: низкая; Кадры: высокая";'


def test_results_and_csv_of_an_open_survey_are_not_public() -> None:
    survey, q = _survey()
    SurveyResponse.objects.create(survey=survey, user=UserFactory(), answers=_answers(q))
    assert Client().get(f"/participation/surveys/{survey.pk}/results.csv").status_code == 404
    assert "среднее" not in Client().get(f"/participation/surveys/{survey.pk}/").content.decode()


def test_the_survey_form_answers_through_the_page() -> None:
    survey, q = _survey()
    client = client_for(UserFactory())
    response = client.post(
        f"/participation/surveys/{survey.pk}/",
        {
            f"q{q[0].pk}": "Кадры",
            f"q{q[1].pk}": ["Гранты", "Займы"],
            f"q{q[2].pk}": "5",
            f"q{q[3].pk}-0": "низкая",
            f"q{q[3].pk}-1": "низкая",
            f"q{q[4].pk}": "Больше данных",
        },
    )
    assert response.status_code == 302
    assert SurveyResponse.objects.get().answers[str(q[1].pk)] == ["Гранты", "Займы"]
    bad = client_for(UserFactory()).post(f"/participation/surveys/{survey.pk}/", {f"q{q[0].pk}": "Кадры"})
    assert bad.status_code == 400 and "Ответьте на этот вопрос." in bad.content.decode()
