"""Labels a person reads are Russian: every model and field the admin, forms and the audit log show by name, the
rows Django makes for many-to-many fields, and the errors about a choice, which never echo an internal code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from projectoffice.audit.models import ACTION_LABELS
from projectoffice.lib.uploads import validate_upload
from projectoffice.organisations.models import Organisation
from projectoffice.projects.models import Project
from tests.conftest import client_for
from tests.factories import OrganisationFactory, ProjectFactory, SubscriptionFactory, TagFactory, UserFactory

CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)


def _our_models() -> list[type]:
    return [m for m in apps.get_models() if m.__module__.startswith("projectoffice.")]


def test_every_model_and_field_has_a_russian_name() -> None:
    missing = []
    for model in _our_models():
        options = model._meta
        if not (CYRILLIC.search(str(options.verbose_name)) and CYRILLIC.search(str(options.verbose_name_plural))):
            missing.append(f"{model.__name__}: verbose_name / verbose_name_plural")
        for field in [] if options.proxy else options.get_fields():  # a proxy's fields are its model's
            if (field.auto_created and not field.concrete) or getattr(field, "primary_key", False):
                continue
            if not CYRILLIC.search(str(getattr(field, "verbose_name", ""))):
                missing.append(f"{model.__name__}.{field.name}")
    assert not missing, "name these in Russian: " + ", ".join(missing)


@pytest.mark.django_db
def test_rows_linking_many_to_many_values_have_russian_names() -> None:
    organisation = OrganisationFactory()
    organisation.technologies.add(TagFactory(name="Python"))
    link = Organisation.technologies.through.objects.get()
    assert str(link._meta.verbose_name) == "связь «технологии»"
    assert str(link) == f"{organisation} — Python"
    for model in _our_models():
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            assert CYRILLIC.search(str(through._meta.verbose_name)), through


@pytest.mark.parametrize(
    "field",
    [
        forms.ChoiceField(choices=[("idea", "Идея")]),
        forms.TypedChoiceField(choices=[("idea", "Идея")]),
        forms.MultipleChoiceField(choices=[("idea", "Идея")]),
    ],
)
def test_a_choice_outside_the_list_is_refused_without_echoing_the_code(field: forms.Field) -> None:
    with pytest.raises(ValidationError) as refused:
        field.clean(["declined"] if isinstance(field, forms.MultipleChoiceField) else "declined")
    assert "declined" not in " ".join(refused.value.messages)
    assert "выберите один из предложенных" in " ".join(refused.value.messages)


def test_a_model_field_with_choices_refuses_a_code_without_echoing_it() -> None:
    with pytest.raises(ValidationError) as refused:
        Project._meta.get_field("stage").clean("declined-ish", None)
    assert "declined-ish" not in " ".join(refused.value.messages)


@pytest.mark.django_db
def test_a_move_to_a_stage_not_open_from_here_names_the_stage_not_its_code(staff_client: Client) -> None:
    project = ProjectFactory()
    response = staff_client.post(
        reverse("projects:move", args=[project.pk]),
        {"to_stage": "completed", "expected_stage": "idea", "reason": "x"},
        follow=True,
    )
    (message,) = [str(m) for m in response.context["messages"]]
    assert "«Идея»" in message and "completed" not in message


def test_an_unrecognised_file_is_described_in_russian() -> None:
    with pytest.raises(ValidationError) as refused:
        validate_upload(b"\x00\x01 random bytes", "устав.pdf", ["pdf"])
    (message,) = refused.value.messages
    assert "неизвестный формат" in message and "unknown" not in message


@pytest.mark.django_db
def test_a_subscription_shows_the_kinds_of_opportunities_by_their_names() -> None:
    user = UserFactory(role="staff")
    SubscriptionFactory(user=user, query="видеоаналитика", kinds=["grant", "tender"])
    page = client_for(user).get(reverse("matching:subscriptions")).content.decode()
    assert "активна · Грант, Закупка (44-ФЗ, 223-ФЗ)" in page and ", tender" not in page


def test_every_audited_action_has_a_russian_name() -> None:
    """Dotted action codes written anywhere in the code have a label in the log (verbs built at run time aside)."""
    root = Path(__file__).resolve().parents[2] / "projectoffice"
    codes = {m for p in root.rglob("*.py") for m in re.findall(r'action="([a-z_]+\.[a-z_]+)"', p.read_text())}
    assert codes and not [c for c in codes if c.rsplit(".", 1)[1] not in ACTION_LABELS]
    assert {"created", "updated", "product_added", "contact_added"} <= set(ACTION_LABELS)  # the built ones


def test_the_compiled_messages_match_their_source() -> None:
    """django.mo is compiled from django.po: each project message reads as written there."""
    source = (Path(__file__).resolve().parents[2] / "projectoffice/locale/ru/LC_MESSAGES/django.po").read_text()
    pairs = re.findall(r'^msgid "(.+)"\nmsgstr "(.+)"$', source, re.M)
    assert len(pairs) > 10
    with translation.override("ru"):
        assert [(msgid, translation.gettext(msgid)) for msgid, _ in pairs] == pairs
