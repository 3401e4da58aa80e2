"""Every write of participation: each checks its rule, runs in one transaction and is audited."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone

from projectoffice.accounts.models import User
from projectoffice.accounts.services import membership_add
from projectoffice.audit.services import audit_record
from projectoffice.lib.cleaning import strip_invisible
from projectoffice.organisations.models import Organisation
from projectoffice.participation import drafts, rules
from projectoffice.participation.goals import ANSWER_STATES, goal_rows
from projectoffice.participation.models import (
    COMMENT_MAX_DEPTH,
    Action,
    Affiliation,
    Answer,
    AnswerState,
    Block,
    CaseState,
    Comment,
    CommentRevision,
    Debate,
    DigestFrequency,
    DigestSetting,
    Disposition,
    Draft,
    DraftVersion,
    Endorsement,
    Evaluation,
    Follow,
    Goal,
    ModerationCase,
    Notification,
    Paragraph,
    Phase,
    Process,
    Proposal,
    ProposalEvent,
    ProposalStatus,
    Remark,
    Report,
    Result,
    Support,
    Survey,
    SurveyQuestion,
    SurveyResponse,
    Visibility,
    Vote,
)
from projectoffice.participation.similar import forget, text_lemmas
from projectoffice.participation.surveys import clean_answers
from projectoffice.projects.models import Project
from projectoffice.projects.services import project_create


def _need(condition: bool, message: str = "Недостаточно прав.") -> None:
    if not condition:
        raise PermissionDenied(message)


def _act(actor: Any, process: Process, action: Action) -> None:
    if not rules.can_participate(actor):
        raise PermissionDenied("Участвовать могут вошедшие участники; заблокированные — нет.")
    if not rules.phase_allows(process, action):
        raise PermissionDenied(f"На текущем этапе процесса нельзя {Action(action).label}.")


def _clean(value: str, label: str, *, required: bool = True) -> str:
    value = strip_invisible(value or "").strip()
    if required and not value:
        raise ValidationError({label: "Заполните поле."})
    return value


def reference_load() -> tuple[int, int]:
    """The national goals and the default states of official answers (what the data migration loads), again:
    idempotent, for a database that was emptied (the demo loader and the tests call it)."""
    for row in goal_rows():
        Goal.objects.update_or_create(code=row["code"], defaults=row)
    for order, (name, accepted, justification) in enumerate(ANSWER_STATES):
        AnswerState.objects.get_or_create(
            name=name, defaults={"is_accepted": accepted, "needs_justification": justification, "order": order}
        )
    return Goal.objects.count(), AnswerState.objects.count()


def notify(user: User, text: str, url: str = "") -> Notification:
    return Notification.objects.create(user=user, text=text[:500], url=url)


def _history(proposal: Proposal, text: str) -> None:
    ProposalEvent.objects.create(proposal=proposal, text=text[:400])


# --- proposals -----------------------------------------------------------------------------------------------


def _apply(proposal: Proposal, data: dict[str, Any]) -> None:
    proposal.title = _clean(data.get("title", ""), "title")
    proposal.body = _clean(data.get("body", ""), "body")
    proposal.category = data.get("category") or "other"
    proposal.lemmas = " ".join(text_lemmas(f"{proposal.title} {proposal.body}"))
    proposal.full_clean(exclude=["author", "process"])
    proposal.save()
    forget(proposal.process_id)
    if "goals" in data:
        proposal.goals.set(data["goals"])


@transaction.atomic
def proposal_create(*, actor: User, process: Process, data: dict[str, Any]) -> Proposal:
    _act(actor, process, Action.PROPOSE)
    organisation: Organisation | None = data.get("organisation")
    _need(rules.can_speak_for(actor, organisation.pk if organisation else None),
          "От имени организации подают только её участники.")  # fmt: skip
    proposal = Proposal(process=process, author=actor, organisation=organisation)
    _apply(proposal, data)
    _history(proposal, f"Подано{' от имени ' + str(organisation) if organisation else ''}")
    Follow.objects.create(user=actor, proposal=proposal)  # the author hears of answers and comments
    audit_record(
        actor=actor, action="participation.created", instance=proposal, changes={"title": {"after": proposal.title}}
    )
    return proposal


@transaction.atomic
def proposal_update(*, actor: User, proposal: Proposal, data: dict[str, Any]) -> Proposal:
    _need(
        rules.can_edit_proposal(actor, proposal), "Править предложение можно только автору и только в отведённое время."
    )
    before = {"title": proposal.title, "body": proposal.body}
    _apply(proposal, data)
    _history(proposal, "Исправлено автором")
    changes = {k: {"before": v, "after": getattr(proposal, k)} for k, v in before.items() if v != getattr(proposal, k)}
    audit_record(actor=actor, action="participation.updated", instance=proposal, changes=changes)
    return proposal


@transaction.atomic
def proposal_withdraw(*, actor: User, proposal: Proposal, reason: str) -> Proposal:
    _need(rules.can_withdraw(actor, proposal), "Отозвать предложение может только его автор.")
    proposal.withdrawn_reason = _clean(reason, "reason")
    proposal.status = ProposalStatus.WITHDRAWN
    proposal.save(update_fields=["status", "withdrawn_reason", "updated_at"])
    forget(proposal.process_id)
    _history(proposal, f"Отозвано автором: {proposal.withdrawn_reason}")
    audit_record(actor=actor, action="participation.withdrawn", instance=proposal, message=proposal.withdrawn_reason)
    return proposal


def _recount(proposal: Proposal) -> None:
    before = proposal.supports_count
    proposal.supports_count = proposal.supports.count()
    proposal.save(update_fields=["supports_count", "updated_at"])
    threshold = proposal.process.support_threshold
    if before < threshold <= proposal.supports_count:
        _history(proposal, "Набрано достаточно поддержек: ждёт официального ответа")


class AlreadySupported(ValidationError):
    """The person has supported this proposal before (one support per person): the API answers 409."""


@transaction.atomic
def support_add(*, actor: User, proposal: Proposal) -> Support:
    _act(actor, proposal.process, Action.SUPPORT)
    _need(proposal.status == ProposalStatus.PUBLISHED and proposal.visibility == Visibility.VISIBLE,
          "Это предложение нельзя поддержать.")  # fmt: skip
    _need(proposal.author_id != actor.pk, "Своё предложение поддерживать не нужно.")
    try:
        with transaction.atomic():
            support = Support.objects.create(proposal=proposal, user=actor)
    except IntegrityError:
        raise AlreadySupported("Вы уже поддержали это предложение: поддержать можно один раз.") from None
    _recount(proposal)
    return support


@transaction.atomic
def endorsement_add(*, actor: User, proposal: Proposal, organisation: Organisation) -> Endorsement:
    _act(actor, proposal.process, Action.SUPPORT)
    _need(rules.can_speak_for(actor, organisation.pk), "Поддержать от имени организации может только её участник.")
    endorsement, created = Endorsement.objects.get_or_create(
        proposal=proposal, organisation=organisation, defaults={"by": actor}
    )
    if not created:
        raise ValidationError("Организация уже поддержала это предложение.")
    _history(proposal, f"Поддержано организацией «{organisation}»")
    return endorsement


# --- official answers ----------------------------------------------------------------------------------------


@transaction.atomic
def evaluator_assign(*, actor: User, proposal: Proposal, expert: User) -> Evaluation:
    _need(rules.can_manage(actor))
    if not expert.is_expert:
        raise ValidationError("Оценивать предложения назначают экспертов платформы.")
    evaluation, _ = Evaluation.objects.get_or_create(proposal=proposal, expert=expert)
    audit_record(actor=actor, action="participation.evaluator_assigned", instance=proposal, message=str(expert))
    notify(
        expert, f"Вам назначено предложение «{proposal.title}»", reverse("participation:proposal", args=[proposal.pk])
    )
    return evaluation


@transaction.atomic
def evaluation_note(*, actor: User, evaluation: Evaluation, note: str) -> Evaluation:
    _need(rules.can_see_evaluation(actor, evaluation))
    evaluation.note = _clean(note, "note", required=False)
    evaluation.save(update_fields=["note", "updated_at"])
    return evaluation


@transaction.atomic
def answer_draft(*, actor: User, proposal: Proposal, state: AnswerState, text: str) -> Answer:
    """A new or changed answer stays a draft until the office publishes the drafts together."""
    _need(rules.can_manage(actor), "Официально отвечает только офис.")
    text = _clean(text, "text", required=state.needs_justification)
    answer = Answer.objects.filter(proposal=proposal).first() or Answer(proposal=proposal)
    answer.state, answer.text, answer.drafted_by, answer.drafted_at = state, text, actor, timezone.now()
    answer.published_at = None
    answer.save()
    audit_record(actor=actor, action="participation.answer_drafted", instance=proposal, message=f"{state}: {text}")
    return answer


@transaction.atomic
def answers_publish(*, actor: User, process: Process) -> list[Answer]:
    """Publish every drafted answer of the process at once; each author is told."""
    _need(rules.can_manage(actor), "Публикует ответы только офис.")
    drafts_ = list(
        Answer.objects.select_for_update()
        .filter(proposal__process=process, published_at__isnull=True)
        .select_related("proposal__author", "state")
    )
    now = timezone.now()
    for answer in drafts_:
        answer.published_at = now
        answer.save(update_fields=["published_at"])
        _history(answer.proposal, f"Официальный ответ: {answer.state}")
        audit_record(
            actor=actor, action="participation.answer_published", instance=answer.proposal, message=str(answer.state)
        )
        notify_followers(answer.proposal, f"Опубликован ответ офиса на предложение «{answer.proposal.title}»: "
                         f"{answer.state}", reverse("participation:proposal", args=[answer.proposal_id]),
                         except_user=answer.proposal.author_id)  # fmt: skip
        notify(answer.proposal.author, f"Офис ответил на ваше предложение «{answer.proposal.title}»: {answer.state}",
               reverse("participation:proposal", args=[answer.proposal_id]))  # fmt: skip
    return drafts_


@transaction.atomic
def proposals_merge(*, actor: User, duplicate: Proposal, into: Proposal, reason: str) -> Proposal:
    """The duplicate's supports, endorsements and comments move to the kept proposal (a person who supported both
    counts once); the duplicate stays, marked as merged, with its history."""
    _need(rules.can_manage(actor), "Объединяет предложения только офис.")
    if duplicate.pk == into.pk or duplicate.process_id != into.process_id:
        raise ValidationError("Объединять можно два разных предложения одного процесса.")
    reason = _clean(reason, "reason")
    supporters = set(into.supports.values_list("user_id", flat=True)) | {into.author_id}
    Support.objects.filter(proposal=duplicate).exclude(user_id__in=supporters).update(proposal=into)
    if duplicate.author_id not in supporters:
        Support.objects.create(proposal=into, user_id=duplicate.author_id, created_at=duplicate.created_at)
    Support.objects.filter(proposal=duplicate).delete()
    orgs = set(into.endorsements.values_list("organisation_id", flat=True))
    Endorsement.objects.filter(proposal=duplicate).exclude(organisation_id__in=orgs).update(proposal=into)
    Comment.objects.filter(proposal=duplicate).update(proposal=into)
    duplicate.status, duplicate.merged_into = ProposalStatus.MERGED, into
    duplicate.save(update_fields=["status", "merged_into", "updated_at"])
    forget(duplicate.process_id)
    _recount(duplicate)
    _recount(into)
    _history(duplicate, f"Объединено с предложением «{into.title}»: {reason}")
    _history(into, f"Присоединено предложение «{duplicate.title}» с его поддержками: {reason}")
    audit_record(
        actor=actor, action="participation.proposals_merged", instance=duplicate, message=f"→ {into.pk}: {reason}"
    )
    notify(
        duplicate.author,
        f"Ваше предложение объединено с «{into.title}»",
        reverse("participation:proposal", args=[into.pk]),
    )
    return into


@transaction.atomic
def project_from_proposal(*, actor: User, proposal: Proposal, lead_organisation: Organisation) -> Project:
    """«Создать проект из предложения»: an accepted proposal becomes an idea in the pipeline, linked both ways."""
    _need(rules.can_manage(actor), "Проект из предложения создаёт офис.")
    answer = Answer.objects.filter(proposal=proposal, published_at__isnull=False).select_related("state").first()
    if answer is None or not answer.state.is_accepted:
        raise ValidationError("Проект создаётся только из принятого предложения с опубликованным ответом.")
    if proposal.project_id:
        raise ValidationError("Из этого предложения проект уже создан.")
    project = project_create(
        actor=actor,
        data={"title": proposal.title[:250], "summary": proposal.body, "lead_organisation": lead_organisation},
        is_demo=proposal.is_demo,
    )
    proposal.project = project
    proposal.save(update_fields=["project", "updated_at"])
    _history(proposal, f"Создан проект «{project.title}»")
    audit_record(actor=actor, action="participation.project_made", instance=proposal, message=f"проект № {project.pk}")
    return project


# --- comments ------------------------------------------------------------------------------------------------


def _process_of(subject: Proposal | Debate | Remark) -> Process:
    if isinstance(subject, Remark):
        return subject.paragraph.version.draft.process
    return subject.process


def _subject_key(comment: Comment) -> tuple[int | None, int | None, int | None]:
    return comment.proposal_id, comment.debate_id, comment.remark_id


@transaction.atomic
def comment_add(
    *,
    actor: User,
    subject: Proposal | Debate | Remark,
    body: str,
    stance: str = "neutral",
    parent: Comment | None = None,
) -> Comment:
    """A comment on a proposal, a debate or a remark to the draft (the discussion of a remark is open while the
    phase takes remarks or comments), threaded to COMMENT_MAX_DEPTH."""
    process = _process_of(subject)
    if isinstance(subject, Remark):
        _need(rules.can_act(actor, process, Action.REMARK) or rules.can_act(actor, process, Action.COMMENT),
              "Сейчас этап процесса этого не позволяет.")  # fmt: skip
        _need(subject.visibility == Visibility.VISIBLE, "Это замечание скрыто.")
    else:
        _act(actor, process, Action.COMMENT)
    comment = Comment(author=actor, body=_clean(body, "body"), stance=stance)
    if isinstance(subject, Proposal):
        comment.proposal = subject
    elif isinstance(subject, Remark):
        comment.remark = subject
    else:
        comment.debate = subject
    if parent is not None:
        if _subject_key(parent) != _subject_key(comment):
            raise ValidationError("Ответ должен относиться к тому же обсуждению.")
        while parent.depth >= COMMENT_MAX_DEPTH and parent.parent is not None:  # deeper go to the deepest level
            parent = parent.parent
        comment.parent, comment.depth = parent, parent.depth + 1
    comment.full_clean(exclude=["author", "proposal", "debate", "remark", "parent"])
    comment.save()
    if isinstance(subject, Proposal):
        url = reverse("participation:proposal", args=[subject.pk]) + f"#c{comment.pk}"
        notify_followers(subject, f"Новый комментарий к предложению «{subject.title}»", url, except_user=actor.pk)
    elif isinstance(subject, Remark) and subject.author_id != actor.pk:
        notify(subject.author, f"Ответ на ваше замечание к п. {subject.paragraph.number}",
               reverse("participation:remark", args=[subject.pk]) + f"#c{comment.pk}")  # fmt: skip
    return comment


@transaction.atomic
def comment_edit(*, actor: User, comment: Comment, body: str) -> Comment:
    _need(comment.author_id == actor.pk and not comment.is_deleted, "Исправить комментарий может только автор.")
    body = _clean(body, "body")
    if body != comment.body:
        CommentRevision.objects.create(comment=comment, body=comment.body)
        comment.body, comment.edited_at = body, timezone.now()
        comment.full_clean(exclude=["author", "proposal", "debate", "remark", "parent"])
        comment.save(update_fields=["body", "edited_at"])
    return comment


@transaction.atomic
def comment_delete(*, actor: User, comment: Comment) -> Comment:
    """Soft deletion: the thread keeps its place, the text is no longer shown."""
    _need(comment.author_id == actor.pk or rules.can_manage(actor), "Удалить комментарий может только автор.")
    comment.is_deleted = True
    comment.save(update_fields=["is_deleted"])
    return comment


def _vote(actor: User, target: Comment | Remark, value: int) -> None:
    if value not in (1, -1):
        raise ValidationError("Голос — «за» или «против».")
    _need(rules.can_participate(actor), "Голосовать могут вошедшие участники.")
    _need(target.author_id != actor.pk, "За своё голосовать нельзя.")
    key = {"comment": target} if isinstance(target, Comment) else {"remark": target}
    Vote.objects.update_or_create(user=actor, defaults={"value": value}, **key)
    target.up = target.votes.filter(value=1).count()
    target.down = target.votes.filter(value=-1).count()
    target.save(update_fields=["up", "down"])


@transaction.atomic
def comment_vote(*, actor: User, comment: Comment, value: int) -> Comment:
    _vote(actor, comment, value)
    return comment


@transaction.atomic
def remark_vote(*, actor: User, remark: Remark, value: int) -> Remark:
    """Up or down on a remark to the draft, one vote per person (changeable), like comments."""
    _need(remark.visibility == Visibility.VISIBLE, "Это замечание скрыто.")
    _vote(actor, remark, value)
    return remark


# --- moderation ----------------------------------------------------------------------------------------------

MODERATED = (Comment, Proposal, Remark)


def _excerpt(content: Any) -> str:
    return (getattr(content, "title", "") or getattr(content, "body", "") or getattr(content, "text", ""))[:300]


@transaction.atomic
def report_add(*, actor: User, content: Comment | Proposal | Remark, reason: str, text: str = "") -> ModerationCase:
    """A report; after AUTO_HIDE_REPORTS people report the same content it is hidden until a moderator decides."""
    _need(rules.can_participate(actor), "Пожаловаться могут вошедшие участники.")
    if not isinstance(content, MODERATED):
        raise ValidationError("На это пожаловаться нельзя.")
    case, _ = ModerationCase.objects.select_for_update().get_or_create(
        content_type=ContentType.objects.get_for_model(content),
        object_id=content.pk,
        defaults={"author_id": content.author_id, "excerpt": _excerpt(content)},
    )
    report = Report(case=case, reporter=actor, reason=reason, text=_clean(text, "text", required=False))
    report.full_clean(exclude=["case", "reporter"])
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        raise ValidationError("Вы уже пожаловались на это.") from None
    case.reports_count = case.reports.count()
    if case.state != CaseState.PENDING and case.state != CaseState.HIDDEN:
        case.state = CaseState.PENDING  # new reports after a decision reopen the case
    case.save(update_fields=["reports_count", "state"])
    if case.state == CaseState.PENDING and case.reports_count >= rules.AUTO_HIDE_REPORTS:
        _set_visibility(content, Visibility.PENDING)
    return case


def _set_visibility(content: models.Model, visibility: str) -> None:
    content._meta.model._default_manager.filter(pk=content.pk).update(visibility=visibility)
    if isinstance(content, Proposal):
        forget(content.process_id)


DECISIONS = {"hide": CaseState.HIDDEN, "restore": CaseState.RESTORED, "ignore": CaseState.IGNORED}


@transaction.atomic
def moderation_decide(*, actor: User, case: ModerationCase, decision: str, reason: str) -> ModerationCase:
    """Hide, restore or ignore the reports, with a written reason; the author is told; repeat offenders blocked."""
    _need(rules.can_manage(actor), "Модерирует только офис.")
    if decision not in DECISIONS:
        raise ValidationError("Решение: скрыть, восстановить или отклонить жалобы.")
    case.state = DECISIONS[decision]
    case.decision_reason = _clean(reason, "reason")
    case.decided_by, case.decided_at = actor, timezone.now()
    case.save()
    content = case.content
    if content is not None:
        _set_visibility(content, Visibility.HIDDEN if decision == "hide" else Visibility.VISIBLE)
    audit_record(actor=actor, action="participation.moderated", instance=case,
                 changes={"state": {"after": case.state}}, message=case.decision_reason)  # fmt: skip
    verdict = {"hide": "скрыт модератором", "restore": "восстановлен", "ignore": "оставлен без изменений"}[decision]
    notify(
        case.author,
        f"Ваш текст «{case.excerpt[:80]}» {verdict}: {case.decision_reason}",
        reverse("participation:notifications"),
    )
    if decision == "hide":
        _block_if_repeated(actor, case.author)
    return case


def _block_if_repeated(actor: User, author: User) -> None:
    hidden = ModerationCase.objects.filter(author=author, state=CaseState.HIDDEN).count()
    if hidden >= rules.BLOCK_AFTER_HIDDEN and not Block.objects.filter(user=author).exists():
        block = Block.objects.create(user=author, reason=f"Скрыто модератором: {hidden} публикаций")
        audit_record(actor=actor, action="participation.blocked", instance=block, message=block.reason)
        notify(
            author, "Участие приостановлено: модераторы скрыли несколько ваших публикаций. Читать можно по-прежнему."
        )


# --- consultation on the draft -------------------------------------------------------------------------------


@transaction.atomic
def version_publish(*, actor: User, process: Process, title: str, text: str, changelog: str = "",
                    is_final: bool = False) -> DraftVersion:  # fmt: skip
    """A new version of the process's draft, split into sections and paragraphs with stable anchors."""
    _need(rules.can_manage(actor), "Публикует редакции только офис.")
    text = _clean(text, "text")
    blocks = drafts.split(text)
    if not blocks:
        raise ValidationError({"text": "В тексте нет ни одного пункта."})
    draft, _ = Draft.objects.get_or_create(process=process, defaults={"title": _clean(title, "title")})
    number = (draft.versions.aggregate(n=models.Max("number"))["n"] or 0) + 1
    version = DraftVersion.objects.create(draft=draft, number=number, text=text, changelog=changelog.strip(),
                                          is_final=is_final, published_by=actor)  # fmt: skip
    Paragraph.objects.bulk_create(
        Paragraph(
            version=version,
            order=i,
            section_anchor=b.section_anchor,
            section_title=b.section_title,
            anchor=b.anchor,
            number=b.number,
            text=b.text,
            html=b.html,
        )
        for i, b in enumerate(blocks)
    )
    notify_followers(process, f"Опубликована редакция {number} документа «{draft.title}»",
                     reverse("participation:draft", args=[process.slug]), except_user=actor.pk)  # fmt: skip
    audit_record(actor=actor, action="participation.version_published", instance=version,
                 message=f"редакция {number}: {changelog.strip()}")  # fmt: skip
    return version


def _normal(text: str) -> str:
    return " ".join(text.split())


@transaction.atomic
def remark_add(*, actor: User, paragraph: Paragraph, text: str, quote: str = "",
               organisation: Organisation | None = None) -> Remark:  # fmt: skip
    """A remark on a paragraph of the latest version, or on a passage of it (the quote must be in the paragraph)."""
    version = paragraph.version
    _act(actor, version.draft.process, Action.REMARK)
    latest = version.draft.versions.order_by("-number").values_list("pk", flat=True).first()
    if version.pk != latest or version.is_final:
        raise ValidationError("Замечания принимаются к последней редакции до окончательной.")
    _need(
        rules.can_speak_for(actor, organisation.pk if organisation else None),
        "От имени организации пишут её участники.",
    )
    quote = _normal(_clean(quote, "quote", required=False))
    if quote and quote not in _normal(paragraph.text):
        raise ValidationError({"quote": "Цитата должна быть фрагментом пункта."})
    remark = Remark(
        paragraph=paragraph, author=actor, organisation=organisation, quote=quote, text=_clean(text, "text")
    )
    remark.full_clean(exclude=["paragraph", "author", "organisation"])
    remark.save()
    return remark


@transaction.atomic
def remark_dispose(*, actor: User, remark: Remark, disposition: str, justification: str) -> Remark:
    """учтено / учтено частично / не учтено; the last two need a justification."""
    _need(rules.can_manage(actor), "Решение по замечаниям принимает только офис.")
    if disposition not in {Disposition.ACCEPTED, Disposition.PARTIAL, Disposition.REJECTED}:
        raise ValidationError({"disposition": "Выберите: учтено, учтено частично или не учтено."})
    justification = _clean(justification, "justification", required=disposition != Disposition.ACCEPTED)
    before = remark.get_disposition_display()
    remark.disposition, remark.justification = disposition, justification
    remark.disposed_by, remark.disposed_at = actor, timezone.now()
    remark.save(update_fields=["disposition", "justification", "disposed_by", "disposed_at"])
    audit_record(actor=actor, action="participation.disposed", instance=remark,
                 changes={"disposition": {"before": before, "after": remark.get_disposition_display()}},
                 message=justification)  # fmt: skip
    notify(remark.author, f"По вашему замечанию решение: {remark.get_disposition_display()}",
           reverse("participation:draft", args=[version_slug(remark)]) + f"#{remark.paragraph.anchor}")  # fmt: skip
    return remark


def version_slug(remark: Remark) -> str:
    return remark.paragraph.version.draft.process.slug


# --- surveys -------------------------------------------------------------------------------------------------


@transaction.atomic
def survey_answer(*, actor: User, survey: Survey, data: dict[str, Any]) -> SurveyResponse:
    """One answer per person, while the survey's phase lasts and opens surveys."""
    if survey.is_closed() or not rules.can_participate(actor) or Action.SURVEY not in survey.phase.actions:
        raise PermissionDenied("Опрос сейчас не принимает ответы.")
    today = timezone.localdate()
    if today < survey.phase.starts_on:
        raise PermissionDenied("Опрос ещё не начался.")
    answers = clean_answers(survey, data)
    try:
        with transaction.atomic():
            return SurveyResponse.objects.create(survey=survey, user=actor, answers=answers)
    except IntegrityError:
        raise ValidationError("Вы уже ответили на этот опрос: ответить можно один раз.") from None


# --- following -----------------------------------------------------------------------------------------------


@transaction.atomic
def follow_toggle(*, actor: User, subject: Process | Proposal) -> bool:
    """Follow a process or a proposal, or stop following it; True when the person follows it now."""
    _need(isinstance(actor, User) and actor.is_active, "Подписываются вошедшие пользователи.")
    key = {"process": subject} if isinstance(subject, Process) else {"proposal": subject}
    deleted, _ = Follow.objects.filter(user=actor, **key).delete()
    if deleted:
        return False
    Follow.objects.create(user=actor, **key)
    return True


def notify_followers(subject: Process | Proposal, text: str, url: str, *, except_user: int | None = None) -> int:
    """A notification to everyone following the subject (but the person who caused it)."""
    key = {"process": subject} if isinstance(subject, Process) else {"proposal": subject}
    users = User.objects.filter(participation_follows__in=Follow.objects.filter(**key))
    if except_user is not None:
        users = users.exclude(pk=except_user)
    Notification.objects.bulk_create(Notification(user=u, text=text[:500], url=url) for u in users)
    return len(users)


@transaction.atomic
def digest_set(*, actor: User, frequency: str) -> DigestSetting:
    """How often one's participation notifications come by e-mail: none, daily or weekly."""
    _need(isinstance(actor, User) and actor.is_active, "Настраивают письма вошедшие пользователи.")
    if frequency not in DigestFrequency.values:
        raise ValidationError("Выберите, как часто присылать письма: не присылать, раз в день или раз в неделю.")
    setting, _ = DigestSetting.objects.get_or_create(user=actor)
    if setting.frequency != frequency:
        before = setting.frequency
        setting.frequency = frequency
        setting.save(update_fields=["frequency"])
        labels = dict(DigestFrequency.choices)
        audit_record(actor=actor, action="participation.digest_set", instance=actor,
                     message=f"письма с уведомлениями: «{labels[before]}» → «{labels[frequency]}»")  # fmt: skip
    return setting


# --- the office's pages for phases, surveys and results ------------------------------------------------------

STAFF_RECORDS = (Phase, Survey, SurveyQuestion, Result)


@transaction.atomic
def staff_save(*, actor: User, instance: models.Model, m2m: dict[str, list[Any]] | None = None) -> models.Model:
    """Save a phase, survey, survey question or result entered on the office's pages: staff only, the model's own
    rules checked (dates, manual progress with evidence), many-to-many links set, the change audited."""
    _need(rules.can_manage(actor), "Этапы, опросы и результаты ведёт офис.")
    if not isinstance(instance, STAFF_RECORDS):
        raise ValidationError("Это здесь не редактируется.")
    created = instance.pk is None
    instance.full_clean()
    instance.save()
    for name, values in (m2m or {}).items():
        getattr(instance, name).set(values)
    label = instance._meta.verbose_name
    audit_record(actor=actor, action=f"participation.{instance._meta.model_name}_{'added' if created else 'changed'}",
                 instance=instance, message=f"{label}: {instance}")  # fmt: skip
    return instance


# --- verified affiliation ------------------------------------------------------------------------------------


@transaction.atomic
def affiliation_request(*, actor: User, organisation: Organisation, position: str = "") -> Affiliation:
    """A participant asks to be shown as a member of a registry organisation."""
    _need(rules.can_participate(actor), "Запросить принадлежность могут вошедшие участники.")
    if organisation.pk in actor.organisation_ids:
        raise ValidationError("Вы уже участник этой организации.")
    affiliation, created = Affiliation.objects.get_or_create(
        user=actor, organisation=organisation, defaults={"position": _clean(position, "position", required=False)}
    )
    if not created:
        raise ValidationError("Запрос уже отправлен.")
    return affiliation


@transaction.atomic
def affiliation_decide(*, actor: User, affiliation: Affiliation, confirm: bool) -> Affiliation:
    """A member of the organisation or the office confirms (the person becomes a member) or declines the claim."""
    _need(rules.can_confirm_affiliation(actor, affiliation.organisation_id),
          "Подтверждают участники этой организации или офис.")  # fmt: skip
    if affiliation.state != "pending":
        raise ValidationError("По этому запросу уже есть решение.")
    affiliation.state = "confirmed" if confirm else "declined"
    affiliation.decided_by, affiliation.decided_at = actor, timezone.now()
    affiliation.save(update_fields=["state", "decided_by", "decided_at"])
    if confirm:
        membership_add(actor=actor, user=affiliation.user, organisation=affiliation.organisation,
                       position=affiliation.position)  # fmt: skip
    verdict = "подтвердила" if confirm else "не подтвердила"
    notify(affiliation.user, f"Организация «{affiliation.organisation}» {verdict} вашу принадлежность к ней",
           reverse("participation:affiliations"))  # fmt: skip
    return affiliation
