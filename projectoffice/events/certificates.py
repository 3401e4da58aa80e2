"""Certificate PDF (Typst through lib.pdf: tagged, Russian, the fonts embedded)."""

from __future__ import annotations

import re

from django.urls import reverse

from projectoffice.events.models import Certificate
from projectoffice.lib import formats, pdf
from projectoffice.lib.links import absolute_url

# A course's title that already names it a course: «Курс «Инженерия данных» (демо)».
NAMED_COURSE = re.compile(r"(?:учебный\s+)?курс\s+(«.+)", re.IGNORECASE | re.DOTALL)


def course_phrase(title: str) -> str:
    """What was completed, without saying «курс» twice or nesting quotes of one kind: a title «Курс «Инженерия
    данных» (демо)» reads «учебный курс «Инженерия данных» (демо)», another title is quoted whole
    («учебный курс «Анализ „больших“ данных»»)."""
    named = NAMED_COURSE.fullmatch(title.strip())
    if named:
        return f"учебный курс {named.group(1)}"
    return f"учебный курс {formats.quoted(title)}"


def certificate_pdf(certificate: Certificate) -> bytes:
    event = certificate.registration.event
    verify = absolute_url(reverse("events:certificate", args=[certificate.code]))
    return pdf.render(
        "events/typst/certificate.typ",
        {
            "title": f"Сертификат {certificate.code}: {certificate.full_name}",
            "author": "Проектный офис цифрового развития",
            "name": certificate.full_name,
            "course": f"прошёл(ла) {course_phrase(event.title)}",
            "dates": f"{formats.date(event.starts_at)} — {formats.date(event.ends_at)}, "
            f"посещено занятий: {certificate.sessions_attended}",
            "verification": f"Код проверки {certificate.code}: {verify}",
        },
    )
