from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from projectoffice.accounts.models import Role
from projectoffice.materials.models import Download, Invitation, NdaAcceptance, RoomDocument
from projectoffice.materials.services import (
    invitation_create,
    invitation_revoke,
    nda_accept,
    nda_publish,
    room_document_add,
    room_open,
)
from tests import samples
from tests.conftest import client_for
from tests.factories import ProjectFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db
NDA = "Стороны обязуются не раскрывать сведения, полученные в комнате данных."


@pytest.fixture
def staff():
    return UserFactory(role=Role.STAFF)


@pytest.fixture
def room(staff):
    nda_publish(actor=staff, text=NDA)
    project = ProjectFactory(title="Цифровой двойник")
    room = room_open(actor=staff, project=project)
    room_document_add(actor=staff, room=room, title="Финансовая модель", filename="model.pdf",
                      data=samples.pdf("Финансовая модель проекта"))  # fmt: skip
    return room


@pytest.fixture
def investor():
    return UserFactory(username="investor", email="ivan@fund.example", role=Role.COMMUNITY, first_name="Иван",
                       last_name="Инвесторов")  # fmt: skip


def _invite(staff, room, email="ivan@fund.example", days=10):
    return invitation_create(actor=staff, room=room, email=email, expires_on=timezone.localdate() + dt.timedelta(days))


def test_an_invitation_is_sent_by_e_mail_with_the_room_address(staff, room, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(staff, room, email="Ivan@Fund.Example ")
    assert Invitation.objects.get().email == "ivan@fund.example"
    assert mail.outbox[0].to == ["ivan@fund.example"]
    assert f"/materials/rooms/{room.pk}/" in mail.outbox[0].body


@pytest.mark.parametrize(("email", "days", "message"), [
    ("not-an-address", 5, "Введите адрес"), ("a@b.example", -1, "сегодня или позже"), ("a@b.example", 400, "Не дольше"),
])  # fmt: skip
def test_a_bad_invitation_is_refused_and_nothing_is_stored(staff, room, email, days, message):
    with pytest.raises(ValidationError, match=message):
        _invite(staff, room, email=email, days=days)
    assert not Invitation.objects.exists()


def test_the_room_opens_only_after_the_nda_is_accepted_and_records_its_exact_text(staff, room, investor):
    _invite(staff, room)
    client = client_for(investor)
    url = reverse("materials:room", args=[room.pk])
    page = client.get(url).content.decode()
    assert NDA in page and "Финансовая модель" not in page
    document = room.documents.get()
    download = reverse("materials:download", args=[room.pk, document.pk])
    assert client.get(download).status_code == 403
    assert not Download.objects.exists()

    response = client.post(reverse("materials:nda_accept", args=[room.pk]), {"nda_version": 1, "agree": "on"},
                           REMOTE_ADDR="203.0.113.7")  # fmt: skip
    assert response.status_code == 302
    acceptance = NdaAcceptance.objects.get()
    assert (acceptance.user, acceptance.nda_version, acceptance.nda_text, acceptance.ip) == (
        investor,
        1,
        NDA,
        "203.0.113.7",
    )
    assert acceptance.accepted_at <= timezone.now()
    assert "Финансовая модель" in client.get(url).content.decode()


def test_a_new_nda_version_must_be_accepted_again_and_a_stale_version_is_refused(staff, room, investor):
    invitation = _invite(staff, room)
    nda_accept(actor=investor, invitation=invitation, nda_version=1, ip=None)
    nda_publish(actor=staff, text=NDA + " Срок — пять лет.")
    with pytest.raises(ValidationError, match="изменился"):
        nda_accept(actor=investor, invitation=invitation, nda_version=1, ip=None)
    assert "Срок — пять лет." in client_for(investor).get(reverse("materials:room", args=[room.pk])).content.decode()


def test_every_download_is_logged_and_the_pdf_carries_the_viewer_name(staff, room, investor):
    invitation = _invite(staff, room)
    nda_accept(actor=investor, invitation=invitation, nda_version=1, ip=None)
    document = room.documents.get()
    client = client_for(investor)
    url = reverse("materials:download", args=[room.pk, document.pk])
    for _ in range(2):
        response = client.get(url, REMOTE_ADDR="198.51.100.4")
        assert response.status_code == 200
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Иван Инвесторов" in text
    assert timezone.localdate().strftime("%d.%m.%Y") in text
    assert len(PdfReader(io.BytesIO(response.content)).pages) == len(PdfReader(document.file.path).pages)
    log = list(Download.objects.order_by("at"))
    assert [(d.user, d.document, d.ip, d.watermarked, d.invitation) for d in log] == [
        (investor, document, "198.51.100.4", True, invitation)
    ] * 2


def test_an_expired_invitation_is_refused(staff, room, investor):
    invitation = _invite(staff, room)
    nda_accept(actor=investor, invitation=invitation, nda_version=1, ip=None)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    client = client_for(investor)
    response = client.get(reverse("materials:room", args=[room.pk]))
    assert response.status_code == 403
    assert "Срок приглашения истёк" in response.content.decode()
    assert client.get(reverse("materials:download", args=[room.pk, room.documents.get().pk])).status_code == 403
    assert not Download.objects.exists()
    with pytest.raises(PermissionDenied, match="истёк"):
        nda_accept(actor=investor, invitation=invitation, nda_version=1, ip=None)


def test_a_revoked_invitation_is_refused(staff, room, investor):
    invitation = _invite(staff, room)
    nda_accept(actor=investor, invitation=invitation, nda_version=1, ip=None)
    invitation_revoke(actor=staff, invitation=invitation)
    response = client_for(investor).get(reverse("materials:room", args=[room.pk]))
    assert response.status_code == 403 and "отозвано" in response.content.decode()


def test_a_representative_sees_only_the_rooms_they_were_invited_to(staff, room, investor):
    other = room_open(actor=staff, project=ProjectFactory(title="Чужой проект"))
    _invite(staff, room)
    _invite(staff, other, email="someone@else.example")
    client = client_for(investor)
    listing = client.get(reverse("materials:my_rooms")).content.decode()
    assert "Цифровой двойник" in listing and "Чужой проект" not in listing
    assert client.get(reverse("materials:room", args=[other.pk])).status_code == 404
    assert client.get(reverse("materials:room_manage", args=[other.project.pk])).status_code == 404
    assert client.get(reverse("materials:project", args=[room.project.pk])).status_code == 404


def test_staff_and_the_lead_organisation_manage_the_room_and_others_do_not(staff, room, investor):
    lead = member_of(room.project.lead_organisation)
    outsider = member_of(ProjectFactory().lead_organisation)
    url = reverse("materials:room_manage", args=[room.project.pk])
    assert client_for(staff).get(url).status_code == 200
    assert client_for(lead).get(url).status_code == 200
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(UserFactory(role=Role.GRANTOR)).get(url).status_code == 403
    with pytest.raises(PermissionDenied):
        _invite(outsider, room)
    with pytest.raises(PermissionDenied):
        room_document_add(actor=investor, room=room, title="x", filename="x.pdf", data=samples.pdf())


def test_the_lead_organisation_invites_and_uploads_through_the_page(room, django_capture_on_commit_callbacks):
    lead = member_of(room.project.lead_organisation)
    client = client_for(lead)
    url = reverse("materials:room_manage", args=[room.project.pk])
    expires = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            client.post(url, {"action": "invite", "email": "rep@corp.example", "expires_on": expires}).status_code
            == 302
        )
    assert Invitation.objects.get().invited_by == lead
    upload = io.BytesIO(samples.docx("Презентация"))
    upload.name = "deck.docx"
    assert client.post(url, {"action": "upload", "title": "Презентация", "file": upload}).status_code == 302
    assert RoomDocument.objects.filter(title="Презентация", detected_type="docx").exists()


def test_a_file_that_is_not_what_it_claims_is_refused_from_the_room(staff, room):
    with pytest.raises(ValidationError):
        room_document_add(actor=staff, room=room, title="x", filename="model.pdf", data=samples.docx())
    assert room.documents.count() == 1


def test_the_room_pages_keep_a_constant_number_of_queries(staff, room, django_assert_max_num_queries):
    for n in range(5):
        _invite(staff, room, email=f"rep{n}@fund.example")
    client = client_for(staff)
    url = reverse("materials:room_manage", args=[room.project.pk])
    client.get(url)
    with django_assert_max_num_queries(16) as few:
        client.get(url)
    for n in range(10):
        _invite(staff, room, email=f"more{n}@fund.example")
        room_document_add(actor=staff, room=room, title=f"Док {n}", filename=f"d{n}.pdf", data=samples.pdf())
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def _deal(staff, project, email="anna@corp.example"):
    from projectoffice.flagships.services import deal_create

    return deal_create(actor=staff, project=project, data={"funder_name": "ПАО «Корпорация»",
                       "funder_class": "large_company", "representative_email": email})  # fmt: skip


def test_an_invitation_through_the_page_is_tied_to_its_deal_and_takes_the_representative_address(staff, room):
    deal = _deal(staff, room.project)
    expires = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    url = reverse("materials:room_manage", args=[room.project.pk])
    assert client_for(staff).post(url, {"action": "invite", "deal": deal.pk, "expires_on": expires}).status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.deal, invitation.email) == (deal, "anna@corp.example")
    assert list(deal.room_invitations.all()) == [invitation]


def test_a_deal_of_another_project_is_refused(staff, room):
    deal = _deal(staff, ProjectFactory())
    with pytest.raises(ValidationError, match="другого проекта"):
        invitation_create(actor=staff, room=room, email="a@b.example", expires_on=timezone.localdate(), deal=deal)
    response = client_for(staff).post(reverse("materials:room_manage", args=[room.project.pk]),
                                      {"action": "invite", "deal": deal.pk, "expires_on": "2030-01-01"})  # fmt: skip
    assert response.status_code == 200
    assert not Invitation.objects.exists()


def test_the_menu_links_the_data_rooms_only_for_a_holder_of_a_live_invitation(staff, room, investor):
    rooms = f'href="{reverse("materials:my_rooms")}"'
    assert rooms not in client_for(investor).get("/").content.decode()
    invitation = _invite(staff, room)
    assert rooms in client_for(investor).get("/").content.decode()
    assert rooms not in client_for(UserFactory(role=Role.COMMUNITY, email="other@x.example")).get("/").content.decode()
    invitation_revoke(actor=staff, invitation=invitation)
    assert rooms not in client_for(investor).get("/").content.decode()


def test_every_page_links_the_public_showcase_for_anonymous_visitors_and_users(investor):
    showcase = f'href="{reverse("showcase:list")}"'
    assert showcase in Client().get(reverse("opportunities:list")).content.decode()
    assert showcase in client_for(investor).get("/").content.decode()
