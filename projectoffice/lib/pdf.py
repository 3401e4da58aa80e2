"""PDFs for people, set by Typst: tagged, in Russian, with a title, every font embedded.

Why Typst and not reportlab: a PDF the office hands out (an application package, a report to the grantor, a
certificate) must be readable with a screen reader, which needs a tagged PDF (a structure tree of headings,
paragraphs and tables in reading order), the document's language and its title. reportlab writes no structure
tree and fpdf2 only tags images; WeasyPrint tags but needs Pango from the system. The `typst` wheel is the
compiler itself, with nothing to install beside it, and it refuses to write a PDF that breaks the machine-checkable
rules of PDF/UA-1 (no title, untagged content, a font it cannot embed).

Each document is a Typst file beside the module that builds it (`<app>/typst/*.typ`, sharing
`lib/typst/office.typ`: A4, DejaVu Sans from `fonts/`, Russian language, tables with repeated headers). Data goes
in as one JSON string in `sys.inputs`, never as Typst source, so nothing a person typed is read as markup.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import typst

PACKAGE_ROOT = Path(__file__).resolve().parents[1]  # projectoffice/: templates import "/lib/typst/office.typ"
FONTS_DIR = Path(__file__).resolve().parent / "fonts"
logger = logging.getLogger(__name__)


class PdfError(RuntimeError):
    """Typst refused to set a document (a broken template, or a rule of PDF/UA-1 the document would break)."""


def render(template: str, data: dict[str, Any]) -> bytes:
    """The PDF of the Typst file `template` (a path under projectoffice/) with `data` as its input.

    `data` must hold `title` and `author`: they become the document's metadata and the title a reader shows. A
    document that PDF/UA-1 refuses only for what people typed (a character, such as an emoji, that no shipped font
    has) is set again without the standard's check: still tagged, in Russian and titled, with a blank for that
    character, rather than no document at all; the refusal is logged."""
    try:
        return _compile(template, data, accessible=True)
    except PdfError as exc:
        if "PDF/UA-1" not in str(exc):
            raise
        logger.warning("PDF without the PDF/UA-1 check: %s", exc)
        return _compile(template, data, accessible=False)


def _compile(template: str, data: dict[str, Any], *, accessible: bool) -> bytes:
    try:
        content = typst.compile(
            str(PACKAGE_ROOT / template),
            root=str(PACKAGE_ROOT),
            font_paths=[str(FONTS_DIR)],
            ignore_system_fonts=True,
            sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
            pdf_standards=["ua-1"] if accessible else [],
        )
    except Exception as exc:  # typst raises its own error types for source and export errors
        raise PdfError(f"{template}: {exc}") from exc
    assert isinstance(content, bytes)
    return content
