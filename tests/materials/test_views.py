from __future__ import annotations

import io

import pikepdf
import pytest
from django.urls import reverse
from docx import Document as DocxDocument
from pypdf import PdfReader

from projectoffice.accounts.models import Role
from projectoffice.materials.models import Document, Lang, Section, SectionKey
from tests.conftest import client_for
from tests.factories import ProjectFactory, ProjectPartnerFactory, UserFactory, member_of
from tests.materials.helpers import EN, RU, fill
from tests.pdfs import pdfua_findings

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return UserFactory(role=Role.STAFF)


@pytest.fixture
def project(staff):
    project = ProjectFactory()
    fill(staff, project, Lang.RU)
    fill(staff, project, Lang.EN)
    return project


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_teaser_pdf_is_tagged_in_its_language_and_holds_its_text(staff, project, lang) -> None:
    response = client_for(staff).get(reverse("materials:file", args=[project.pk, "teaser", lang, "pdf"]))
    assert response["Content-Type"] == "application/pdf"
    pdf = pikepdf.open(io.BytesIO(response.content))
    assert str(pdf.Root.Lang) == lang
    assert pdf.Root.MarkInfo.Marked is True
    texts = RU if lang == "ru" else EN
    assert str(pdf.docinfo.Title).endswith(texts[SectionKey.TITLE])
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1  # the teaser is one page
    text = reader.pages[0].extract_text()
    assert texts[SectionKey.MARKET] in text
    assert ("Рынок" if lang == "ru" else "Market") in text
    assert pdfua_findings(response.content) == []


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_memorandum_docx_is_a4_in_its_language_with_every_filled_section(staff, project, lang) -> None:
    response = client_for(staff).get(reverse("materials:file", args=[project.pk, "memo", lang, "docx"]))
    document = DocxDocument(io.BytesIO(response.content))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    text = "\n".join(p.text for p in document.paragraphs)
    texts = RU if lang == "ru" else EN
    for key in (SectionKey.PROBLEM, SectionKey.TRACTION, SectionKey.USE_OF_FUNDS, SectionKey.RISKS):
        assert texts[key] in text
    assert ("Использование средств" if lang == "ru" else "Use of funds") in text
    assert "Финансовая модель и окупаемость" not in text  # empty sections are left out
    assert document.core_properties.language == ("ru-RU" if lang == "ru" else "en-GB")


def test_the_materials_page_marks_an_outdated_translation(staff, project) -> None:
    client = client_for(staff)
    url = reverse("materials:section", args=[project.pk, "memo", "risks"])
    response = client.post(url, {"lang": "ru", "ru-text": "Новый риск."})
    assert response.status_code == 302
    page = client.get(reverse("materials:project", args=[project.pk])).content.decode()
    assert "перевод устарел" in page
    assert "Устаревших переводов: 1." in page
    edit = client.get(url).content.decode()
    assert "перевод устарел: русский текст теперь в версии 2" in edit
    client.post(url, {"lang": "en", "en-text": "A new risk.", "en-translates_version": "2"})
    assert "перевод устарел" not in client.get(reverse("materials:project", args=[project.pk])).content.decode()


def test_bad_input_on_the_section_page_says_what_is_wrong_and_keeps_the_text(staff) -> None:
    project = ProjectFactory()
    client = client_for(staff)
    url = reverse("materials:section", args=[project.pk, "teaser", "problem"])
    response = client.post(url, {"lang": "ru", "ru-text": "а" * 701})
    assert response.status_code == 200
    assert "Не длиннее 700\u00a0знаков" in response.content.decode()
    assert not Section.objects.exists()


def test_who_reads_and_who_edits_the_materials(project) -> None:
    partner = ProjectPartnerFactory(project=project).organisation
    page = reverse("materials:project", args=[project.pk])
    edit = reverse("materials:section", args=[project.pk, "memo", "risks"])
    pdf = reverse("materials:file", args=[project.pk, "memo", "ru", "pdf"])
    lead, partner_member = member_of(project.lead_organisation), member_of(partner)
    outsider = member_of(ProjectFactory().lead_organisation)
    grantor = UserFactory(role=Role.GRANTOR)
    assert client_for(lead).get(edit).status_code == 200
    assert client_for(partner_member).get(page).status_code == 200
    assert client_for(partner_member).get(edit).status_code == 403
    assert client_for(grantor).get(pdf).status_code == 200
    assert client_for(grantor).post(edit, {"lang": "ru", "ru-text": "x"}).status_code == 403
    for url in (page, edit, pdf):
        assert client_for(outsider).get(url).status_code == 404
        assert client_for(UserFactory(role=Role.EXPERT)).get(url).status_code == 404
    assert client_for(outsider).post(edit, {"lang": "ru", "ru-text": "x"}).status_code == 404
    assert Section.objects.get(document=Document.MEMO, key=SectionKey.RISKS, lang=Lang.RU).text == RU[SectionKey.RISKS]


def test_the_materials_page_keeps_a_constant_number_of_queries(staff, django_assert_max_num_queries) -> None:
    project = ProjectFactory()
    client = client_for(staff)
    url = reverse("materials:project", args=[project.pk])
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    fill(staff, project, Lang.RU)
    fill(staff, project, Lang.EN)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_a_teaser_with_every_section_at_its_longest_fits_one_page() -> None:
    from projectoffice.materials.documents import Material, build_pdf

    text = ("Длинное слово " * 60)[:700]
    for lang in ("ru", "en"):
        item = Material("Т" * 120, "teaser", lang, "ООО «Организация»", [(f"Раздел {n}", text) for n in range(6)])
        assert len(PdfReader(io.BytesIO(build_pdf(item))).pages) == 1
