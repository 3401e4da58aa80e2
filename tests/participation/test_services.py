from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from projectoffice.audit.models import AuditEvent
from projectoffice.participation import rules, services
from projectoffice.participation.models import (
    AnswerState,
    Block,
    Comment,
    Disposition,
    Goal,
    ModerationCase,
    Notification,
    Proposal,
    Remark,
    Support,
    Visibility,
)
from projectoffice.projects.stages import Stage
from tests.conftest import client_for
from tests.factories import OrganisationFactory, UserFactory, member_of
from tests.participation.factories import (
    DebateFactory,
    PhaseFactory,
    ProcessFactory,
    ProposalFactory,
    answer_state,
    open_process,
)

pytestmark = pytest.mark.django_db

DRAFT = """# Общие положения

Стратегия определяет цели цифровой трансформации Самарской области.

# Данные

Региональные данные публикуются в открытом виде.

Оператор данных назначается правительством области.
"""


def test_the_national_goals_and_answer_states_are_loaded_once_whatever_the_table_held() -> None:
    services.reference_load()
    assert services.reference_load() == (8, 4)
    assert Goal.objects.filter(kind="national").count() == 7
    assert Goal.objects.get(code="np-data-economy").name.endswith(
        "«Экономика данных и цифровая трансформация государства»"
    )
    assert list(AnswerState.objects.values_list("name", flat=True)) == [
        "На рассмотрении",
        "Принято",
        "Принято частично",
        "Отклонено",
    ]


def test_a_participant_files_a_proposal_with_goals_and_its_lemmas_are_stored() -> None:
    process, user = open_process(), UserFactory()
    services.reference_load()
    goal = Goal.objects.get(code="ng-7")
    proposal = services.proposal_create(
        actor=user,
        process=process,
        data={
            "title": "Открытые данные транспорта",
            "body": "Публиковать расписания автобусов",
            "category": "data",
            "goals": [goal],
        },
    )
    assert list(proposal.goals.all()) == [goal]
    assert "автобус" in proposal.lemmas.split() and "расписание" in proposal.lemmas.split()
    assert proposal.history.first().text == "Подано"


def test_a_proposal_on_behalf_of_an_organisation_needs_membership() -> None:
    process, organisation = open_process(), OrganisationFactory()
    data = {"title": "Кадры для ИИ", "body": "Магистратура по ИИ", "organisation": organisation}
    with pytest.raises(PermissionDenied):
        services.proposal_create(actor=UserFactory(), process=process, data=data)
    proposal = services.proposal_create(actor=member_of(organisation), process=process, data=data)
    assert proposal.organisation == organisation
    assert Proposal.objects.count() == 1


def test_nobody_proposes_when_the_current_phase_does_not_open_proposals() -> None:
    phase = PhaseFactory(actions=["comment"])
    with pytest.raises(PermissionDenied, match="подавать предложения"):
        services.proposal_create(actor=UserFactory(), process=phase.process, data={"title": "А", "body": "Б"})
    assert Proposal.objects.count() == 0


def test_the_author_edits_only_within_the_edit_window() -> None:
    proposal = ProposalFactory()
    services.proposal_update(
        actor=proposal.author, proposal=proposal, data={"title": "Новое название", "body": "Текст"}
    )
    assert Proposal.objects.get().title == "Новое название"
    Proposal.objects.filter(pk=proposal.pk).update(created_at=timezone.now() - dt.timedelta(hours=2))
    proposal.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.proposal_update(actor=proposal.author, proposal=proposal, data={"title": "Поздно", "body": "Текст"})
    assert Proposal.objects.get().title == "Новое название"


def test_withdrawing_needs_a_reason_and_is_the_authors_alone() -> None:
    proposal = ProposalFactory()
    with pytest.raises(PermissionDenied):
        services.proposal_withdraw(actor=UserFactory(), proposal=proposal, reason="не моё")
    with pytest.raises(ValidationError):
        services.proposal_withdraw(actor=proposal.author, proposal=proposal, reason="  ")
    services.proposal_withdraw(actor=proposal.author, proposal=proposal, reason="Уже делается городом")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.withdrawn_reason) == ("withdrawn", "Уже делается городом")


def test_one_support_per_person_and_the_threshold_asks_for_an_answer() -> None:
    proposal = ProposalFactory()  # threshold 2
    first, second = UserFactory(), UserFactory()
    services.support_add(actor=first, proposal=proposal)
    with pytest.raises(ValidationError, match="один раз"):
        services.support_add(actor=first, proposal=proposal)
    assert proposal.supports_count == 1 and not proposal.needs_answer
    services.support_add(actor=second, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.supports_count == 2 and proposal.needs_answer
    assert proposal.history.last().text == "Набрано достаточно поддержек: ждёт официального ответа"


def test_a_supported_proposal_stops_waiting_for_an_answer_once_the_office_publishes_one() -> None:
    staff = UserFactory(role="staff")
    proposal: Proposal = ProposalFactory()  # threshold 2
    for _ in range(2):
        services.support_add(actor=UserFactory(), proposal=proposal)
    services.answer_draft(actor=staff, proposal=proposal, state=answer_state("Принято"), text="Включено в план")
    proposal = Proposal.objects.select_related("answer").get(pk=proposal.pk)
    assert proposal.needs_answer  # a draft is not an answer yet
    services.answers_publish(actor=staff, process=proposal.process)
    proposal = Proposal.objects.select_related("answer").get(pk=proposal.pk)
    assert proposal.supports_count == 2 and not proposal.needs_answer
    page = client_for(UserFactory()).get(f"/participation/{proposal.process.slug}/").content.decode()
    assert proposal.title in page and "ждёт ответа" not in page


def test_organisations_endorse_apart_from_people_and_only_through_members() -> None:
    proposal, organisation = ProposalFactory(), OrganisationFactory()
    with pytest.raises(PermissionDenied):
        services.endorsement_add(actor=UserFactory(), proposal=proposal, organisation=organisation)
    services.endorsement_add(actor=member_of(organisation), proposal=proposal, organisation=organisation)
    proposal.refresh_from_db()
    assert proposal.endorsements.count() == 1 and proposal.supports_count == 0


def test_answers_stay_drafts_until_published_together_and_authors_are_told() -> None:
    staff = UserFactory(role="staff")
    a, b = ProposalFactory(), None
    b = ProposalFactory(process=a.process)
    accepted, rejected = answer_state("Принято"), answer_state("Отклонено")
    with pytest.raises(PermissionDenied):
        services.answer_draft(actor=UserFactory(role="expert"), proposal=a, state=accepted, text="Да")
    with pytest.raises(ValidationError):
        services.answer_draft(actor=staff, proposal=b, state=rejected, text="")  # a rejection needs its reasons
    services.answer_draft(actor=staff, proposal=a, state=accepted, text="Включено в стратегию")
    services.answer_draft(actor=staff, proposal=b, state=rejected, text="Вне полномочий региона")
    assert Notification.objects.filter(user=a.author).count() == 0
    published = services.answers_publish(actor=staff, process=a.process)
    assert len(published) == 2 and all(x.published_at for x in published)
    assert Notification.objects.get(user=b.author).text.endswith("Отклонено")


def test_an_experts_note_is_read_by_that_expert_and_the_office_only() -> None:
    staff, expert, other = UserFactory(role="staff"), UserFactory(role="expert"), UserFactory(role="expert")
    evaluation = services.evaluator_assign(actor=staff, proposal=ProposalFactory(), expert=expert)
    services.evaluation_note(actor=expert, evaluation=evaluation, note="Сильная идея, но дорогая")
    assert rules.can_see_evaluation(staff, evaluation) and not rules.can_see_evaluation(other, evaluation)
    with pytest.raises(PermissionDenied):
        services.evaluation_note(actor=other, evaluation=evaluation, note="моё")
    with pytest.raises(ValidationError):
        services.evaluator_assign(actor=staff, proposal=evaluation.proposal, expert=UserFactory())


def test_merging_keeps_every_supporter_once_and_the_history() -> None:
    staff = UserFactory(role="staff")
    keep = ProposalFactory()
    duplicate = ProposalFactory(process=keep.process)
    both, only_dup = UserFactory(), UserFactory()
    for user in (both,):
        services.support_add(actor=user, proposal=keep)
    for user in (both, only_dup):
        services.support_add(actor=user, proposal=duplicate)
    Comment.objects.create(proposal=duplicate, author=only_dup, body="Поддерживаю")
    services.proposals_merge(actor=staff, duplicate=duplicate, into=keep, reason="Одно и то же")
    keep.refresh_from_db()
    duplicate.refresh_from_db()
    supporters = set(Support.objects.filter(proposal=keep).values_list("user_id", flat=True))
    assert supporters == {both.pk, only_dup.pk, duplicate.author_id}
    assert keep.supports_count == 3 and duplicate.supports_count == 0
    assert (duplicate.status, duplicate.merged_into) == ("merged", keep)
    assert keep.comments.count() == 1
    assert "Присоединено предложение" in keep.history.last().text
    assert duplicate.history.last().text.startswith("Объединено с предложением")


def test_an_accepted_proposal_becomes_a_project_linked_both_ways() -> None:
    staff, organisation = UserFactory(role="staff"), OrganisationFactory()
    proposal = ProposalFactory()
    with pytest.raises(ValidationError, match="принятого"):
        services.project_from_proposal(actor=staff, proposal=proposal, lead_organisation=organisation)
    services.answer_draft(actor=staff, proposal=proposal, state=answer_state("Принято"), text="")
    services.answers_publish(actor=staff, process=proposal.process)
    project = services.project_from_proposal(actor=staff, proposal=proposal, lead_organisation=organisation)
    assert (project.stage, project.title, project.lead_organisation) == (Stage.IDEA, proposal.title, organisation)
    assert project.source_proposal == proposal
    with pytest.raises(ValidationError, match="уже создан"):
        services.project_from_proposal(actor=staff, proposal=proposal, lead_organisation=organisation)


def test_replies_nest_to_the_limited_depth() -> None:
    debate, user = DebateFactory(), UserFactory()
    parent = services.comment_add(actor=user, subject=debate, body="Первый", stance="for")
    for n in range(5):
        parent = services.comment_add(actor=user, subject=debate, body=f"Ответ {n}", parent=parent)
    assert max(Comment.objects.values_list("depth", flat=True)) == 3


def test_editing_keeps_the_old_text_and_deleting_is_soft() -> None:
    comment = services.comment_add(actor=(user := UserFactory()), subject=DebateFactory(), body="Было")
    services.comment_edit(actor=user, comment=comment, body="Стало")
    assert (comment.body, list(comment.revisions.values_list("body", flat=True))) == ("Стало", ["Было"])
    with pytest.raises(PermissionDenied):
        services.comment_edit(actor=UserFactory(), comment=comment, body="Чужое")
    services.comment_delete(actor=user, comment=comment)
    assert Comment.objects.get().is_deleted


def test_votes_count_once_per_person_and_can_change() -> None:
    comment = services.comment_add(actor=UserFactory(), subject=DebateFactory(), body="Текст")
    voter = UserFactory()
    services.comment_vote(actor=voter, comment=comment, value=1)
    services.comment_vote(actor=voter, comment=comment, value=1)
    assert (comment.up, comment.down) == (1, 0)
    services.comment_vote(actor=voter, comment=comment, value=-1)
    assert (comment.up, comment.down) == (0, 1)


def test_content_is_hidden_after_enough_reports_and_the_moderator_decides_with_an_audit_entry() -> None:
    comment = services.comment_add(actor=(author := UserFactory()), subject=DebateFactory(), body="Купите слонов")
    for _ in range(rules.AUTO_HIDE_REPORTS - 1):
        services.report_add(actor=UserFactory(), content=comment, reason="spam")
    assert Comment.objects.get().visibility == Visibility.VISIBLE
    services.report_add(actor=UserFactory(), content=comment, reason="spam")
    assert Comment.objects.get().visibility == Visibility.PENDING
    case = ModerationCase.objects.get()
    with pytest.raises(PermissionDenied):
        services.moderation_decide(actor=author, case=case, decision="restore", reason="это не спам")
    services.moderation_decide(actor=(staff := UserFactory(role="staff")), case=case, decision="hide", reason="Реклама")
    assert Comment.objects.get().visibility == Visibility.HIDDEN
    event = AuditEvent.objects.get(action="participation.moderated")
    assert (event.actor, event.message) == (staff, "Реклама")
    assert "скрыт модератором: Реклама" in Notification.objects.get(user=author).text


def test_a_report_needs_a_known_reason_and_comes_once_per_person() -> None:
    comment = services.comment_add(actor=UserFactory(), subject=DebateFactory(), body="Текст")
    reporter = UserFactory()
    with pytest.raises(ValidationError):
        services.report_add(actor=reporter, content=comment, reason="boring")
    services.report_add(actor=reporter, content=comment, reason="off_topic")
    with pytest.raises(ValidationError, match="уже"):
        services.report_add(actor=reporter, content=comment, reason="spam")
    assert ModerationCase.objects.get().reports_count == 1


def test_a_repeat_offender_is_blocked_from_participating() -> None:
    staff, author, debate = UserFactory(role="staff"), UserFactory(), DebateFactory()
    for n in range(rules.BLOCK_AFTER_HIDDEN):
        comment = services.comment_add(actor=author, subject=debate, body=f"Спам {n}")
        case = services.report_add(actor=UserFactory(), content=comment, reason="spam")
        services.moderation_decide(actor=staff, case=case, decision="hide", reason="Спам")
    assert Block.objects.filter(user=author).exists()
    author.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.comment_add(actor=author, subject=debate, body="Ещё")


def _draft(process: object) -> object:
    return services.version_publish(actor=UserFactory(role="staff"), process=process, title="Стратегия", text=DRAFT)


def test_a_draft_version_is_split_into_sections_and_paragraphs_with_anchors() -> None:
    version = _draft(open_process())
    paragraphs = list(version.paragraphs.order_by("order"))
    assert [(p.number, p.section_title) for p in paragraphs] == [
        ("1.1", "Общие положения"),
        ("2.1", "Данные"),
        ("2.2", "Данные"),
    ]
    assert all(p.anchor.startswith("p-") for p in paragraphs)
    assert paragraphs[1].html == "<p>Региональные данные публикуются в открытом виде.</p>\n"


def test_unchanged_paragraphs_keep_their_anchor_in_the_next_version() -> None:
    process = open_process()
    first = _draft(process)
    second = services.version_publish(
        actor=UserFactory(role="staff"),
        process=process,
        title="Стратегия",
        text=DRAFT.replace("назначается", "определяется"),
        changelog="Уточнён оператор",
    )
    a = dict(first.paragraphs.values_list("number", "anchor"))
    b = dict(second.paragraphs.values_list("number", "anchor"))
    assert a["2.1"] == b["2.1"] and a["2.2"] != b["2.2"]
    assert second.number == 2


def test_a_remark_quotes_a_passage_of_its_paragraph_only() -> None:
    version = _draft(open_process())
    paragraph = version.paragraphs.get(number="2.1")
    user = UserFactory()
    with pytest.raises(ValidationError):
        services.remark_add(actor=user, paragraph=paragraph, text="Нет", quote="чего нет в пункте")
    remark = services.remark_add(actor=user, paragraph=paragraph, text="Указать формат", quote="в открытом  виде")
    assert remark.quote == "в открытом виде"


def test_remarks_go_to_the_latest_version_only() -> None:
    process = open_process()
    old = _draft(process)
    services.version_publish(
        actor=UserFactory(role="staff"), process=process, title="С", text=DRAFT + "\nНовый пункт.\n"
    )
    with pytest.raises(ValidationError, match="последней редакции"):
        services.remark_add(actor=UserFactory(), paragraph=old.paragraphs.first(), text="Поздно")
    assert Remark.objects.count() == 0


def test_dispositions_need_a_justification_unless_accepted_and_only_staff_dispose() -> None:
    version = _draft(open_process())
    remark = services.remark_add(actor=UserFactory(), paragraph=version.paragraphs.first(), text="Добавить сроки")
    staff = UserFactory(role="staff")
    with pytest.raises(PermissionDenied):
        services.remark_dispose(
            actor=UserFactory(role="expert"), remark=remark, disposition="accepted", justification=""
        )
    with pytest.raises(ValidationError):
        services.remark_dispose(actor=staff, remark=remark, disposition="rejected", justification="")
    services.remark_dispose(
        actor=staff, remark=remark, disposition=Disposition.PARTIAL, justification="Сроки — в плане"
    )
    remark.refresh_from_db()
    assert (remark.get_disposition_display(), remark.justification) == ("Учтено частично", "Сроки — в плане")
    assert AuditEvent.objects.filter(action="participation.disposed").count() == 1


def test_a_closed_process_takes_no_part() -> None:
    process = ProcessFactory(
        starts_on=timezone.localdate() - dt.timedelta(days=90), ends_on=timezone.localdate() - dt.timedelta(days=30)
    )
    PhaseFactory(process=process, starts_on=process.starts_on, ends_on=process.ends_on)
    assert process.status() == "closed" and not rules.can_act(UserFactory(), process, "propose")


def test_followers_hear_of_answers_comments_and_new_versions_but_not_of_their_own_acts() -> None:
    staff, follower = UserFactory(role="staff"), UserFactory()
    proposal = services.proposal_create(
        actor=(author := UserFactory()), process=open_process(), data={"title": "Данные", "body": "Открыть"}
    )
    assert services.follow_toggle(actor=follower, subject=proposal) is True
    assert services.follow_toggle(actor=follower, subject=proposal.process) is True
    services.comment_add(actor=follower, subject=proposal, body="Поддерживаю")
    assert [n.text for n in Notification.objects.filter(user=author)] == ["Новый комментарий к предложению «Данные»"]
    assert not Notification.objects.filter(user=follower).exists()
    services.answer_draft(actor=staff, proposal=proposal, state=answer_state("Принято"), text="")
    services.answers_publish(actor=staff, process=proposal.process)
    services.version_publish(actor=staff, process=proposal.process, title="Стратегия", text=DRAFT)
    assert [n.text for n in Notification.objects.filter(user=follower).order_by("pk")] == [
        "Опубликован ответ офиса на предложение «Данные»: Принято",
        "Опубликована редакция 1 документа «Стратегия»",
    ]
    assert services.follow_toggle(actor=follower, subject=proposal) is False


def test_an_affiliation_confirmed_by_a_member_makes_the_person_a_member_and_others_cannot_confirm() -> None:
    organisation = OrganisationFactory()
    person = UserFactory()
    claim = services.affiliation_request(actor=person, organisation=organisation, position="Аналитик")
    with pytest.raises(PermissionDenied):
        services.affiliation_decide(actor=UserFactory(), affiliation=claim, confirm=True)
    services.affiliation_decide(actor=member_of(organisation), affiliation=claim, confirm=True)
    assert organisation.pk in type(person).objects.get(pk=person.pk).organisation_ids
    assert claim.state == "confirmed"
    with pytest.raises(ValidationError):
        services.affiliation_decide(actor=UserFactory(role="staff"), affiliation=claim, confirm=False)
