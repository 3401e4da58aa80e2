"""The need page shows the enterprise's survey answer and, for staff, the way to a pilot project; the needs pages
lead to the operations pages (ages, landscape, statistics) and to the public landscape."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from projectoffice.needs.models import Match, MatchStatus, Need, SatisfactionSurvey, SurveyOutcome
from projectoffice.organisations.models import OrganisationKind
from tests.conftest import client_for
from tests.factories import OrganisationFactory, UserFactory
from tests.needs.ops_factories import NeedFactory, closed_need

pytestmark = pytest.mark.django_db


def _answered(need: Need, comment: str = "Эксперт помог выбрать MES") -> SatisfactionSurvey:
    now = timezone.now()
    return SatisfactionSurvey.objects.create(
        need=need, token=f"t{need.pk}", sent_at=now, answered_at=now, contacted=True, useful=True,
        outcome=SurveyOutcome.CHOSE_SOLUTION, rating=4, comment=comment,
    )  # fmt: skip


def test_staff_see_the_survey_answer_and_the_pilot_button_on_a_helped_need() -> None:
    need = closed_need(12)
    _answered(need)
    page = client_for(UserFactory(role="staff")).get(reverse("needs:need", args=[need.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Ответ предприятия на опрос" in text and "Эксперт помог выбрать MES" in text and "выбрали решение" in text
    assert "Создать пилотный проект" in text and reverse("needs:ops-pilot", args=[need.pk]) in text


def test_an_unanswered_survey_and_a_need_nobody_helped_show_neither() -> None:
    need = closed_need(12, status=MatchStatus.NOT_HELPED)
    SatisfactionSurvey.objects.create(need=need, token="sent-only", sent_at=timezone.now())
    text = client_for(UserFactory(role="staff")).get(reverse("needs:need", args=[need.pk])).content.decode()
    assert "Ответ предприятия на опрос" not in text
    assert "Создать пилотный проект" not in text


def test_the_grantor_reads_the_need_without_the_pilot_button() -> None:
    need = closed_need(12)
    _answered(need)
    text = client_for(UserFactory(role="grantor")).get(reverse("needs:need", args=[need.pk])).content.decode()
    assert "Ответ предприятия на опрос" in text and "Создать пилотный проект" not in text


def test_a_need_with_a_pilot_links_to_the_project_instead_of_the_button() -> None:
    need = closed_need(12)
    staff = client_for(UserFactory(role="staff"))
    it_company = OrganisationFactory(kind=OrganisationKind.IT_COMPANY)
    staff.post(reverse("needs:ops-pilot", args=[need.pk]), {"title": "Пилот MES", "summary": "s",
                                                             "it_company": it_company.pk, "investment": "100"})  # fmt: skip
    need.refresh_from_db()
    assert need.pilot_project_id is not None
    text = staff.get(reverse("needs:need", args=[need.pk])).content.decode()
    assert "Создать пилотный проект" not in text
    assert reverse("projects:detail", args=[need.pilot_project_id]) in text


def test_the_expert_who_took_the_need_sees_the_survey_answer_on_the_match_page() -> None:
    need = closed_need(12)
    _answered(need, comment="Спасибо за быстрый выезд")
    match = Match.objects.get(need=need)
    expert = client_for(match.expert.user)
    text = expert.get(reverse("needs:match", args=[match.pk])).content.decode()
    assert "Ответ предприятия на опрос" in text and "Спасибо за быстрый выезд" in text


def test_an_expert_who_has_not_taken_the_need_does_not_see_the_survey_answer() -> None:
    need = closed_need(12)
    _answered(need, comment="Спасибо за быстрый выезд")
    match = Match.objects.get(need=need)
    Match.objects.filter(pk=match.pk).update(status=MatchStatus.NEW, taken_at=None, closed_at=None, taken_by=None)
    text = client_for(match.expert.user).get(reverse("needs:match", args=[match.pk])).content.decode()
    assert "Спасибо за быстрый выезд" not in text
    other = closed_need(12)
    stranger = client_for(Match.objects.get(need=other).expert.user)
    assert stranger.get(reverse("needs:match", args=[match.pk])).status_code == 403


def test_the_need_page_keeps_its_queries_with_a_survey_and_a_pilot_button(django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    need = closed_need(12)
    _answered(need)
    staff = client_for(UserFactory(role="staff"))
    staff.get(reverse("needs:need", args=[need.pk]))
    with django_assert_max_num_queries(60):
        assert staff.get(reverse("needs:need", args=[need.pk])).status_code == 200


def test_staff_reach_the_operations_pages_from_the_needs_home_page() -> None:
    NeedFactory()
    text = client_for(UserFactory(role="staff")).get(reverse("needs:home")).content.decode()
    for name in ("needs:ops-ages", "needs:ops-landscape-staff", "needs:ops-stats"):
        assert f'href="{reverse(name)}"' in text


def test_the_grantor_gets_only_the_operations_pages_it_may_open() -> None:
    grantor = client_for(UserFactory(role="grantor"))
    text = grantor.get(reverse("needs:home")).content.decode()
    assert reverse("needs:ops-ages") not in text
    for name in ("needs:ops-landscape-staff", "needs:ops-stats"):
        assert f'href="{reverse(name)}"' in text and grantor.get(reverse(name)).status_code == 200


def test_the_public_needs_pages_lead_to_the_public_landscape(client: Client) -> None:
    for name in ("needs:intake", "needs:catalogue"):
        page = client.get(reverse(name))
        assert page.status_code == 200 and f'href="{reverse("needs:ops-landscape")}"' in page.content.decode()
