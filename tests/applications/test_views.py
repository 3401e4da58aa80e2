"""The application pages: a conflicting save shown with both texts, another organisation's application hidden, deadlines on the staff home."""

import pytest
from django.urls import reverse

from projectoffice.applications.models import Application, SectionText
from tests.conftest import client_for
from tests.factories import OrganisationFactory, member_of

pytestmark = pytest.mark.django_db


def test_the_conflict_is_shown_in_the_page_and_the_diff_is_readable(setup) -> None:  # type: ignore[no-untyped-def]
    st = setup["application"].sections.first()
    client = client_for(setup["member"])
    url = reverse("applications:section_save", args=[setup["application"].pk, st.pk])
    assert (
        client.post(
            url, {"text": "Первая правка\nвторая строка", "base_version": 1}, HTTP_HX_REQUEST="true"
        ).status_code
        == 200
    )
    response = client.post(url, {"text": "Моя правка", "base_version": 1}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Раздел уже изменил" in body and "Первая правка" in body and "Моя правка" in body
    history = client.get(
        reverse("applications:section_history", args=[setup["application"].pk, st.pk])
    ).content.decode()
    assert 'class="add">+Первая правка' in history


def test_another_organisations_member_cannot_see_or_touch_the_application(setup) -> None:  # type: ignore[no-untyped-def]
    application = setup["application"]
    outsider = client_for(member_of(OrganisationFactory()))
    st = application.sections.first()
    assert outsider.get(reverse("applications:detail", args=[application.pk])).status_code == 404
    assert outsider.post(reverse("applications:section_save", args=[application.pk, st.pk]),
                         {"text": "взлом", "base_version": 1}).status_code == 404  # fmt: skip
    assert outsider.get(reverse("applications:export", args=[application.pk, "pdf"])).status_code == 404
    assert SectionText.objects.get(pk=st.pk).version == 1
    project = setup["project"]
    response = outsider.post(
        reverse("applications:create"), {"project": project.pk, "opportunity": application.opportunity.pk}
    )
    assert response.status_code == 404
    assert list(Application.objects.all()) == [application]


def test_the_staff_home_lists_coming_deadlines_but_not_submitted_applications(setup) -> None:  # type: ignore[no-untyped-def]
    client = client_for(setup["staff"])
    body = client.get(reverse("home")).content.decode()
    assert "Ближайшие сроки заявок" in body
    assert setup["application"].deadline.strftime("%d.%m") in body
    assert reverse("applications:detail", args=[setup["application"].pk]) in body
    Application.objects.filter(pk=setup["application"].pk).update(status="submitted")
    assert "Сроков впереди нет." in client.get(reverse("home")).content.decode()
