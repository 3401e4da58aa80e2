"""Course certificates: issued once to those who attended enough sessions, verified by their code, read back from the PDF."""

import datetime as dt
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from projectoffice.events import services
from projectoffice.events.certificates import certificate_pdf, course_phrase
from tests import pdfs
from tests.events.factories import EventFactory, RegistrationFactory, SessionFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_course_certificates_and_verification(client: Client) -> None:
    course = EventFactory(
        kind="course", min_sessions_for_certificate=2, starts_at=timezone.now() - dt.timedelta(days=20)
    )
    sessions = [SessionFactory(event=course) for _ in range(3)]
    diligent, absent = RegistrationFactory(event=course), RegistrationFactory(event=course)
    staff = UserFactory(role="staff")
    for session in sessions[:2]:
        services.check_in(actor=staff, event=course, code=diligent.ticket_code, session=session)
    services.check_in(actor=staff, event=course, code=absent.ticket_code, session=sessions[0])
    certificates = services.issue_certificates(event=course)
    assert [c.registration for c in certificates] == [diligent]
    assert services.issue_certificates(event=course)[0].pk == certificates[0].pk
    page = client.get(reverse("events:certificate", args=[certificates[0].code]))
    assert "Сертификат действителен" in page.content.decode()
    assert client.get(reverse("events:certificate", args=["NOPE"])).status_code == 404
    pdf = client.get(reverse("events:certificate_pdf", args=[certificates[0].code])).content

    text = PdfReader(BytesIO(pdf)).pages[0].extract_text()
    assert "СЕРТИФИКАТ" in text and str(diligent.full_name) in text and str(certificates[0].code) in text
    pdfs.assert_accessible(pdf, f"Сертификат {certificates[0].code}: {diligent.full_name}", {"H1", "P"})


@pytest.mark.parametrize(
    ("title", "phrase"),
    [
        (
            "Курс «Инженерия данных для промышленности» (демо)",
            "учебный курс «Инженерия данных для промышленности» (демо)",
        ),
        ("Учебный курс «Python»", "учебный курс «Python»"),
        ("Анализ «больших» данных", "учебный курс «Анализ „больших“ данных»"),
        ('Анализ "больших" данных', "учебный курс «Анализ „больших“ данных»"),
        ("Основы ML", "учебный курс «Основы ML»"),
    ],
)
def test_the_certificate_names_the_course_once_with_russian_nested_quotes(title: str, phrase: str) -> None:
    assert course_phrase(title) == phrase


def test_the_demo_course_certificate_reads_without_doubled_words(client: Client) -> None:
    course = EventFactory(
        kind="course", title="Курс «Инженерия данных для промышленности» (демо)", min_sessions_for_certificate=1,
        starts_at=timezone.now() - dt.timedelta(days=20),
    )  # fmt: skip
    registration = RegistrationFactory(event=course)
    services.check_in(actor=UserFactory(role="staff"), event=course, code=registration.ticket_code,
                      session=SessionFactory(event=course))  # fmt: skip
    (certificate,) = services.issue_certificates(event=course)
    text = PdfReader(BytesIO(certificate_pdf(certificate))).pages[0].extract_text().replace("\n", " ")
    assert "учебный курс «Инженерия данных для промышленности» (демо)" in text
    assert "курс «Курс" not in text and "»»" not in text
