"""The matching pages: the matches panel with its explanation, marks, participants, subscriptions and unsubscribing."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from projectoffice.matching.models import MatchFeedback, Subscription
from projectoffice.matching.ranking import match_opportunities
from projectoffice.projects.models import Project
from tests.conftest import client_for
from tests.factories import (
    OkvedFactory,
    OrganisationFactory,
    ProjectFactory,
    UserFactory,
    member_of,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 26)


def test_dismissed_matches_stay_hidden_and_feedback_is_stored(market) -> None:  # type: ignore[no-untyped-def]
    developer = OrganisationFactory(main_okved=OkvedFactory(), description="разработка мобильных приложений и порталов")
    user = member_of(developer)
    client = client_for(user)
    first = match_opportunities(organisation=developer, today=TODAY)[0].opportunity
    url = reverse("matching:feedback", args=["organisation", developer.pk, first.pk])
    response = client.post(url, {"verdict": "dismissed"})
    assert response.status_code == 200
    assert MatchFeedback.objects.get().verdict == "dismissed"
    assert first.pk not in [m.opportunity.pk for m in match_opportunities(organisation=developer, today=TODAY)]
    assert client.post(url, {"verdict": "nonsense"}).status_code == 400


def test_another_organisations_member_cannot_see_or_mark_its_matches(market) -> None:  # type: ignore[no-untyped-def]
    own, other = OrganisationFactory(), OrganisationFactory()
    client = client_for(member_of(own))
    opportunity = next(iter(market.values()))
    assert client.get(reverse("matching:matches", args=["organisation", other.pk])).status_code == 403
    assert (
        client.post(
            reverse("matching:feedback", args=["organisation", other.pk, opportunity.pk]), {"verdict": "dismissed"}
        ).status_code
        == 403
    )
    hidden = ProjectFactory(lead_organisation=other)
    assert client.get(reverse("matching:matches", args=["project", hidden.pk])).status_code == 404
    assert not MatchFeedback.objects.exists()


def test_the_panel_shows_the_explanation(market) -> None:  # type: ignore[no-untyped-def]
    developer = OrganisationFactory(main_okved=OkvedFactory(), description="разработка мобильных приложений")
    project = ProjectFactory(lead_organisation=developer, title="Мобильное приложение записи к врачу")
    body = (
        client_for(UserFactory(role="staff"))
        .get(reverse("matching:matches", args=["project", project.pk]))
        .content.decode()
    )
    assert "Почему" in body and "Совпали слова" in body and "Совпали коды" in body


def test_project_pages_load_the_panel(market) -> None:  # type: ignore[no-untyped-def]
    project = ProjectFactory()
    body = client_for(UserFactory(role="staff")).get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Подходящие возможности" in body
    assert reverse("matching:matches", args=["project", project.pk]) in body
    assert Project.objects.count() == 1


def test_project_page_suggests_codes_from_its_description() -> None:
    from projectoffice.classifiers.loaders import load_okpd, load_okved

    load_okved()
    load_okpd()
    project = ProjectFactory(title="Разработка мобильного приложения", summary="Приложение для записи к врачу")
    body = client_for(UserFactory(role="staff")).get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Коды ОКПД2 и ОКВЭД2 по описанию" in body
    assert "<code>62.01" in body


def test_unsubscribe_link_asks_then_switches_off(subscription: Subscription, client: Client) -> None:
    url = reverse("matching:unsubscribe", args=[subscription.unsubscribe_token])
    assert "Отписаться" in client.get(url).content.decode()
    subscription.refresh_from_db()
    assert subscription.is_active  # a GET (e.g. a mail scanner) changes nothing
    client.post(url)
    subscription.refresh_from_db()
    assert not subscription.is_active
    assert client.get(reverse("matching:unsubscribe", args=["forged-token"])).status_code == 404


def test_subscriptions_page_refuses_another_organisations_profile(subscription: Subscription) -> None:
    outsider = member_of(OrganisationFactory())
    client = client_for(outsider)
    response = client.post(
        reverse("matching:subscriptions"),
        {"organisation": subscription.organisation_id, "email": "x@example.invalid"},
        follow=True,
    )
    assert "Подписка не сохранена" in response.content.decode()
    assert Subscription.objects.count() == 1
    client.post(reverse("matching:subscriptions"), {"query": "мобильные приложения", "email": "x@example.invalid"})
    assert Subscription.objects.filter(user=outsider, query="мобильные приложения").exists()
