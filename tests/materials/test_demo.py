from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client
from pypdf import PdfReader

from projectoffice.accounts.models import User
from projectoffice.classifiers.loaders import load_all
from projectoffice.demo.materials import load_materials
from projectoffice.materials.funder_classes import FunderClass
from projectoffice.materials.models import DataRoom, Download, Section
from projectoffice.materials.readiness import materials_complete, teaser
from projectoffice.materials.selectors import overview
from projectoffice.projects.models import Project

pytestmark = pytest.mark.django_db


def test_the_demo_has_bilingual_materials_one_outdated_translation_and_two_data_rooms_a_representative_opens() -> None:
    load_all()
    call_command("load_demo", allow_non_embedded=True)
    projects = Project.objects.filter(material_sections__isnull=False).distinct()
    assert projects.count() >= 5
    assert sum(overview(p)["outdated_count"] for p in projects) == 1
    video = Project.objects.get(title="Видеоаналитика дефектов на конвейере")
    assert teaser(video, "en") is not None
    assert materials_complete(video, FunderClass.LARGE_COMPANY) == (True, [])
    iot = Project.objects.get(title="Платформа промышленного IoT для станочного парка")
    assert materials_complete(iot, FunderClass.FOREIGN_BUSINESS) == (True, [])
    assert materials_complete(iot, FunderClass.FEDERAL_INSTITUTE) == (True, [])
    rooms = list(DataRoom.objects.all())
    assert len(rooms) == 2 and all(r.documents.count() == 2 and r.invitations.count() == 1 for r in rooms)

    client = Client()
    client.post("/accounts/login/", {"username": "investor", "password": "demo-password"})
    room = rooms[0]
    assert "Соглашение о неразглашении" in client.get(f"/materials/rooms/{room.pk}/").content.decode()
    client.post(f"/materials/rooms/{room.pk}/nda/", {"nda_version": 1, "agree": "on"})
    memo = room.documents.get(detected_type="pdf")
    response = client.get(f"/materials/rooms/{room.pk}/documents/{memo.pk}/")
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Ирина Инвесторова" in text and "Инвестиционный меморандум" in text
    assert Download.objects.get().user == User.objects.get(username="investor")

    sections = Section.objects.count()
    assert load_materials(User.objects.get(username="staff")) == 0
    assert Section.objects.count() == sections
