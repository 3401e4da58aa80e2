"""The application package: DOCX and PDF read back with their text and tables, the ZIP with the documents."""

import dataclasses
import io
import zipfile
from decimal import Decimal

import pytest
from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from projectoffice.applications import services
from projectoffice.applications.documents import PackageContext, build_docx, build_pdf, build_zip, package_context
from tests import pdfs, samples
from tests.factories import BudgetItemFactory

pytestmark = pytest.mark.django_db

PDF = samples.pdf()


def test_documents_contain_the_text_and_the_tables(setup) -> None:  # type: ignore[no-untyped-def]
    application = setup["application"]
    services.attachment_add(actor=setup["member"], application=application,
                            document=application.template.documents.get(name="Устав"), data=PDF, filename="устав.pdf")  # fmt: skip
    BudgetItemFactory(application=application, name="ФОТ", own_funds=Decimal(300_000), requested=Decimal(700_000))
    ctx = package_context(application)
    document = Document(io.BytesIO(build_docx(ctx)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Видеоаналитика" in text and "1. Описание проблемы и актуальность" in text
    budget, checklist = document.tables
    assert budget.rows[0].cells[0].text == "Статья" and budget.rows[-1].cells[0].text == "Итого"
    assert budget.rows[-1].cells[4].text == "1\u00a0000\u00a0000,00\u00a0₽"
    assert [row.cells[2].text for row in checklist.rows if row.cells[0].text == "Устав"] == ["устав.pdf"]
    pdf = build_pdf(ctx)
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    pdf_text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Описание проблемы и актуальность" in pdf_text and "Итого" in pdf_text and "устав.pdf" in pdf_text
    names = zipfile.ZipFile(io.BytesIO(build_zip(application))).namelist()
    assert {"заявка.docx", "заявка.pdf", "документы/Устав/устав.pdf"} <= set(names)


def _package(setup) -> PackageContext:  # type: ignore[no-untyped-def]
    application = setup["application"]
    BudgetItemFactory(application=application, name="Оборудование", own_funds=Decimal("5000000"),
                      requested=Decimal("15000000"), cofinancing=Decimal("2500000.50"))  # fmt: skip
    return package_context(application)


def test_the_docx_is_a4_with_russian_margins_and_russian_language(setup) -> None:  # type: ignore[no-untyped-def]
    content = build_docx(_package(setup))
    document = Document(io.BytesIO(content))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [
        round(m.mm) for m in (section.left_margin, section.right_margin, section.top_margin, section.bottom_margin)
    ]
    assert margins == [30, 15, 20, 20]
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        styles = archive.read("word/styles.xml").decode()
        settings = archive.read("word/settings.xml").decode()
    assert 'w:lang w:val="ru-RU"' in styles and "en-US" not in styles
    assert 'w:themeFontLang w:val="ru-RU"' in settings


def test_the_docx_names_its_title_the_organisation_and_the_moment_it_was_made(setup) -> None:  # type: ignore[no-untyped-def]
    ctx = _package(setup)
    before = timezone.now().replace(microsecond=0)
    properties = Document(io.BytesIO(build_docx(ctx))).core_properties
    assert (properties.title, properties.author, properties.last_modified_by) == (
        "Видеоаналитика",
        ctx.organisation,
        ctx.organisation,
    )
    assert properties.language == "ru-RU" and properties.comments == "" and properties.revision == 1
    assert properties.created is not None and properties.created >= before


def test_the_budget_table_is_sized_to_its_amounts_which_do_not_break(setup) -> None:  # type: ignore[no-untyped-def]
    (budget, _checklist) = Document(io.BytesIO(build_docx(_package(setup)))).tables
    amounts = [cell.text for cell in budget.rows[1].cells[1:]]
    assert amounts == ["5\u00a0000\u00a0000,00\u00a0₽", "15\u00a0000\u00a0000,00\u00a0₽", "2\u00a0500\u00a0000,50\u00a0₽",
                       "22\u00a0500\u00a0000,50\u00a0₽"]  # fmt: skip
    assert all(" " not in amount for amount in amounts)  # only non-breaking spaces
    widths = [column.width.mm for column in budget.columns]
    assert sum(widths) <= 165.5  # the text width between GOST margins
    # the longest unbreakable piece of each amount column («Софинансирование», «22 500 000,50 ₽») fits its width
    for index in range(1, 5):
        longest = max(len(word) for row in budget.rows for word in row.cells[index].text.split(" "))
        assert widths[index] >= longest * 1.8, (index, widths[index])
    assert budget.rows[1].cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT


def test_the_package_pdf_is_tagged_russian_and_titled(setup) -> None:  # type: ignore[no-untyped-def]
    types = pdfs.assert_accessible(build_pdf(_package(setup)), "Видеоаналитика", {"H1", "H2", "P", "Table", "TH", "TD"})
    assert types.index("H1") < types.index("Table")  # the cover comes before the budget in reading order


def test_an_untagged_pdf_is_caught_by_the_checks() -> None:
    """The checks of tests/pdfs.py see what a PDF without tags lacks (reportlab's, as the package was before)."""
    assert pdfs.pdfua_findings(samples.pdf())


def test_a_name_longer_than_a_docx_property_holds_is_cut_in_the_metadata_only(setup) -> None:  # type: ignore[no-untyped-def]
    ctx = dataclasses.replace(_package(setup), opportunity="Поставка " * 40)
    document = Document(io.BytesIO(build_docx(ctx)))
    assert len(document.core_properties.subject) == 255 and document.core_properties.subject.endswith("…")
    assert any(ctx.opportunity.strip() in p.text for p in document.paragraphs)
