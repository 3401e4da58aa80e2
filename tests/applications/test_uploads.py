"""Attachments: refused while read when too large, and refused when they hide something (polyglots)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from projectoffice.applications import services
from projectoffice.applications.models import Attachment
from projectoffice.applications.templates_loader import load_builtin_templates
from projectoffice.kpis.models import ManualEntry, Method
from projectoffice.opportunities.models import Opportunity
from projectoffice.opportunities.services import opportunity_create
from projectoffice.organisations.models import Organisation
from tests import samples
from tests.api.helpers import assert_error_shape, bearer
from tests.conftest import client_for
from tests.factories import IndicatorFactory, OrganisationFactory, ProjectFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db

BOUNDARY = "----boundary7MA4YWxkTrZu0gW"


class CountingBody:
    """A request body produced as it is read, counting what the server reads: `head`, then `filler`
    bytes up to `size`, then the closing boundary. Nothing of it exists in memory beforehand."""

    def __init__(self, head: bytes, size: int) -> None:
        self.head, self.size, self.read_bytes = head, size, 0
        self.tail = f"\r\n--{BOUNDARY}--\r\n".encode()

    def read(self, size: int = -1) -> bytes:
        left = self.size + len(self.tail) - self.read_bytes
        size = left if size is None or size < 0 else min(size, left)
        chunk = bytearray()
        while len(chunk) < size:
            position = self.read_bytes + len(chunk)
            if position < len(self.head):
                chunk += self.head[position : position + size - len(chunk)]
            elif position < self.size:
                chunk += b"\x00" * min(size - len(chunk), self.size - position)
            else:
                offset = position - self.size
                chunk += self.tail[offset : offset + size - len(chunk)]
        self.read_bytes += len(chunk)
        return bytes(chunk)

    def readline(self, size: int = -1) -> bytes:
        raise AssertionError("a multipart body is read in chunks, never by lines")


def _multipart_head(fields: dict[str, str], file_field: str, filename: str) -> bytes:
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    ]
    parts.append(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    )
    return "".join(parts).encode() + b"%PDF-1.7\n"


def _post_streamed(client: Client, url: str, body: CountingBody, declared: int, **extra: str):  # type: ignore[no-untyped-def]
    """POST `body` declaring `declared` bytes: the server reads only what it chooses to read."""
    return client.generic(
        "POST",
        url,
        b"-",
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        **{"wsgi.input": body, "CONTENT_LENGTH": str(declared)},
        **extra,
    )


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    load_builtin_templates()
    opportunity_create(actor=None, data={
        "kind": "grant", "title": "Гранты на разработку", "external_id": "rfrit", "provider_name": "РФРИТ",
        "status": "published", "amount_max": Decimal(500_000_000),
        "closes_on": timezone.localdate() + dt.timedelta(days=30)})  # fmt: skip
    lead = OrganisationFactory()
    member = member_of(lead)
    project = ProjectFactory(lead_organisation=lead)
    application = services.application_create(
        actor=UserFactory(role="staff"), project=project, opportunity=Opportunity.objects.get(external_id="rfrit")
    )
    charter = application.template.documents.get(name="Устав")
    return {"member": member, "application": application, "charter": charter}


# --- the size limit, enforced while the request is read ------------------------------------------------------


def test_the_api_refuses_an_upload_declared_too_large_before_reading_the_file(client: Client, world) -> None:  # type: ignore[no-untyped-def]
    application = world["application"]
    body = CountingBody(_multipart_head({"document": str(world["charter"].pk)}, "file", "устав.pdf"), 300 * 2**20)
    response = _post_streamed(
        client, f"/api/v1/applications/{application.pk}/attachments", body, 300 * 2**20, **bearer(world["member"])
    )
    assert response.status_code == 413
    error = assert_error_shape(response, "too_large")
    assert error["message"] == "Файл больше допустимых 5 МБ: он не загружен."
    assert body.read_bytes < 256 * 1024  # the form fields and the file's first chunk, not 300 MB
    assert not Attachment.objects.exists()


def test_the_api_stops_reading_an_upload_when_the_bytes_pass_the_limit(client: Client, world, settings) -> None:  # type: ignore[no-untyped-def]
    settings.UPLOAD_MAX_BYTES = 256 * 1024
    size = settings.UPLOAD_MAX_BYTES + 900 * 1024  # declared within the allowance for form fields
    body = CountingBody(_multipart_head({"document": ""}, "file", "устав.pdf"), size)
    response = _post_streamed(
        client,
        f"/api/v1/applications/{world['application'].pk}/attachments",
        body,
        size + 64,
        **bearer(world["member"]),
    )
    assert response.status_code == 413
    assert "больше допустимых 256 КБ" in assert_error_shape(response, "too_large")["message"]
    assert body.read_bytes < settings.UPLOAD_MAX_BYTES + 200 * 1024 < size
    assert not Attachment.objects.exists()


def test_the_attachment_form_shows_the_size_refusal_and_stores_nothing(world) -> None:  # type: ignore[no-untyped-def]
    application, charter = world["application"], world["charter"]
    client = client_for(world["member"])
    body = CountingBody(_multipart_head({}, "file", "устав.pdf"), 300 * 2**20)
    url = reverse("applications:attachment_add", args=[application.pk, charter.pk])
    response = _post_streamed(client, url, body, 300 * 2**20)
    assert response.status_code == 302 and body.read_bytes < 256 * 1024
    page = client.get(response["Location"]).content.decode()
    assert "Файл больше допустимых 5 МБ: он не загружен." in page
    assert not Attachment.objects.exists()


def test_a_file_within_the_limit_is_still_accepted_through_the_api(client: Client, world) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        f"/api/v1/applications/{world['application'].pk}/attachments",
        {"file": _named(samples.pdf(), "устав.pdf"), "document": world["charter"].pk},
        **bearer(world["member"]),
    )
    assert response.status_code == 201, response.content
    assert Attachment.objects.get().detected_type == "pdf"


def test_the_organisation_import_shows_the_size_refusal() -> None:
    client = client_for(UserFactory(role="staff"))
    body = CountingBody(_multipart_head({}, "file", "orgs.csv"), 50 * 2**20)
    response = _post_streamed(client, reverse("organisations:import"), body, 50 * 2**20)
    assert "Файл больше допустимых 5 МБ: он не загружен." in response.content.decode()
    assert "Обязательное поле" not in response.content.decode()
    assert body.read_bytes < 256 * 1024 and not Organisation.objects.exists()


def test_the_kpi_evidence_form_shows_the_size_refusal() -> None:
    indicator = IndicatorFactory(code="manual-x", name="Ручной", method=Method.MANUAL)
    client = client_for(UserFactory(role="staff"))
    head = _multipart_head(
        {"indicator": str(indicator.pk), "value": "5", "year": "2025", "quarter": "1"}, "evidence", "p.pdf"
    )
    body = CountingBody(head, 50 * 2**20)
    response = _post_streamed(client, reverse("kpis:entries"), body, 50 * 2**20)
    page = client.get(response["Location"]).content.decode()
    assert "Файл больше допустимых 5 МБ: он не загружен." in page
    assert body.read_bytes < 256 * 1024 and not ManualEntry.objects.exists()


def _named(data: bytes, name: str):  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_a_polyglot_refused_through_the_api_leaves_nothing_stored(client: Client, world) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        f"/api/v1/applications/{world['application'].pk}/attachments",
        {"file": _named(samples.pdf_with_embedded_zip_holding_an_exe(), "устав.pdf"), "document": ""},
        **bearer(world["member"]),
    )
    assert "вложенные файлы" in str(assert_error_shape(response, "invalid")["fields"])
    assert not Attachment.objects.exists()
