from __future__ import annotations

import pytest
from django.test import Client

from projectoffice.participation import services
from projectoffice.participation.models import Comment, Proposal, Remark, Support, Visibility
from tests.api.helpers import assert_error_shape, post_json
from tests.factories import OrganisationFactory, UserFactory
from tests.participation.factories import ProposalFactory, open_process

pytestmark = pytest.mark.django_db


def test_a_participant_files_and_supports_through_the_api_once() -> None:
    services.reference_load()
    proposal = ProposalFactory()
    user = UserFactory()
    created = post_json(
        Client(),
        "/api/v1/participation/proposals",
        {"process": proposal.process.slug, "title": "Кадры для ИИ", "body": "Магистратура", "goals": ["ng-6"]},
        user,
    )
    assert created.status_code == 201 and created.json()["goals"] == ["ng-6"]
    assert post_json(Client(), f"/api/v1/participation/proposals/{proposal.pk}/support", {}, user).status_code == 201
    again = post_json(Client(), f"/api/v1/participation/proposals/{proposal.pk}/support", {}, user)
    assert again.status_code == 409 and assert_error_shape(again, "conflict")["message"].startswith("Вы уже")
    assert Support.objects.count() == 1


def test_a_proposal_to_a_process_that_does_not_exist_answers_the_documented_404_and_nothing_is_filed() -> None:
    response = post_json(
        Client(), "/api/v1/participation/proposals", {"process": "0", "title": "А", "body": "Б"}, UserFactory()
    )
    assert response.status_code == 404 and assert_error_shape(response, "not_found")
    assert Proposal.objects.count() == 0
    schema = Client().get("/api/v1/openapi.json").json()
    assert "404" in schema["paths"]["/api/v1/participation/proposals"]["post"]["responses"]


def test_an_organisation_the_user_is_not_a_member_of_is_refused_and_nothing_is_filed() -> None:
    process = open_process()
    response = post_json(
        Client(),
        "/api/v1/participation/proposals",
        {"process": process.slug, "title": "А", "body": "Б", "organisation": OrganisationFactory().pk},
        UserFactory(),
    )
    assert assert_error_shape(response, "invalid")["fields"] == {
        "organisation": ["От имени организации подают только её участники."]
    }
    assert Proposal.objects.count() == 0


def test_hidden_content_never_appears_in_the_api() -> None:
    visible, hidden = ProposalFactory(title="Видимое"), None
    hidden = ProposalFactory(process=visible.process, title="Скрытое предложение")
    Proposal.objects.filter(pk=hidden.pk).update(visibility=Visibility.HIDDEN)
    comment = services.comment_add(actor=UserFactory(), subject=visible, body="Скрытый комментарий")
    Comment.objects.filter(pk=comment.pk).update(visibility=Visibility.PENDING)
    version = services.version_publish(
        actor=UserFactory(role="staff"), process=visible.process, title="С", text="# Р\n\nПункт.\n"
    )
    remark = services.remark_add(actor=UserFactory(), paragraph=version.paragraphs.get(), text="Скрытое замечание")
    Remark.objects.filter(pk=remark.pk).update(visibility=Visibility.HIDDEN)
    client = Client()
    listing = client.get("/api/v1/participation/proposals", {"process": visible.process.slug}).json()
    assert [p["title"] for p in listing["results"]] == ["Видимое"]
    assert client.get(f"/api/v1/participation/proposals/{hidden.pk}").status_code == 404
    comments = client.get(f"/api/v1/participation/proposals/{visible.pk}/comments").json()
    assert comments == [
        {
            "id": comment.pk,
            "reply_to": None,
            "depth": 0,
            "author": None,
            "body": None,
            "stance": "neutral",
            "up": 0,
            "down": 0,
            "created_at": comments[0]["created_at"],
        }
    ]
    assert client.get(f"/api/v1/participation/processes/{visible.process.slug}/remarks").json() == []


def test_the_register_in_the_api_carries_the_disposition_and_its_justification() -> None:
    process = open_process()
    version = services.version_publish(
        actor=UserFactory(role="staff"), process=process, title="С", text="# Р\n\nПункт о данных.\n"
    )
    remark = services.remark_add(
        actor=UserFactory(first_name="Анна", last_name="Петрова"),
        paragraph=version.paragraphs.get(),
        text="Уточнить",
        quote="о данных",
    )
    services.remark_dispose(
        actor=UserFactory(role="staff"), remark=remark, disposition="rejected", justification="Вне темы"
    )
    rows = Client().get(f"/api/v1/participation/processes/{process.slug}/remarks").json()
    assert rows == [
        {
            "id": remark.pk,
            "version": 1,
            "paragraph": "1.1",
            "anchor": remark.paragraph.anchor,
            "quote": "о данных",
            "text": "Уточнить",
            "author": "Анна Петрова",
            "organisation": None,
            "disposition": "rejected",
            "disposition_label": "Не учтено",
            "justification": "Вне темы",
            "up": 0,
            "down": 0,
        }
    ]
