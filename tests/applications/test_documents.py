"""The application package: DOCX and PDF read back with their text and tables, the ZIP with the documents."""

import io
import zipfile
from decimal import Decimal

import pytest
from docx import Document

from projectoffice.applications import services
from projectoffice.applications.documents import build_docx, build_pdf, build_zip, package_context
from tests import samples
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
