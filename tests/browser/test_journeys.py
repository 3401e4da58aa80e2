"""Main journeys in a real browser: staff builds the registry and moves a project; members stay in their lane."""

from __future__ import annotations

import pytest

from projectoffice.organisations.models import Organisation
from projectoffice.projects.models import Project
from tests.browser.conftest import login, shot
from tests.factories import OkvedFactory, OrganisationFactory, ProjectFactory, RegionFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "browser-pass-123"


def test_staff_registers_an_organisation_files_a_project_and_moves_it_two_stages(page) -> None:  # type: ignore[no-untyped-def]
    RegionFactory()
    OkvedFactory()
    OkvedFactory(code="62.02", name="Деятельность консультативная и работы в области компьютерных технологий")
    UserFactory(username="anna", role="staff", first_name="Анна", password=PASSWORD)
    login(page, "anna", PASSWORD)
    assert page.locator("h1").inner_text() == "Портфель проектного офиса"
    shot(page, "01-staff-home")

    page.goto(page.base_url + "/organisations/new/")
    page.select_option("#id_kind", "it_company")
    page.fill("#id_name", "ООО «Браузерная компания»")
    page.fill("#id_inn", "7736207544")  # wrong check digit
    page.fill("#id_main_okved", "програм")
    page.wait_for_selector(".picker-list li[data-code='62.01']")
    shot(page, "02-okved-picker")
    page.click(".picker-list li[data-code='62.01']")
    assert page.input_value("#id_main_okved") == "62.01"
    page.click("button:has-text('Сохранить')")
    assert "Неверная контрольная сумма ИНН" in page.locator(".field.has-error").inner_text()
    shot(page, "03-organisation-bad-inn")
    assert not Organisation.objects.exists()

    page.fill("#id_inn", "7736207543")
    page.click("button:has-text('Сохранить')")
    page.wait_for_selector("text=добавлена в реестр")
    assert page.locator("h1").inner_text() == "ООО «Браузерная компания»"
    shot(page, "04-organisation-created")
    organisation = Organisation.objects.get(inn="7736207543")

    page.goto(page.base_url + "/projects/new/")
    page.fill("#id_title", "Цифровой двойник цеха")
    page.select_option("#id_lead_organisation", str(organisation.pk))
    page.fill("#id_summary", "Модель цеха для планирования загрузки")
    page.select_option("#id_trl", "4")
    page.fill("#id_budget_total", "1000000")
    page.fill("#id_own_funds", "400000")
    page.fill("#id_requested_support", "600000")
    page.fill("#id_technologies", "цифровой двойник, IoT")
    page.click("button:has-text('Сохранить')")
    page.wait_for_selector("text=создан на стадии «Идея»")

    for stage, label, reason in [
        ("screening", "Скрининг", "Встреча с командой"),
        ("packaging", "Упаковка", "Выбран конкурс"),
    ]:
        page.select_option("#id_to_stage", stage)
        page.fill("#id_reason", reason)
        page.click("button:has-text('Перевести')")
        page.wait_for_selector(f"text=Проект переведён в стадию «{label}»")
        assert page.locator("#project-stage").inner_text() == label
    shot(page, "05-project-moved")
    project = Project.objects.get()
    assert project.stage == "packaging"
    assert list(project.stage_moves.values_list("reason", flat=True).order_by("created_at")) == [
        "Встреча с командой",
        "Выбран конкурс",
    ]

    page.goto(page.base_url + "/projects/board/")
    assert page.locator(".kanban-col[aria-label='Упаковка']").inner_text().count("Цифровой двойник цеха") == 1
    shot(page, "06-board")


def test_member_sees_own_project_and_a_404_for_another_organisations(page) -> None:  # type: ignore[no-untyped-def]
    own, other = OrganisationFactory(name="Своя"), OrganisationFactory(name="Чужая")
    mine = ProjectFactory(lead_organisation=own, title="Мой проект")
    theirs = ProjectFactory(lead_organisation=other, title="Чужой проект")
    user = member_of(own)
    user.set_password(PASSWORD)
    user.save()
    login(page, user.username, PASSWORD)
    page.goto(page.base_url + "/projects/")
    body = page.locator("main").inner_text()
    assert "Мой проект" in body and "Чужой проект" not in body
    response = page.goto(page.base_url + f"/projects/{theirs.pk}/")
    assert response.status == 404
    assert "Чужой проект" not in page.content()
    shot(page, "07-member-404")
    page.goto(page.base_url + f"/projects/{mine.pk}/")
    assert page.locator("text=Служебные заметки").count() == 0


def test_pages_fit_a_phone_screen(page) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        ProjectFactory()
    UserFactory(username="anna", role="staff", password=PASSWORD)
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "anna", PASSWORD)
    for path, name in [
        ("/", "08-phone-home"),
        ("/organisations/", "09-phone-organisations"),
        ("/projects/board/", "10-phone-board"),
    ]:
        page.goto(page.base_url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} scrolls sideways ({width}px)"
        shot(page, name)
    page.click(".nav-toggle")
    assert page.locator("#nav").is_visible()
    shot(page, "11-phone-menu")
