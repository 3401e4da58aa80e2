"""The projects an organisation leads, on its page (organisations sits below projects and loads the tag): only
those the reader may see."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import OrganisationFactory, ProjectFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db


def test_the_organisation_page_lists_the_projects_it_leads_to_those_who_may_see_them() -> None:
    organisation = OrganisationFactory()
    ProjectFactory(lead_organisation=organisation, title="Видеоаналитика для заводов")
    ProjectFactory(title="Чужой проект")
    url = reverse("organisations:detail", args=[organisation.pk])
    staff = client_for(UserFactory(role="staff")).get(url).content.decode()
    assert "Видеоаналитика для заводов" in staff and "Чужой проект" not in staff
    own = client_for(member_of(organisation)).get(url).content.decode()
    assert "Видеоаналитика для заводов" in own
    stranger = client_for(member_of(OrganisationFactory())).get(url)
    assert stranger.status_code == 200  # the registry's public part is open to every logged-in user
    assert "Видеоаналитика для заводов" not in stranger.content.decode()
    assert "Нет видимых вам проектов." in stranger.content.decode()
