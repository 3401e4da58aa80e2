"""Attachments are accepted by what their bytes are, and refused when they hide something (polyglots).

Each rule of lib.uploads has a case here: PDF structure and active content, the ZIP framing of DOCX/XLSX, every
rule about a package member (its name, its first bytes, the content types, the relationships, nested
documents), and what is appended to or hidden in an image.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from projectoffice.lib.uploads import validate_upload
from tests import samples


def _content_types_with(extra: bytes) -> bytes:
    package = samples.docx()
    types = zipfile.ZipFile(io.BytesIO(package)).read("[Content_Types].xml")
    return samples.office_with(package, {}, types.replace(b"</Types>", extra + b"</Types>"))


def _nested(depth: int) -> bytes:
    """A DOCX holding a DOCX holding ... `depth` levels of embedded documents."""
    package = samples.docx()
    for _ in range(depth):
        package = samples.office_with(samples.docx(), {"word/embeddings/inner.docx": package})
    return package


@pytest.mark.parametrize(
    ("make", "name"),
    [
        (samples.pdf, "устав.pdf"),
        (samples.docx, "записка.docx"),
        (samples.xlsx, "баланс.xlsx"),
        (samples.png, "логотип.png"),
        (samples.jpeg, "фото.jpg"),
        (lambda: samples.pdf() + b"\r\n\x00\n", "устав.pdf"),  # whitespace after %%EOF is allowed
        (lambda: _nested(2), "записка.docx"),  # charts' data: documents embedded two levels deep
        (lambda: samples.office_with(samples.docx(), {"word/media/image1.png": samples.png()}), "записка.docx"),
    ],
)
def test_clean_files_are_accepted(make, name: str) -> None:  # type: ignore[no-untyped-def]
    assert validate_upload(make(), name, None) == name.rsplit(".", 1)[-1]


@pytest.mark.parametrize(
    ("make", "name", "message"),
    [
        (lambda: samples.HTML + samples.pdf(), "устав.pdf", "перед ним дописаны другие данные"),
        (lambda: b"\x00" * 2000 + samples.pdf(), "устав.pdf", "неизвестный формат"),
        (lambda: samples.pdf() + samples.HTML, "устав.pdf", "после конца PDF (%%EOF) дописаны другие данные"),
        (lambda: samples.pdf() + samples.EXE, "устав.pdf", "после конца PDF (%%EOF) дописаны другие данные"),
        (lambda: samples.pdf() + samples.EXE + b"\n%%EOF\n", "устав.pdf", "PDF не читается"),
        (lambda: samples.pdf_with_unreferenced_stream(samples.EXE), "устав.pdf", "внутри PDF спрятан исполняемый файл"),
        (lambda: samples.pdf_with_unreferenced_stream(samples.HTML), "устав.pdf", "внутри PDF спрятана HTML-страница"),
        (
            lambda: samples.pdf_with_unreferenced_stream(samples.zip_of({"a.exe": samples.EXE})),
            "устав.pdf",
            "внутри PDF спрятан ZIP-архив",
        ),
        (samples.pdf_with_embedded_zip_holding_an_exe, "устав.pdf", "в PDF есть вложенные файлы"),
        (samples.pdf_with_javascript, "устав.pdf", "в PDF есть JavaScript"),
        (samples.pdf_with_launch_action, "устав.pdf", "в PDF есть запуск программы (Launch)"),
        (lambda: b"%PDF-1.7\n" + b"\x00garbage" * 50 + b"\n%%EOF\n", "устав.pdf", "PDF не читается"),
        (lambda: samples.pdf()[:-200], "устав.pdf", "нет метки конца файла"),
        (samples.docx_with_macros, "записка.docx", "макросы (VBA)"),
        (samples.xlsx_with_embedded_exe, "баланс.xlsx", "исполняемый файл «xl/media/setup.exe»"),
        (samples.docx_with_ole_object, "записка.docx", "встроенные объекты (OLE)"),
        (samples.docx_with_remote_template, "записка.docx", "шаблон или объект из сети"),
        (lambda: samples.docx() + samples.EXE, "записка.docx", "после документа дописаны другие данные"),
        (lambda: samples.docx() + samples.docx(), "записка.docx", "вклеен другой архив"),
        (
            lambda: samples.office_with(samples.xlsx(), {"xl/embeddings/inner.xlsx": samples.docx_with_macros()}),
            "баланс.xlsx",
            "макросы (VBA)",
        ),
        (
            lambda: samples.office_with(samples.docx(), {"word/activeX/activeX1.xml": b"<ax/>"}),
            "записка.docx",
            "элементы ActiveX",
        ),
        (
            lambda: samples.office_with(samples.docx(), {"word/media/image1.png": samples.EXE}),
            "записка.docx",
            "исполняемый файл «word/media/image1.png»",
        ),
        (
            lambda: _content_types_with(b'<Default Extension="bin" ContentType="application/vnd.ms-office.activeX"/>'),
            "записка.docx",
            "встроенные объекты (OLE или ActiveX)",
        ),
        (
            lambda: _content_types_with(b'<Override PartName="/word/vbaProject.xml" ContentType="x/vbaProject"/>'),
            "записка.docx",
            "макросы (VBA)",
        ),
        (lambda: _nested(3), "записка.docx", "слишком глубоко вложены"),
        (lambda: samples.png() + samples.zip_of({"run.exe": samples.EXE}), "логотип.png", "дописан архив"),
        (lambda: samples.jpeg() + samples.EXE, "фото.jpg", "после изображения дописан исполняемый файл"),
        (lambda: samples.jpeg_with_comment(samples.EXE), "фото.jpg", "внутри изображения спрятан исполняемый файл"),
        (lambda: samples.jpeg() + samples.HTML, "фото.jpg", "HTML-страница"),
        (lambda: samples.png() + samples.pdf(), "логотип.png", "после изображения дописан PDF"),
    ],
)
def test_polyglots_and_hidden_content_are_refused(make, name: str, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        validate_upload(make(), name, None)
