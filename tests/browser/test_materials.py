"""Materials and the data room in a browser: staff build a flagship's bilingual teaser and download both PDFs; a
funder's representative accepts the NDA and downloads a watermarked PDF from the data room."""

from __future__ import annotations

import datetime as dt
import io

import pikepdf
import pytest
from django.utils import timezone
from pypdf import PdfReader

from projectoffice.materials.models import Document, Download, Lang, SectionKey
from projectoffice.materials.services import invitation_create, nda_publish, room_document_add, room_open
from tests import samples
from tests.browser.conftest import login, shot
from tests.factories import ProjectFactory, UserFactory
from tests.materials.helpers import EN, RU, fill

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "browser-pass-123"


def _pdf_of(page, link_text: str) -> bytes:  # type: ignore[no-untyped-def]
    with page.expect_download() as download:
        page.click(f"a:has-text('{link_text}')")
    return download.value.path().read_bytes()


def test_staff_build_a_bilingual_teaser_and_download_both_pdfs(page) -> None:  # type: ignore[no-untyped-def]
    staff = UserFactory(username="anna", role="staff", password=PASSWORD, first_name="Анна")
    project = ProjectFactory(title="Цифровой двойник насосной станции")
    rest = {k: v for k, v in RU.items() if k != SectionKey.MARKET}
    fill(staff, project, Lang.RU, rest, documents=(Document.TEASER,))
    fill(staff, project, Lang.EN, {k: v for k, v in EN.items() if k != SectionKey.MARKET}, documents=(Document.TEASER,))
    login(page, "anna", PASSWORD)
    page.goto(page.base_url + f"/projects/{project.pk}/")
    page.click("a:has-text('Материалы')")
    page.click("a[aria-label='Править раздел «Рынок»'] >> nth=0")
    page.fill("#id_ru-text", "1 200 водоканалов России.")
    page.click("button:has-text('Сохранить русский текст')")
    page.wait_for_selector("text=сохранён, версия 1")
    page.click("a[aria-label='Править раздел «Рынок»'] >> nth=0")
    page.fill("#id_en-text", "1,200 water utilities in Russia.")
    page.click("button:has-text('Сохранить перевод версии 1')")
    page.wait_for_selector("text=(английский) сохранён")
    shot(page, "70-materials-teaser")
    for lang, link, expected in (("ru", "PDF, русский", "1 200 водоканалов"), ("en", "PDF, английский", "1,200 water")):
        content = _pdf_of(page, link)
        assert str(pikepdf.open(io.BytesIO(content)).Root.Lang) == lang
        assert expected in PdfReader(io.BytesIO(content)).pages[0].extract_text()


def test_a_representative_accepts_the_nda_and_downloads_from_the_data_room(page) -> None:  # type: ignore[no-untyped-def]
    staff = UserFactory(role="staff")
    nda_publish(actor=staff, text="Стороны не раскрывают сведения из комнаты данных.")
    room = room_open(actor=staff, project=ProjectFactory(title="Мониторинг ЛЭП беспилотниками"))
    room_document_add(actor=staff, room=room, title="Финансовая модель", filename="model.pdf", data=samples.pdf())
    invitation_create(actor=staff, room=room, email="irina@fund.example",
                      expires_on=timezone.localdate() + dt.timedelta(days=10))  # fmt: skip
    UserFactory(username="irina", email="irina@fund.example", password=PASSWORD, first_name="Ирина",
                last_name="Инвесторова")  # fmt: skip
    login(page, "irina", PASSWORD)
    page.goto(page.base_url + "/materials/rooms/")
    page.click("a:has-text('Мониторинг ЛЭП беспилотниками')")
    page.wait_for_selector("text=Стороны не раскрывают сведения")
    shot(page, "71-data-room-nda")
    page.check("input[name=agree]")
    page.click("button:has-text('Принять и открыть комнату')")
    page.wait_for_selector("text=Соглашение принято")
    content = _pdf_of(page, "Финансовая модель")
    shot(page, "72-data-room")
    assert "Ирина Инвесторова" in PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert Download.objects.get().user.username == "irina"
