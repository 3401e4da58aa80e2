"""Each PDF leaving the data room carries the viewer's name and the date on every page (a Typst stamp laid over the
page with pypdf), so a copy that travels further says whose it was."""

from __future__ import annotations

import io
from functools import lru_cache

from pypdf import PdfReader, PdfWriter

from projectoffice.lib import pdf


@lru_cache(maxsize=32)
def _stamp(line: str, width: float, height: float) -> bytes:
    data = {"title": "Водяной знак", "author": "Проектный офис", "line": line, "width": width, "height": height}
    return pdf.render("materials/typst/stamp.typ", data)


def watermark(content: bytes, line: str) -> bytes:
    """`content` with `line` stamped on each page; sizes of pages are kept."""
    reader = PdfReader(io.BytesIO(content))
    writer = PdfWriter(clone_from=reader)
    for page in writer.pages:
        box = page.mediabox
        width, height = round(float(box.width), 2), round(float(box.height), 2)
        stamp = PdfReader(io.BytesIO(_stamp(line, width, height))).pages[0]
        page.merge_translated_page(stamp, float(box.left), float(box.bottom), over=True)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
