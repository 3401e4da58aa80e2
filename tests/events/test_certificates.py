"""Course certificates: issued once to those who attended enough sessions, verified by their code, read back from the PDF."""

import datetime as dt
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from projectoffice.events import services
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

    from pypdf import PdfReader

    text = PdfReader(BytesIO(pdf)).pages[0].extract_text()
    assert "СЕРТИФИКАТ" in text and str(diligent.full_name) in text and str(certificates[0].code) in text
