from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from projectoffice.participation import selectors, services
from projectoffice.participation.models import CaseState, Comment, ModerationCase, Remark, Visibility, Vote
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.participation.factories import ProposalFactory, open_process

pytestmark = pytest.mark.django_db

DRAFT = "# Данные\n\nРегиональные данные публикуются в открытом виде.\n\nОператор данных назначается правительством.\n"


def _remark():  # type: ignore[no-untyped-def]
    process = open_process()
    version = services.version_publish(actor=UserFactory(role="staff"), process=process, title="Стратегия", text=DRAFT)
    author = UserFactory(first_name="Анна", last_name="Петрова")
    remark = services.remark_add(actor=author, paragraph=version.paragraphs.get(number="1.1"), text="Указать форматы")
    return process, remark


def test_participants_discuss_a_remark_in_threads_with_a_stance() -> None:
    _process, remark = _remark()
    first, second = UserFactory(), UserFactory()
    root = services.comment_add(actor=first, subject=remark, body="Согласен, нужен CSV", stance="for")
    reply = services.comment_add(actor=second, subject=remark, body="И JSON", stance="neutral", parent=root)
    assert (reply.remark, reply.depth, reply.parent) == (remark, 1, root)
    page = client_for(UserFactory()).get(f"/participation/remarks/{remark.pk}/").content.decode()
    assert "Согласен, нужен CSV" in page and "И JSON" in page and "за 1" in page
    assert remark.author.participation_notices.filter(text__contains="Ответ на ваше замечание").count() == 2


def test_a_reply_cannot_cross_from_a_remark_to_a_proposal() -> None:
    _process, remark = _remark()
    proposal = ProposalFactory()
    elsewhere = services.comment_add(actor=UserFactory(), subject=proposal, body="О предложении")
    with pytest.raises(ValidationError):
        services.comment_add(actor=UserFactory(), subject=remark, body="Ответ", parent=elsewhere)
    assert not Comment.objects.filter(remark=remark).exists()


def test_the_form_on_the_remark_page_posts_a_comment_and_anonymous_is_sent_to_log_in() -> None:
    _process, remark = _remark()
    assert Client().post(f"/participation/remarks/{remark.pk}/comment/", {"body": "x"}).status_code == 302
    assert not Comment.objects.exists()
    client_for(UserFactory()).post(f"/participation/remarks/{remark.pk}/comment/",
                                   {"body": "Поддерживаю замечание", "stance": "for"})  # fmt: skip
    assert Comment.objects.get().remark == remark


def test_one_vote_per_person_on_a_remark_changeable_and_not_for_ones_own() -> None:
    _process, remark = _remark()
    voter = UserFactory()
    client = client_for(voter)
    client.post(f"/participation/remarks/{remark.pk}/vote/", {"value": "up"})
    client.post(f"/participation/remarks/{remark.pk}/vote/", {"value": "up"})
    remark.refresh_from_db()
    assert (remark.up, remark.down) == (1, 0)
    client.post(f"/participation/remarks/{remark.pk}/vote/", {"value": "down"})
    remark.refresh_from_db()
    assert (remark.up, remark.down) == (0, 1) and Vote.objects.filter(remark=remark).count() == 1
    with pytest.raises(PermissionDenied):
        services.remark_vote(actor=remark.author, remark=remark, value=1)
    with pytest.raises(ValidationError):
        services.remark_vote(actor=voter, remark=remark, value=5)


def test_reporting_a_remark_takes_the_reason_chosen() -> None:
    _process, remark = _remark()
    page = client_for(UserFactory()).get(f"/participation/paragraphs/{remark.paragraph_id}/remarks/").content.decode()
    for label in ("Спам", "Оскорбление", "Не по теме", "Другое"):
        assert f">{label}</option>" in page
    client_for(UserFactory()).post(f"/participation/report/remark/{remark.pk}/", {"reason": "abuse", "text": "грубо"})
    case = ModerationCase.objects.get()
    assert case.reports.get().reason == "abuse" and case.state == CaseState.PENDING
    client_for(UserFactory()).post(f"/participation/report/remark/{remark.pk}/", {"reason": "nonsense"})
    assert case.reports.count() == 1


def test_a_hidden_remark_and_its_discussion_are_not_shown() -> None:
    _process, remark = _remark()
    services.comment_add(actor=UserFactory(), subject=remark, body="Ответ на замечание")
    Remark.objects.filter(pk=remark.pk).update(visibility=Visibility.HIDDEN)
    assert Client().get(f"/participation/remarks/{remark.pk}/").status_code == 404
    assert (
        "Указать форматы"
        not in Client().get(f"/participation/paragraphs/{remark.paragraph_id}/remarks/").content.decode()
    )
    remark.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.comment_add(actor=UserFactory(), subject=remark, body="Ещё ответ")


def test_the_draft_page_counts_remarks_and_loads_them_when_opened() -> None:
    process, remark = _remark()
    page = Client().get(f"/participation/{process.slug}/draft/").content.decode()
    assert "Замечания (1)" in page and f"/participation/paragraphs/{remark.paragraph_id}/remarks/" in page
    assert "Указать форматы" not in page
    fragment = Client().get(f"/participation/paragraphs/{remark.paragraph_id}/remarks/", HTTP_HX_REQUEST="true")
    assert "Указать форматы" in fragment.content.decode() and "<html" not in fragment.content.decode()


def test_the_draft_page_queries_do_not_grow_with_the_remarks() -> None:
    process, remark = _remark()
    users = [UserFactory() for _ in range(3)]

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            Client().get(f"/participation/{process.slug}/draft/")
        return len(ctx.captured_queries)

    few = count()
    Remark.objects.bulk_create(
        Remark(paragraph=remark.paragraph, author=users[i % 3], text=f"З {i}") for i in range(50)
    )
    assert count() == few


def test_a_long_discussion_shows_a_page_of_threads_and_loads_more() -> None:
    proposal = ProposalFactory()
    author = UserFactory()
    roots = Comment.objects.bulk_create(Comment(proposal=proposal, author=author, body=f"Ветка {i:03d}", stance="for")
                                        for i in range(selectors.THREADS_PER_PAGE + 5))  # fmt: skip
    Comment.objects.create(proposal=proposal, author=author, body="Ответ в последней ветке", parent=roots[-1], depth=1)
    page = Client().get(f"/participation/proposals/{proposal.pk}/").content.decode()
    assert "Ветка 000" in page and "Ветка 034" not in page and "осталось веток: 5" in page
    assert "за 35" in page  # the stances count the whole discussion
    more = Client().get(f"/participation/proposals/{proposal.pk}/comments/", {"offset": selectors.THREADS_PER_PAGE},
                        HTTP_HX_REQUEST="true").content.decode()  # fmt: skip
    assert "Ветка 034" in more and "Ответ в последней ветке" in more and "Ветка 000" not in more
    assert "Показать ещё" not in more
    everything = Client().get(f"/participation/proposals/{proposal.pk}/", {"more": 60}).content.decode()
    assert "Ветка 034" in everything
