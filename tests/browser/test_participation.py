"""Participation journeys: a participant files a proposal and sees a similar one while typing; a participant remarks
on a paragraph of the draft; staff dispose remarks and download the register (DOCX and XLSX, opened); staff turn an
accepted proposal into a project."""

from __future__ import annotations

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from projectoffice.participation import services
from projectoffice.participation.models import Proposal, Remark
from projectoffice.projects.models import Project
from tests.browser.conftest import login, shot
from tests.factories import OrganisationFactory, UserFactory
from tests.participation.factories import ProposalFactory, answer_state, open_process

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "browser-pass-123"
DRAFT = "# Данные\n\nРегиональные данные публикуются в открытом виде по утверждённому перечню.\n\nОператор данных назначается правительством.\n"


def test_a_participant_files_a_proposal_and_sees_a_similar_one_while_typing(page) -> None:  # type: ignore[no-untyped-def]
    services.reference_load()
    existing = ProposalFactory(
        title="Открыть данные об общественном транспорте", body="Расписания автобусов в открытом доступе"
    )
    UserFactory(username="olga", password=PASSWORD)
    login(page, "olga", PASSWORD)
    page.goto(page.base_url + f"/participation/{existing.process.slug}/propose/")
    page.fill("#id_title", "Открытые данные транспорта")
    page.locator("#id_title").press("End")  # a key press, as typing does
    page.wait_for_selector("#similar >> text=Открыть данные об общественном транспорте")
    shot(page, "80-participation-similar-while-typing")
    page.fill("#id_body", "Публиковать расписание автобусов Самары")
    page.click("button:has-text('Опубликовать')")
    page.wait_for_selector("h1:has-text('Открытые данные транспорта')")
    assert Proposal.objects.filter(title="Открытые данные транспорта", author__username="olga").exists()


def test_a_participant_remarks_on_a_paragraph_with_a_selected_passage(page) -> None:  # type: ignore[no-untyped-def]
    process = open_process()
    services.version_publish(actor=UserFactory(role="staff"), process=process, title="Цифровой раздел", text=DRAFT)
    UserFactory(username="timur", password=PASSWORD)
    login(page, "timur", PASSWORD)
    page.goto(page.base_url + f"/participation/{process.slug}/draft/")
    paragraph = page.locator("article.paragraph").first
    paragraph.locator("summary:has-text('Замечание к пункту')").click()
    paragraph.locator("textarea.quote").fill("по утверждённому перечню")
    paragraph.locator("textarea[name=text]").fill("Опубликовать перечень вместе со стратегией.")
    paragraph.locator("button:has-text('Отправить замечание')").click()
    page.wait_for_selector("text=Замечание принято.")
    shot(page, "81-participation-remark")
    remark = Remark.objects.get()
    assert (remark.quote, remark.paragraph.number) == ("по утверждённому перечню", "1.1")


def test_staff_dispose_remarks_and_download_the_register(page) -> None:  # type: ignore[no-untyped-def]
    process = open_process()
    version = services.version_publish(
        actor=UserFactory(role="staff"), process=process, title="Цифровой раздел", text=DRAFT
    )
    services.remark_add(actor=UserFactory(first_name="Ирина", last_name="Белова"), paragraph=version.paragraphs.get(number="1.2"),
                        text="Назвать оператора в стратегии.")  # fmt: skip
    UserFactory(username="anna", role="staff", password=PASSWORD)
    login(page, "anna", PASSWORD)
    page.goto(page.base_url + f"/participation/{process.slug}/register/")
    page.select_option("select[name=disposition]", "partial")
    page.fill("textarea[name=justification]", "Оператор будет назван в плане мероприятий.")
    page.click("form.dispose button:has-text('Сохранить')")
    page.wait_for_selector("text=Решение по замечанию сохранено.")
    shot(page, "82-participation-register")
    with page.expect_download() as docx_download:
        page.click("text=Скачать DOCX")
    document = Document(io.BytesIO(open(docx_download.value.path(), "rb").read()))  # noqa: SIM115
    row = [cell.text for cell in document.tables[0].rows[1].cells]
    assert row[4:8] == [
        "Назвать оператора в стратегии.",
        "Ирина Белова",
        "Учтено частично",
        "Оператор будет назван в плане мероприятий.",
    ]
    with page.expect_download() as xlsx_download:
        page.click("text=Скачать XLSX")
    assert xlsx_download.value.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(open(xlsx_download.value.path(), "rb").read())).active  # noqa: SIM115
    assert [c.value for c in sheet[2]][4:8] == row[4:8]


def test_staff_turn_an_accepted_proposal_into_a_project(page) -> None:  # type: ignore[no-untyped-def]
    staff = UserFactory(username="anna", role="staff", password=PASSWORD)
    organisation = OrganisationFactory(name="ООО «СамараДата»", short_name="СамараДата")
    proposal = ProposalFactory(title="Открытые данные о транспорте")
    services.answer_draft(actor=staff, proposal=proposal, state=answer_state("Принято"), text="Включено в стратегию")
    services.answers_publish(actor=staff, process=proposal.process)
    login(page, "anna", PASSWORD)
    page.goto(page.base_url + f"/participation/proposals/{proposal.pk}/")
    page.select_option("#lead", str(organisation.pk))
    page.click("button:has-text('Создать проект из предложения')")
    page.wait_for_selector("text=Проект создан из предложения.")
    page.wait_for_selector("text=Из предложения сообщества")
    shot(page, "83-participation-project-from-proposal")
    project = Project.objects.get()
    assert (project.title, project.lead_organisation, project.stage) == (
        "Открытые данные о транспорте",
        organisation,
        "idea",
    )
    assert Proposal.objects.get(pk=proposal.pk).project == project


def test_a_participant_opens_the_remarks_of_a_paragraph_and_discusses_one(page) -> None:  # type: ignore[no-untyped-def]
    process = open_process()
    version = services.version_publish(actor=UserFactory(role="staff"), process=process, title="Раздел", text=DRAFT)
    services.remark_add(actor=UserFactory(first_name="Ирина", last_name="Белова"),
                        paragraph=version.paragraphs.get(number="1.1"), text="Назвать оператора данных")  # fmt: skip
    UserFactory(username="pavel", password=PASSWORD)
    login(page, "pavel", PASSWORD)
    page.goto(page.base_url + f"/participation/{process.slug}/draft/")
    page.click("summary:has-text('Замечания (1)')")
    page.wait_for_selector(".remark-list >> text=Назвать оператора данных")  # loaded on opening (htmx)
    page.locator(".remark-list button:has-text('за')").click()
    page.wait_for_selector("text=Голос учтён.")
    page.goto(page.base_url + f"/participation/remarks/{Remark.objects.get().pk}/")
    page.fill("#c-body", "Поддерживаю: оператор нужен уже в 2027 году.")
    page.select_option("#c-stance", "for")
    page.click("button:has-text('Опубликовать')")
    page.wait_for_selector("text=Поддерживаю: оператор нужен уже в 2027 году.")
    shot(page, "83-participation-remark-discussion")
    remark = Remark.objects.get()
    assert remark.up == 1 and remark.comments.get().stance == "for"
