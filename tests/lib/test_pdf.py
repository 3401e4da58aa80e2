"""lib.pdf: what people typed is text, never Typst markup; a character no shipped font has still gives a PDF."""

from __future__ import annotations

import io

import pikepdf
import pytest
from pypdf import PdfReader

from projectoffice.lib import pdf
from tests import pdfs

CERTIFICATE = "events/typst/certificate.typ"


def _data(name: str) -> dict[str, str]:
    return {"title": "Сертификат", "author": "Офис", "name": name, "course": "курс", "dates": "", "verification": ""}


def test_markup_in_peoples_text_is_printed_as_it_was_typed() -> None:
    typed = '#set page(width: 1mm) = Заголовок *жирный* $x$ <метка> @ссылка #panic("нет")'
    content = pdf.render(CERTIFICATE, _data(typed))
    text = " ".join(PdfReader(io.BytesIO(content)).pages[0].extract_text().split())  # the line may wrap
    assert typed in text
    pdfs.assert_accessible(content, "Сертификат", {"H1", "P"})


def test_a_character_no_font_has_gives_a_tagged_pdf_without_the_pdfua_check(caplog: pytest.LogCaptureFixture) -> None:
    content = pdf.render(CERTIFICATE, _data("Иван 🚀 Петров"))
    document = pikepdf.open(io.BytesIO(content))
    assert document.Root.MarkInfo.Marked is True and str(document.Root.Lang).startswith("ru")
    assert str(document.docinfo.Title) == "Сертификат" and pdfs.unembedded_fonts(document) == []
    assert "PDF/UA-1" in caplog.text


def test_a_broken_template_is_an_error_not_a_blank_document() -> None:
    with pytest.raises(pdf.PdfError):
        pdf.render(CERTIFICATE, {"title": "без автора"})
