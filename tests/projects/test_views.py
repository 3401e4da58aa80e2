import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projectoffice.projects.models import Project
from projectoffice.projects.stages import Stage
from tests.conftest import client_for
from tests.factories import (
    OrganisationFactory,
    ProjectFactory,
    ProjectPartnerFactory,
    TagFactory,
    UserFactory,
    member_of,
)

pytestmark = pytest.mark.django_db


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url_name", ["projects:list", "projects:board", "home"])
def test_pipeline_pages_use_a_constant_number_of_queries(staff_client: Client, url_name: str) -> None:
    url = reverse(url_name)
    for _ in range(3):
        ProjectFactory().technologies.add(TagFactory())
    few = _queries(staff_client, url)
    for stage in Stage.values * 3:
        project = ProjectFactory(stage=stage)
        project.technologies.add(TagFactory(), TagFactory())
        ProjectPartnerFactory(project=project, organisation=OrganisationFactory())
    assert _queries(staff_client, url) == few


def test_board_shows_every_stage_column_with_its_projects(staff_client: Client) -> None:
    ProjectFactory(title="Идея про ИИ", stage=Stage.IDEA)
    ProjectFactory(title="Уже внедряем", stage=Stage.IMPLEMENTATION)
    body = staff_client.get(reverse("projects:board")).content.decode()
    for stage in Stage:
        assert f'aria-label="{stage.label}"' in body
    assert body.index("Идея про ИИ") < body.index("Уже внедряем")


def test_member_files_a_project_for_own_organisation_through_the_form(db) -> None:  # type: ignore[no-untyped-def]
    own = OrganisationFactory()
    client = client_for(member_of(own))
    response = client.post(
        reverse("projects:create"),
        {"title": "Новый <b>проект</b>", "lead_organisation": own.pk, "summary": "Суть", "trl": 3,
         "budget_total": "100", "own_funds": "40", "requested_support": "60", "technologies": "ИИ, IoT"},
    )  # fmt: skip
    project = Project.objects.get()
    assert response.status_code == 302
    assert project.stage == Stage.IDEA
    body = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Новый &lt;b&gt;проект&lt;/b&gt;" in body


def test_member_cannot_pick_another_organisation_as_lead(db) -> None:  # type: ignore[no-untyped-def]
    own, other = OrganisationFactory(), OrganisationFactory()
    client = client_for(member_of(own))
    response = client.post(
        reverse("projects:create"), {"title": "X", "lead_organisation": other.pk, "summary": "x", "trl": 3,
                                     "budget_total": "0", "own_funds": "0", "requested_support": "0"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Выберите корректный вариант" in response.content.decode()
    assert not Project.objects.exists()


def test_budget_breach_in_the_form_is_shown_and_nothing_saved(staff_client: Client) -> None:
    lead = OrganisationFactory()
    response = staff_client.post(
        reverse("projects:create"), {"title": "X", "lead_organisation": lead.pk, "summary": "x", "trl": 3,
                                     "budget_total": "100", "own_funds": "90", "requested_support": "20"},
    )  # fmt: skip
    assert "больше бюджета проекта" in response.content.decode()
    assert not Project.objects.exists()


def test_stage_move_from_the_card_shows_a_message_and_the_history(staff_client: Client) -> None:
    project = ProjectFactory()
    url = reverse("projects:move", args=[project.pk])
    response = staff_client.post(
        url, {"to_stage": "screening", "expected_stage": "idea", "reason": "Созвон"}, follow=True
    )
    body = response.content.decode()
    assert "Проект переведён в стадию «Скрининг»" in body
    assert "Созвон" in body
    stale = staff_client.post(url, {"to_stage": "declined", "expected_stage": "idea", "reason": "x"}, follow=True)
    assert "уже перевели" in stale.content.decode()
    project.refresh_from_db()
    assert project.stage == Stage.SCREENING


def test_a_move_to_a_stage_not_allowed_from_here_is_refused(staff_client: Client) -> None:
    project = ProjectFactory()
    url = reverse("projects:move", args=[project.pk])
    response = staff_client.post(url, {"to_stage": "completed", "expected_stage": "idea", "reason": "x"}, follow=True)
    assert "Стадия не изменена" in response.content.decode()
    project.refresh_from_db()
    assert project.stage == Stage.IDEA


def test_list_filters_by_stage_and_search(staff_client: Client) -> None:
    ProjectFactory(title="Беспилотники", search_text="беспилотники", stage=Stage.SCREENING)
    ProjectFactory(title="Финтех", search_text="финтех", stage=Stage.IDEA)
    body = staff_client.get(reverse("projects:list"), {"stage": "screening"}).content.decode()
    assert "Беспилотники" in body and "Финтех" not in body
    body = staff_client.get(reverse("projects:list"), {"q": "ФИНТЕХ"}).content.decode()
    assert "Финтех" in body and "Беспилотники" not in body


def test_partner_members_see_the_project_but_cannot_edit_it(db) -> None:  # type: ignore[no-untyped-def]
    lead, partner = OrganisationFactory(), OrganisationFactory()
    project = ProjectFactory(lead_organisation=lead, title="Общий проект")
    ProjectPartnerFactory(project=project, organisation=partner)
    client = client_for(member_of(partner))
    page = client.get(reverse("projects:detail", args=[project.pk]))
    assert page.status_code == 200 and "Общий проект" in page.content.decode()
    assert client.get(reverse("projects:edit", args=[project.pk])).status_code == 403
    edit = client.post(reverse("projects:edit", args=[project.pk]), {"title": "Захвачен", "trl": 5, "stage": "idea"})
    assert edit.status_code == 403
    project.refresh_from_db()
    assert project.title == "Общий проект"


def test_password_reset_sends_a_russian_email_with_a_working_link(client: Client) -> None:
    UserFactory(username="olga", email="olga@example.invalid")
    client.post(reverse("password_reset"), {"email": "olga@example.invalid"})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "Смена пароля" in message.subject
    link = next(line for line in message.body.splitlines() if "/accounts/reset/" in line)
    response = client.get(link.replace("http://testserver", ""), follow=True)
    assert "Новый пароль" in response.content.decode()
