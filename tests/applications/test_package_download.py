"""The document package is built by one function: the page and the API hand out the same files."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from projectoffice.applications.documents import PACKAGE_TYPES, build_package
from tests.conftest import client_for
from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db

MAGIC = {"pdf": b"%PDF", "docx": b"PK", "zip": b"PK"}


def test_the_page_and_the_api_hand_out_each_kind_of_package_alike() -> None:
    application = ApplicationFactory()
    staff = UserFactory(role="staff")
    page = client_for(staff)
    api = APIClient()
    api.force_authenticate(staff)
    for kind, content_type in PACKAGE_TYPES.items():
        package = build_package(application, kind)
        expected = f'attachment; filename="application-{application.pk}.{kind}"'
        assert package.content.startswith(MAGIC[kind]) and package.content_type == content_type
        from_page = page.get(reverse("applications:export", args=[application.pk, kind]))
        from_api = api.get(f"/api/v1/applications/{application.pk}/package", {"kind": kind})
        for response in (from_page, from_api):
            assert response.status_code == 200 and response["Content-Type"] == content_type
            assert response["Content-Disposition"] == expected and response.content.startswith(MAGIC[kind])


def test_an_unknown_kind_is_refused_by_both() -> None:
    application = ApplicationFactory()
    staff = UserFactory(role="staff")
    assert client_for(staff).get(reverse("applications:export", args=[application.pk, "exe"])).status_code == 404
    api = APIClient()
    api.force_authenticate(staff)
    refused = api.get(f"/api/v1/applications/{application.pk}/package", {"kind": "exe"})
    assert refused.status_code == 400 and refused.json()["error"]["fields"]["kind"] == ["docx, pdf или zip."]
    with pytest.raises(ValueError):
        build_package(application, "exe")
