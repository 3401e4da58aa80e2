"""Packaging in a browser: from a matched opportunity to a reviewed, exported, submitted application with an outcome."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from projectoffice.applications.models import Application
from projectoffice.applications.templates_loader import load_builtin_templates
from projectoffice.classifiers.loaders import load_regions
from projectoffice.matching.index import rebuild_index
from projectoffice.opportunities.catalogue import load_catalogue
from tests import samples
from tests.browser.conftest import ARTIFACTS, login, shot
from tests.events.factories import EventFactory
from tests.factories import OkvedFactory, OrganisationFactory, ProjectFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "browser-pass-123"
PDF = samples.pdf()


def _page_for(browser, live_server, username: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    login(page, username, PASSWORD)
    return page


def test_a_project_goes_from_a_match_to_a_supported_application(browser, live_server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    load_regions()
    load_catalogue()
    load_builtin_templates()
    rebuild_index()
    developer = OrganisationFactory(
        main_okved=OkvedFactory(), it_accredited=True, description="разработка цифровых продуктов"
    )
    project = ProjectFactory(lead_organisation=developer, title="Цифровой продукт для заводов", stage="packaging",
                             summary="Разработка цифрового продукта", trl=5)  # fmt: skip
    member = member_of(developer)
    member.set_password(PASSWORD)
    member.save()
    UserFactory(username="anna", role="staff", password=PASSWORD)
    UserFactory(username="egor", role="expert", first_name="Егор", password=PASSWORD)

    page = _page_for(browser, live_server, member.username)
    page.goto(page.base_url + f"/projects/{project.pk}/")
    page.locator("#matches-panel li.match button:has-text('Готовить заявку')").first.click()
    page.wait_for_selector("text=заполнена из карточки проекта")
    application = Application.objects.get()
    before = int(page.inner_text("#readiness"))
    section = page.locator(".section-card").first
    section.locator('textarea[rows="8"]').fill("Заводы теряют до 15 % времени станков. " * 30)
    section.locator("button:has-text('Сохранить раздел')").click()
    page.wait_for_selector("text=Сохранено (версия 2)")
    expect(page.locator("#readiness")).not_to_have_text(str(before))  # refreshed in place, no reload
    assert int(page.inner_text("#readiness")) > before
    assert int(page.inner_text("#readiness")) == Application.objects.get().readiness
    pdf = tmp_path / "устав.pdf"
    pdf.write_bytes(PDF)
    page.locator("#documents form.upload").first.locator("input[type=file]").set_input_files(str(pdf))
    page.locator("#documents form.upload").first.locator("button").click()
    page.wait_for_selector("text=приложен")
    shot(page, "30-application-builder")

    staff = _page_for(browser, live_server, "anna")
    staff.goto(staff.base_url + f"/applications/{application.pk}/review/")
    staff.select_option("#id_expert", label="Егор (egor)")
    staff.click("button:has-text('Назначить')")
    staff.wait_for_selector("text=Эксперт назначен")

    expert = _page_for(browser, live_server, "egor")  # lands on the home page, where the assignment waits
    expert.click(f"#my-reviews a[href='/applications/{application.pk}/review/']")
    expert.wait_for_selector(".application-text >> text=Заводы теряют до 15 % времени станков.")
    expert.click("button:has-text('Конфликта интересов нет')")
    for field in expert.locator("form.scores input[type=number]").all():
        field.fill(field.get_attribute("max") or "1")  # the top of each criterion's own scale
    expert.click("button:has-text('Сохранить оценки')")
    expert.wait_for_selector("text=Оценки сохранены")
    shot(expert, "31-expert-review")

    Application.objects.filter(pk=application.pk).update(deadline=timezone.localdate() + dt.timedelta(days=10))
    EventFactory(title="Митап «Данные в промышленности»")
    staff.goto(staff.base_url + "/")
    deadlines = staff.locator("section:has(h2:has-text('Ближайшие сроки заявок'))")
    assert "Цифровой продукт для заводов" in deadlines.inner_text()
    assert (
        "Митап «Данные в промышленности»"
        in staff.locator("section:has(h2:has-text('Ближайшие мероприятия'))").inner_text()
    )
    shot(staff, "33-staff-home-deadlines")

    staff.goto(staff.base_url + f"/applications/{application.pk}/")
    with staff.expect_download() as download:
        staff.click("a:has-text('PDF')")
    saved = ARTIFACTS / "application.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    staff.fill("#number", "РФРИТ-2026-017")
    staff.click("button:has-text('Отметить как поданную')")
    staff.wait_for_selector("text=Заявка отмечена как поданная")
    staff.select_option("#id_outcome", "supported")
    staff.fill("#id_decided_on", "2026-11-25")
    staff.fill("#id_awarded", "20000000")
    staff.click("button:has-text('Записать итог')")
    staff.wait_for_selector("text=Итог записан")
    shot(staff, "32-application-supported")
    application.refresh_from_db()
    project.refresh_from_db()
    assert (application.status, application.submission_number, project.stage) == (
        "supported",
        "РФРИТ-2026-017",
        "supported",
    )
    assert application.awarded_amount == 20_000_000
