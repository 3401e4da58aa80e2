"""Needs journeys: an enterprise files a need on a phone and follows its status; staff qualify and route it; an
expert takes and closes it."""

from __future__ import annotations

import pytest
from django.core import mail

from projectoffice.accounts.models import Role
from projectoffice.needs.models import IntakeRequest, IntakeStatus, MatchStatus, Need, NeedStatus
from tests.browser.conftest import login, shot
from tests.factories import RegionFactory, UserFactory, valid_inn
from tests.needs.factories import (
    ExpertFactory,
    IntakeRequestFactory,
    MatchFactory,
    MunicipalityFactory,
    SolutionFactory,
    SubjectFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "browser-pass-123"


def _path(body: str, marker: str) -> str:
    line = next(line for line in body.splitlines() if marker in line)
    return line[line.index(marker) :]


def test_an_enterprise_files_a_need_on_a_phone_and_follows_its_status(page, settings) -> None:  # type: ignore[no-untyped-def]
    settings.NEEDS_INTAKE_MIN_SECONDS = 0
    RegionFactory()
    subject = SubjectFactory()
    MunicipalityFactory()
    page.set_default_timeout(30_000)  # a loaded machine: the first page of the live server may take a while
    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(page.base_url + "/needs/new/")
    page.fill("#id_inn", valid_inn(777))
    page.fill("#id_organisation_name", "ООО «Заволжский станкозавод»")
    page.fill("#id_contact_name", "Ирина Сергеевна Технологова")
    page.fill("#id_contact_email", "irina@stanki.example.invalid")
    page.fill("#id_contact_phone", "+7 846 111-22-33")
    page.select_option("#id_subject", str(subject.pk))
    page.fill("#id_description", "Хотим видеть загрузку станков и простой в реальном времени.")
    shot(page, "90-needs-intake-phone")
    page.click("button:has-text('Отправить обращение')")
    page.wait_for_selector("text=Без согласия")  # consent is required: nothing stored
    assert not IntakeRequest.objects.exists()
    page.check("#id_consent")
    page.click("button:has-text('Отправить обращение')")
    page.wait_for_selector("h1:has-text('Проверьте почту')")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.goto(page.base_url + _path(mail.outbox[-1].body, "/needs/confirm/"))
    page.wait_for_selector("h1:has-text('Обращение подтверждено')")
    page.click("a:has-text('Страница обращения')")
    page.wait_for_selector("text=Сотрудник офиса изучает задачу")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "91-needs-status-phone")
    assert IntakeRequest.objects.get().status == IntakeStatus.CONFIRMED


def test_staff_qualify_a_request_and_route_it_with_reasons(page) -> None:  # type: ignore[no-untyped-def]
    request = IntakeRequestFactory()
    expert = ExpertFactory(subjects=[request.subject], user__first_name="Павел", user__last_name="Станков")
    SolutionFactory(subjects=[request.subject], name="Цех-Онлайн")
    UserFactory(username="anna", role=Role.STAFF, password=PASSWORD)
    login(page, "anna", PASSWORD)
    page.click("nav#nav >> text=Потребности")
    page.click(f"a[href='/needs/requests/{request.pk}/']")
    page.fill("#id_title", "Диспетчеризация станков")
    page.select_option("#id_priority", "high")
    page.select_option("#id_diagnosis_kind", "call")
    page.fill("#id_diagnosis_notes", "Созвонились: 60 станков, учёт на бумаге.")
    page.click("button:has-text('Создать потребность')")
    page.wait_for_selector("h1:has-text('Диспетчеризация станков')")
    page.wait_for_selector("text=совпадают слова описания")
    shot(page, "92-needs-routing-reasons")
    page.check(f"input[name=expert][value='{expert.pk}']")
    page.check("input[name=solution]")
    page.click("button:has-text('Отправить выбранным')")
    page.wait_for_selector("text=Павел Станков")
    need = Need.objects.get()
    assert need.status == NeedStatus.SENT and need.matches.count() == 2 and need.diagnoses.count() == 1


def test_an_expert_takes_a_need_sees_the_contacts_and_closes_it(page) -> None:  # type: ignore[no-untyped-def]
    match = MatchFactory(expert__user__username="pavel", expert__user__password=PASSWORD)
    login(page, "pavel", PASSWORD)
    page.click("nav#nav >> text=Потребности")
    page.click(f"a[href='/needs/matches/{match.pk}/']")
    assert match.need.request.contact_email not in page.content()
    page.check("input[name=to][value=taken]")
    page.click("button:has-text('Сохранить')")
    page.wait_for_selector(f"text={match.need.request.contact_email}")
    page.check("input[name=to][value=helped]")
    page.fill("#id_reason", "Подобрали MES, пилот на участке")
    page.click("button:has-text('Сохранить')")
    page.wait_for_selector("text=Подобрали MES, пилот на участке")
    shot(page, "93-needs-expert-closed")
    match.refresh_from_db()
    assert match.status == MatchStatus.HELPED
