"""The contribution card on the pages of projects, applications and events (apps below kpis, which load the tag
instead of importing kpis): shown to those who see the indicators, to no one else."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse

from projectoffice.accounts.models import User
from projectoffice.applications.models import Application
from projectoffice.events.models import Event
from projectoffice.kpis.models import Indicator, KpiLink
from projectoffice.projects.models import Project
from tests.conftest import client_for
from tests.events.factories import EventFactory
from tests.factories import ApplicationFactory, ProjectFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db

CARD = "Вклад в показатели"


def _project() -> tuple[models.Model, str, User]:
    project: Project = ProjectFactory()
    return project, reverse("projects:detail", args=[project.pk]), member_of(project.lead_organisation)


def _application() -> tuple[models.Model, str, User]:
    application: Application = ApplicationFactory()
    return (
        application,
        reverse("applications:detail", args=[application.pk]),
        member_of(application.project.lead_organisation),
    )


def _event() -> tuple[models.Model, str, User]:
    event: Event = EventFactory()
    reader: User = UserFactory(role="community")
    return event, reverse("events:detail", args=[event.slug]), reader


PAGES: dict[str, Callable[[], tuple[models.Model, str, User]]] = {
    "project": _project,
    "application": _application,
    "event": _event,
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_the_card_shows_to_those_who_see_the_indicators_and_to_no_one_else(page: str) -> None:
    instance, url, reader = PAGES[page]()
    indicator = Indicator.objects.create(code="tagged", name="Показатель с вкладом", unit="pieces", method="events")
    KpiLink.objects.create(
        indicator=indicator, content_type=ContentType.objects.get_for_model(instance), object_id=instance.pk
    )
    overseer = client_for(UserFactory(role="grantor")).get(url).content.decode()
    assert CARD in overseer and "Показатель с вкладом" in overseer
    other = client_for(reader).get(url)
    assert other.status_code == 200 and CARD not in other.content.decode()


@pytest.mark.parametrize("page", sorted(PAGES))
def test_an_object_tagged_to_no_indicator_shows_no_card(page: str) -> None:
    _instance, url, _reader = PAGES[page]()
    assert CARD not in client_for(UserFactory(role="grantor")).get(url).content.decode()
