from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from docx import Document
from openpyxl import load_workbook

from projectoffice.participation import services
from projectoffice.participation.models import Comment, Proposal, Remark, Support, Visibility
from tests.conftest import client_for
from tests.factories import OrganisationFactory, UserFactory, member_of
from tests.participation.factories import DebateFactory, ProcessFactory, ProposalFactory, answer_state, open_process

pytestmark = pytest.mark.django_db

DRAFT = "# Данные\n\nРегиональные данные публикуются в открытом виде.\n\nОператор данных назначается правительством.\n"


def test_anyone_reads_the_processes_and_a_proposal_without_an_account() -> None:
    proposal = ProposalFactory(title="Открытые данные о транспорте")
    ProcessFactory(title="Черновой процесс", is_published=False)
    page = Client().get("/participation/").content.decode()
    assert proposal.process.title in page and "Черновой процесс" not in page
    assert "Открытые данные о транспорте" in Client().get(f"/participation/proposals/{proposal.pk}/").content.decode()


def test_an_unpublished_process_is_not_found_but_for_the_office() -> None:
    process = ProcessFactory(is_published=False)
    assert Client().get(f"/participation/{process.slug}/").status_code == 404
    assert client_for(UserFactory(role="staff")).get(f"/participation/{process.slug}/").status_code == 200


def test_filing_needs_a_login_and_the_form_files_the_proposal() -> None:
    process = open_process()
    assert Client().get(f"/participation/{process.slug}/propose/").status_code == 302
    response = client_for(UserFactory()).post(
        f"/participation/{process.slug}/propose/",
        {"title": "Цифровой двойник города", "body": "Для Тольятти", "category": "data"},
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/participation/proposals/{proposal.pk}/"


def test_the_grantor_reads_but_does_not_file() -> None:
    process = open_process()
    assert client_for(UserFactory(role="grantor")).get(f"/participation/{process.slug}/propose/").status_code == 403


def test_the_similar_panel_shows_a_proposal_with_the_same_words_in_other_forms() -> None:
    existing = ProposalFactory(
        title="Открыть данные об общественном транспорте", body="Расписания автобусов в открытом доступе"
    )
    ProposalFactory(process=existing.process, title="Школьные кружки робототехники", body="Кружки в каждой школе")
    page = Client().get(
        f"/participation/{existing.process.slug}/similar/",
        {"title": "открытые данные транспорта", "body": "расписание автобуса"},
    )
    text = page.content.decode()
    assert "Открыть данные об общественном транспорте" in text and "робототехники" not in text


def test_supporting_twice_on_the_page_says_once_is_enough() -> None:
    proposal, client = ProposalFactory(), client_for(UserFactory())
    client.post(f"/participation/proposals/{proposal.pk}/support/")
    response = client.post(f"/participation/proposals/{proposal.pk}/support/", follow=True)
    assert "поддержать можно один раз" in response.content.decode()
    assert Support.objects.count() == 1


def test_only_staff_answer_merge_and_make_projects() -> None:
    proposal = ProposalFactory()
    other = ProposalFactory(process=proposal.process)
    state = answer_state("Принято")
    for role in ("community", "expert", "grantor", "member"):
        client = client_for(UserFactory(role=role))
        assert (
            client.post(
                f"/participation/proposals/{proposal.pk}/answer/", {"state": state.pk, "text": "Да"}
            ).status_code
            == 403
        )
        assert (
            client.post(
                f"/participation/proposals/{other.pk}/merge/", {"into": proposal.pk, "reason": "дубль"}
            ).status_code
            == 403
        )
        assert (
            client.post(
                f"/participation/proposals/{proposal.pk}/project/", {"lead_organisation": OrganisationFactory().pk}
            ).status_code
            == 403
        )
    assert not hasattr(Proposal.objects.get(pk=proposal.pk), "answer") or proposal.answer is None
    assert Proposal.objects.get(pk=other.pk).status == "published"


def test_a_draft_answer_is_hidden_from_the_public_until_published() -> None:
    staff, proposal = UserFactory(role="staff"), ProposalFactory()
    client_for(staff).post(
        f"/participation/proposals/{proposal.pk}/answer/",
        {"state": answer_state("Отклонено").pk, "text": "Вне полномочий региона"},
    )
    assert "Вне полномочий региона" not in Client().get(f"/participation/proposals/{proposal.pk}/").content.decode()
    client_for(staff).post(f"/participation/{proposal.process.slug}/answers/publish/")
    assert "Вне полномочий региона" in Client().get(f"/participation/proposals/{proposal.pk}/").content.decode()


def test_a_hidden_comment_is_not_on_the_page_and_a_hidden_proposal_is_not_found() -> None:
    debate = DebateFactory()
    comment = services.comment_add(actor=UserFactory(), subject=debate, body="Оскорбительный текст")
    Comment.objects.filter(pk=comment.pk).update(visibility=Visibility.HIDDEN)
    page = Client().get(f"/participation/debates/{debate.pk}/").content.decode()
    assert "Оскорбительный текст" not in page and "скрыт модератором" in page
    proposal: Proposal = ProposalFactory()
    Proposal.objects.filter(pk=proposal.pk).update(visibility=Visibility.PENDING)
    assert Client().get(f"/participation/proposals/{proposal.pk}/").status_code == 404
    assert proposal.title not in Client().get(f"/participation/{proposal.process.slug}/").content.decode()


def test_the_moderation_queue_is_staff_only_and_decides() -> None:
    comment = services.comment_add(actor=UserFactory(), subject=DebateFactory(), body="Спам спам")
    case = services.report_add(actor=UserFactory(), content=comment, reason="spam")
    assert client_for(UserFactory()).get("/participation/moderation/").status_code == 403
    staff = client_for(UserFactory(role="staff"))
    assert "Спам спам" in staff.get("/participation/moderation/").content.decode()
    staff.post(f"/participation/moderation/{case.pk}/decide/", {"decision": "hide", "reason": "Реклама"})
    assert Comment.objects.get().visibility == Visibility.HIDDEN


def _consultation() -> tuple[object, object]:
    process = open_process()
    version = services.version_publish(actor=UserFactory(role="staff"), process=process, title="Стратегия", text=DRAFT)
    return process, version


def test_a_participant_remarks_on_a_paragraph_from_the_draft_page() -> None:
    process, version = _consultation()
    paragraph = version.paragraphs.get(number="1.1")
    client = client_for(UserFactory())
    assert f'id="{paragraph.anchor}"' in client.get(f"/participation/{process.slug}/draft/").content.decode()
    client.post(
        f"/participation/{process.slug}/draft/remark/",
        {"paragraph": paragraph.pk, "text": "Указать форматы", "quote": "в открытом виде"},
    )
    remark = Remark.objects.get()
    assert (remark.paragraph, remark.quote) == (paragraph, "в открытом виде")


def test_the_register_files_hold_each_visible_remark_with_its_disposition() -> None:
    process, version = _consultation()
    organisation = OrganisationFactory(short_name="Волга Софт")
    author = UserFactory(first_name="Анна", last_name="Петрова")
    remark = services.remark_add(actor=author, paragraph=version.paragraphs.get(number="1.1"), text="Указать форматы")
    Remark.objects.filter(pk=remark.pk).update(organisation=organisation)
    hidden = services.remark_add(actor=author, paragraph=version.paragraphs.get(number="1.2"), text="Скрытое замечание")
    Remark.objects.filter(pk=hidden.pk).update(visibility=Visibility.HIDDEN)
    services.remark_dispose(
        actor=UserFactory(role="staff"), remark=remark, disposition="partial", justification="Форматы — в регламенте"
    )
    xlsx = Client().get(f"/participation/{process.slug}/register.xlsx")
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert rows[0][:8] == (
        "№",
        "Редакция",
        "Пункт",
        "Цитата",
        "Замечание или предложение",
        "Автор или организация",
        "Решение",
        "Обоснование",
    )
    assert len(rows) == 2
    assert rows[1][:8] == (
        1,
        1,
        "п. 1.1",
        None,
        "Указать форматы",
        f"{organisation} (Анна Петрова)",
        "Учтено частично",
        "Форматы — в регламенте",
    )
    docx = Document(io.BytesIO(Client().get(f"/participation/{process.slug}/register.docx").content))
    cells = [c.text for c in docx.tables[0].rows[1].cells]
    assert cells[4:8] == [
        "Указать форматы",
        f"{organisation} (Анна Петрова)",
        "Учтено частично",
        "Форматы — в регламенте",
    ]
    assert len(docx.tables[0].rows) == 2


def test_only_staff_dispose_remarks() -> None:
    _process, version = _consultation()
    remark = services.remark_add(actor=UserFactory(), paragraph=version.paragraphs.first(), text="Замечание")
    for role in ("community", "expert", "grantor"):
        assert (
            client_for(UserFactory(role=role))
            .post(f"/participation/remarks/{remark.pk}/dispose/", {"disposition": "accepted"})
            .status_code
            == 403
        )
    assert Remark.objects.get().disposition == ""


def test_the_diff_marks_the_changed_words() -> None:
    process, _ = _consultation()
    services.version_publish(
        actor=UserFactory(role="staff"),
        process=process,
        title="С",
        text=DRAFT.replace("правительством", "губернатором"),
    )
    page = Client().get(f"/participation/{process.slug}/draft/diff/?b=2").content.decode()
    assert "<del>правительством.</del><ins>губернатором.</ins>" in page


def test_markdown_in_a_draft_cannot_run_scripts() -> None:
    process = open_process()
    text = "# Раздел\n\n<script>alert(1)</script> и [ссылка](javascript:alert(1))\n"
    services.version_publish(actor=UserFactory(role="staff"), process=process, title="С", text=text)
    page = Client().get(f"/participation/{process.slug}/draft/").content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="javascript' not in page


def test_the_proposal_page_runs_a_constant_number_of_queries_as_comments_grow() -> None:
    proposal = ProposalFactory()
    users = [UserFactory() for _ in range(3)]

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            Client().get(f"/participation/proposals/{proposal.pk}/")
        return len(ctx.captured_queries)

    Comment.objects.create(proposal=proposal, author=users[0], body="Первый")
    few = count()
    Comment.objects.bulk_create(Comment(proposal=proposal, author=users[i % 3], body=f"Текст {i}") for i in range(60))
    assert count() == few


def test_following_a_proposal_from_its_page_needs_a_login_and_toggles() -> None:
    proposal = ProposalFactory()
    assert Client().post(f"/participation/follow/proposal/{proposal.pk}/").status_code == 302
    assert not proposal.follows.exists()
    client = client_for(UserFactory())
    client.post(f"/participation/follow/proposal/{proposal.pk}/")
    assert proposal.follows.count() == 1
    assert "Отписаться" in client.get(f"/participation/proposals/{proposal.pk}/").content.decode()
    client.post(f"/participation/follow/proposal/{proposal.pk}/")
    assert not proposal.follows.exists()


def test_a_claim_to_an_organisation_is_confirmed_on_the_page_by_its_member_only() -> None:
    organisation = OrganisationFactory(short_name="СамараДата")
    person = UserFactory()
    client_for(person).post("/participation/affiliations/", {"organisation": organisation.pk, "position": "Аналитик"})
    claim = person.affiliations.get()
    outsider = client_for(UserFactory())
    assert outsider.post(f"/participation/affiliations/{claim.pk}/decide/", {"decision": "confirm"}).status_code == 404
    member = client_for(member_of(organisation))
    assert "Аналитик" in member.get("/participation/affiliations/").content.decode()
    member.post(f"/participation/affiliations/{claim.pk}/decide/", {"decision": "confirm"})
    claim.refresh_from_db()
    assert claim.state == "confirmed" and person.memberships.filter(organisation=organisation).exists()
