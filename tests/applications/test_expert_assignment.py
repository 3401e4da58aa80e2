"""An expert hears of an assignment, finds it on the home page and reads the application being scored."""

import pytest
from django.core import mail
from django.urls import reverse

from projectoffice.applications import services
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(setup, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    application = setup["application"]
    first = application.sections.select_related("section").first()
    services.section_save(actor=setup["member"], section_text=first, text="Уникальный текст раздела о станках",
                          base_version=first.version)  # fmt: skip
    expert = UserFactory(role="expert", first_name="Егор", email="egor@example.invalid")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(setup["staff"]).post(
            reverse("applications:review", args=[application.pk]), {"action": "assign", "expert": expert.pk}
        )
    assert response.status_code == 302
    return {**setup, "expert": expert, "section": first}


def test_an_assigned_expert_gets_an_email_with_the_review_link(assigned) -> None:  # type: ignore[no-untyped-def]
    application = assigned["application"]
    [message] = [m for m in mail.outbox if m.to == ["egor@example.invalid"]]
    assert "назначена экспертиза" in message.subject and application.project.title in message.subject
    assert f"/applications/{application.pk}/review/" in message.body and "конфликта интересов" in message.body


def test_assigning_the_same_expert_again_sends_nothing_more(assigned, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        services.expert_assign(actor=assigned["staff"], application=assigned["application"], expert=assigned["expert"])
    assert len([m for m in mail.outbox if m.to == ["egor@example.invalid"]]) == 1


def test_the_experts_home_page_lists_the_assignment_and_its_next_step(assigned) -> None:  # type: ignore[no-untyped-def]
    application = assigned["application"]
    client = client_for(assigned["expert"])
    home = client.get(reverse("home")).content.decode()
    assert "Экспертиза заявок" in home and application.project.title in home
    assert f'href="/applications/{application.pk}/review/"' in home and "нужна декларация" in home
    other = client_for(UserFactory(role="expert")).get(reverse("home")).content.decode()
    assert (
        "Заявок на экспертизу вам пока не назначено" in other and f"/applications/{application.pk}/review/" not in other
    )


def test_the_review_page_shows_the_application_text_being_scored(assigned) -> None:  # type: ignore[no-untyped-def]
    application = assigned["application"]
    page = client_for(assigned["expert"]).get(reverse("applications:review", args=[application.pk])).content.decode()
    assert "Текст заявки" in page and "Уникальный текст раздела о станках" in page
    for st in application.sections.select_related("section"):
        assert st.section.title in page
    assert "Раздел не заполнен." in page  # the empty sections are shown as such, not hidden
