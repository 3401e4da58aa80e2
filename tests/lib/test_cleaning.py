"""Invisible characters (bidi overrides, zero-width spaces, controls) never reach stored text."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models

from projectoffice.events.services import registration_create
from projectoffice.lib.cleaning import CleanTextMixin, strip_invisible
from projectoffice.projects.services import staff_note_add
from tests.conftest import client_for
from tests.events.factories import EventFactory
from tests.factories import MembershipFactory, ProjectFactory, UserFactory

# Reference data loaded from official files and the platform's own log: never typed by a person.
NOT_TYPED = {"AuditEvent", "OkvedCode", "OkpdCode", "Region", "SearchEntry"}  # SearchEntry: lemmas the platform wrote
HOSTILE = "Отчёт\u202eexe.txt\u200b\u2066\ufeff\x00"


def test_invisible_and_control_characters_are_stripped_but_line_breaks_stay() -> None:
    assert strip_invisible(HOSTILE) == "Отчётexe.txt"
    assert strip_invisible("строка 1\nстрока 2\tи ещё") == "строка 1\nстрока 2\tи ещё"


def test_every_model_with_text_a_person_types_strips_invisible_characters() -> None:
    for model in apps.get_models():
        if not model.__module__.startswith("projectoffice.") or model.__name__ in NOT_TYPED or model._meta.proxy:
            continue
        has_text = any(
            isinstance(field, models.CharField | models.TextField) and field.editable
            for field in model._meta.concrete_fields
        )
        if has_text:
            assert issubclass(model, CleanTextMixin), f"{model.__name__} keeps invisible characters"


@pytest.mark.django_db
def test_a_project_title_with_a_right_to_left_override_is_stored_without_it() -> None:
    membership = MembershipFactory()
    project = ProjectFactory(lead_organisation=membership.organisation)
    response = client_for(membership.user).patch(
        f"/api/v1/projects/{project.pk}", {"title": "Проект " + HOSTILE.rstrip("\x00")}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    project.refresh_from_db()
    assert project.title == "Проект Отчётexe.txt"


@pytest.mark.django_db
def test_a_registration_name_and_a_staff_note_lose_invisible_characters() -> None:
    registration = registration_create(
        event=EventFactory(), email="a@example.invalid", full_name="Иван\u200b Петров\u202e"
    )
    assert registration.full_name == "Иван Петров"
    note = staff_note_add(actor=UserFactory(role="staff"), project=ProjectFactory(), text="\u2067заметка\u2069")
    assert note.text == "заметка"
