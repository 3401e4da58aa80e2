"""Certificate PDF (reportlab, the DejaVu fonts shipped with the applications app)."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.urls import reverse
from django.utils import timezone
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from projectoffice.applications.documents import _register_fonts
from projectoffice.events.models import Certificate
from projectoffice.lib.links import absolute_url


def certificate_pdf(certificate: Certificate) -> bytes:
    _register_fonts()
    event = certificate.registration.event
    big = ParagraphStyle("big", fontName="DejaVuSans-Bold", fontSize=30, leading=38, alignment=1, spaceAfter=18)
    name = ParagraphStyle("name", fontName="DejaVuSans-Bold", fontSize=22, leading=30, alignment=1, spaceAfter=12)
    body = ParagraphStyle("body", fontName="DejaVuSans", fontSize=13, leading=19, alignment=1)
    small = ParagraphStyle("small", fontName="DejaVuSans", fontSize=9, leading=12, alignment=1)
    verify = absolute_url(reverse("events:certificate", args=[certificate.code]))
    story = [
        Spacer(1, 25 * mm),
        Paragraph("СЕРТИФИКАТ", big),
        Paragraph("подтверждает, что", body),
        Spacer(1, 4 * mm),
        Paragraph(escape(certificate.full_name), name),
        Paragraph(f"прошёл(ла) учебный курс «{escape(event.title)}»", body),
        Paragraph(
            f"{timezone.localtime(event.starts_at):%d.%m.%Y} — {timezone.localtime(event.ends_at):%d.%m.%Y}, "
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
