from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from projectoffice.audit.models import AuditEvent
from projectoffice.participation.models import Phase, Result, Survey, SurveyQuestion
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.participation.factories import ProposalFactory, open_process

pytestmark = pytest.mark.django_db


def _staff() -> Client:
    return client_for(UserFactory(role="staff"))


def test_only_the_office_opens_the_staff_pages() -> None:
    process = open_process()
    for path in ("manage/", "manage/phases/new/", "manage/surveys/new/", "manage/results/new/"):
        assert Client().get(f"/participation/{process.slug}/{path}").status_code in (302, 403)
        assert client_for(UserFactory()).get(f"/participation/{process.slug}/{path}").status_code == 403
        assert _staff().get(f"/participation/{process.slug}/{path}").status_code == 200
    assert client_for(UserFactory()).post(f"/participation/{process.slug}/manage/phases/new/",
                                          {"title": "X"}).status_code == 403  # fmt: skip
    assert process.phases.count() == 1


def test_staff_add_a_phase_within_the_process_dates_and_it_is_audited() -> None:
    process = open_process()
    start = process.starts_on + dt.timedelta(days=1)
    client = _staff()
    outside = client.post(f"/participation/{process.slug}/manage/phases/new/", {
        "title": "Итоги", "starts_on": start.isoformat(), "ends_on": (process.ends_on + dt.timedelta(days=5)).isoformat(),
        "actions": ["survey"]})  # fmt: skip
    assert outside.status_code == 400 and "сроки процесса" in outside.content.decode()
    client.post(f"/participation/{process.slug}/manage/phases/new/", {
        "title": "Итоги", "starts_on": start.isoformat(), "ends_on": process.ends_on.isoformat(),
        "actions": ["survey"]})  # fmt: skip
    phase = Phase.objects.get(title="Итоги")
    assert phase.process == process and phase.actions == ["survey"]
    assert AuditEvent.objects.filter(action="participation.phase_added").exists()


def test_staff_make_a_survey_with_questions_and_bad_questions_are_refused() -> None:
    process = open_process()
    client = _staff()
    client.post(f"/participation/{process.slug}/manage/surveys/new/",
                {"phase": process.phases.get().pk, "title": "Приоритеты"})  # fmt: skip
    survey = Survey.objects.get()
    refused = client.post(f"/participation/{process.slug}/manage/surveys/{survey.pk}/questions/new/",
                          {"kind": "single", "text": "Что важнее?", "choices": "Только одно", "scale_max": 5,
                           "order": 0})  # fmt: skip
    assert refused.status_code == 400 and not SurveyQuestion.objects.exists()
    client.post(f"/participation/{process.slug}/manage/surveys/{survey.pk}/questions/new/",
                {"kind": "single", "text": "Что важнее?", "choices": "Данные\nКадры\n", "scale_max": 5,
                 "required": "on", "order": 0})  # fmt: skip
    question = SurveyQuestion.objects.get()
    assert question.choices == ["Данные", "Кадры"] and question.survey == survey
    assert "Что важнее?" in client.get(f"/participation/{process.slug}/manage/").content.decode()


def test_a_result_with_manual_progress_needs_evidence_and_sub_results_nest() -> None:
    proposal = ProposalFactory()
    process = proposal.process
    client = _staff()
    refused = client.post(f"/participation/{process.slug}/manage/results/new/",
                          {"title": "Открытые данные", "source": "manual", "manual_progress": 40, "order": 0})  # fmt: skip
    assert refused.status_code == 400 and not Result.objects.exists()
    client.post(f"/participation/{process.slug}/manage/results/new/",
                {"title": "Открытые данные", "source": "manual", "manual_progress": 40, "order": 0,
                 "evidence": "Приказ № 12 от 01.12.2026", "proposals": [proposal.pk]})  # fmt: skip
    parent = Result.objects.get()
    assert list(parent.proposals.all()) == [proposal]
    client.post(f"/participation/{process.slug}/manage/results/new/",
                {"title": "Портал данных", "source": "manual", "manual_progress": 100, "order": 1,
                 "evidence": "Акт ввода", "parent": parent.pk})  # fmt: skip
    child = Result.objects.get(title="Портал данных")
    assert child.parent == parent
    page = client.get(f"/participation/{process.slug}/manage/").content.decode()
    assert "↳" in page and "Портал данных" in page


@pytest.mark.parametrize("role", ["grantor", "expert", "member", "community"])
def test_no_other_role_opens_the_staff_pages_or_the_statistics(role: str) -> None:
    process = open_process()
    client = client_for(UserFactory(role=role))
    for path in ("manage/", "manage/results/new/", "stats.xlsx"):
        assert client.get(f"/participation/{process.slug}/{path}").status_code == 403, path
    assert "Статистика участия" not in client.get(f"/participation/{process.slug}/").content.decode()


def test_a_phase_ending_before_it_starts_shows_only_the_russian_field_error() -> None:
    process = open_process()
    start = process.starts_on + dt.timedelta(days=3)
    answer = _staff().post(f"/participation/{process.slug}/manage/phases/new/", {
        "title": "Наоборот", "starts_on": start.isoformat(), "ends_on": (start - dt.timedelta(days=1)).isoformat()})  # fmt: skip
    page = answer.content.decode()
    assert answer.status_code == 400 and page.count("Этап заканчивается раньше, чем начинается.") == 1
    assert "phase_dates" not in page and "Нарушено ограничение" not in page
    assert not process.phases.filter(title="Наоборот").exists()


def test_the_participation_check_constraints_speak_russian_instead_of_naming_themselves() -> None:
    from django.apps import apps
    from django.db.models import CheckConstraint

    for model in apps.get_app_config("participation").get_models():
        for constraint in model._meta.constraints:
            if isinstance(constraint, CheckConstraint):
                message = constraint.get_violation_error_message()
                assert constraint.name not in message and "ограничение" not in message, (model, constraint.name)
