"""Certificate PDF (reportlab, the fonts of lib.pdf_fonts)."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.urls import reverse
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from projectoffice.events.models import Certificate
from projectoffice.lib import formats, pdf_fonts
from projectoffice.lib.links import absolute_url


def certificate_pdf(certificate: Certificate) -> bytes:
    pdf_fonts.register_fonts()
    event = certificate.registration.event
    big = ParagraphStyle("big", fontName=pdf_fonts.BOLD, fontSize=30, leading=38, alignment=1, spaceAfter=18)
    name = ParagraphStyle("name", fontName=pdf_fonts.BOLD, fontSize=22, leading=30, alignment=1, spaceAfter=12)
    body = ParagraphStyle("body", fontName=pdf_fonts.REGULAR, fontSize=13, leading=19, alignment=1)
    small = ParagraphStyle("small", fontName=pdf_fonts.REGULAR, fontSize=9, leading=12, alignment=1)
    verify = absolute_url(reverse("events:certificate", args=[certificate.code]))
    story = [
        Spacer(1, 25 * mm),
        Paragraph("СЕРТИФИКАТ", big),
        Paragraph("подтверждает, что", body),
        Spacer(1, 4 * mm),
        Paragraph(escape(certificate.full_name), name),
        Paragraph(f"прошёл(ла) учебный курс «{escape(event.title)}»", body),
        Paragraph(
            f"{formats.date(event.starts_at)} — {formats.date(event.ends_at)}, "
            f"посещено занятий: {certificate.sessions_attended}",
            body,
        ),
        Spacer(1, 18 * mm),
        Paragraph("Проектный офис цифрового развития", body),
        Spacer(1, 14 * mm),
        Paragraph(f"Код проверки {certificate.code}: {escape(verify)}", small),
    ]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=landscape(A4), title=f"Сертификат {certificate.code}").build(story)
    return buffer.getvalue()
