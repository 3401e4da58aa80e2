"""What every PDF the platform hands out must be, checked with pikepdf and pdfua: tagged (a structure tree in
reading order), Russian, titled (shown as the window title), every font embedded, no PDF/UA-1 finding."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator

import pdfua
import pikepdf


def structure(pdf: pikepdf.Pdf) -> list[str]:
    """The structure types of the tagged content, depth first (the reading order): Document, H1, P, Table, …"""

    def walk(element: pikepdf.Object) -> Iterator[str]:
        if isinstance(element, pikepdf.Dictionary):
            if "/S" in element:
                yield str(element.S)[1:]
            kids = element.get("/K")
            if isinstance(kids, pikepdf.Array):
                for kid in kids:
                    yield from walk(kid)
            elif kids is not None:
                yield from walk(kids)

    return list(walk(pdf.Root.StructTreeRoot))


def unembedded_fonts(pdf: pikepdf.Pdf) -> list[str]:
    """Names of the fonts used on any page without a font file in the PDF."""
    missing = []
    for page in pdf.pages:
        for font in (page.Resources.get("/Font") or {}).values():
            fonts = font.DescendantFonts if "/DescendantFonts" in font else [font]
            for each in fonts:
                descriptor = each.get("/FontDescriptor")
                if descriptor is None or not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    missing.append(str(each.get("/BaseFont")))
    return missing


def pdfua_findings(content: bytes) -> list[str]:
    """The PDF/UA-1 findings of the pdfua checker (the machine-checkable rules), as «rule: message»."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(content)
        handle.flush()
        report = pdfua.validate(handle.name)
    return [f"{finding.rule_id}: {finding.message}" for finding in report.findings]


def assert_accessible(content: bytes, title: str, tags: set[str], lang: str = "ru") -> list[str]:
    """Fail unless the PDF is tagged with at least `tags`, in `lang` (Russian unless said), titled `title`, with its fonts embedded and
    no PDF/UA-1 finding; return its structure types in reading order."""
    pdf = pikepdf.open(io.BytesIO(content))
    assert pdf.Root.MarkInfo.Marked is True
    types = structure(pdf)
    assert tags <= set(types), (tags - set(types), types)
    assert str(pdf.Root.Lang).split("-")[0] == lang
    assert str(pdf.docinfo.Title) == title
    assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
    assert unembedded_fonts(pdf) == []
    assert pdfua_findings(content) == []
    return types
