"""Participation pages: processes and goals, proposals with official answers, debates and comments, moderation,
and the consultation on the strategy draft with its disposition register. Anyone reads; writes go through
services, which check the rules again."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from projectoffice.accounts.http import acting_user, error_text, require
from projectoffice.accounts.models import User
from projectoffice.organisations.models import Organisation
from projectoffice.participation import (
    documents,
    drafts,
    forms,
    rules,
    selectors,
    services,
    similar,
    staff_forms,
    stats,
)
from projectoffice.participation.models import (
    Action,
    Affiliation,
    AnswerState,
    Comment,
    Debate,
    DigestFrequency,
    DigestSetting,
    Evaluation,
    ModerationCase,
    Paragraph,
    Phase,
    Process,
    Proposal,
    ProposalStatus,
    QuestionKind,
    Remark,
    Result,
    Survey,
    SurveyQuestion,
    Visibility,
)
from projectoffice.participation.surveys import results as survey_results
from projectoffice.participation.surveys import results_csv
from projectoffice.projects import rules as project_rules
from projectoffice.projects import selectors as project_selectors
from projectoffice.projects.models import Project


def _process(request: HttpRequest, slug: str) -> Process:
    process = Process.objects.prefetch_related("phases", "goals").filter(slug=slug).first()
    if process is None or not rules.can_view_process(request.user, process):
        raise Http404
    return process


def _proposal(request: HttpRequest, pk: int) -> Proposal:
    proposal = Proposal.objects.select_related("process", "author", "organisation", "project").filter(pk=pk).first()
    if proposal is None or not rules.can_view_process(request.user, proposal.process):
        raise Http404
    if proposal.visibility != Visibility.VISIBLE and not rules.can_manage(request.user):
        raise Http404
    return proposal


def _done(request: HttpRequest, target: str, action: Any, success: str) -> HttpResponse:
    """Run a service; its refusal becomes an error message, its success a confirmation; back to the page."""
    try:
        action()
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc, "Действие не разрешено."))
    else:
        messages.success(request, success)
    return redirect(target)


# --- processes and goals -------------------------------------------------------------------------------------


def process_list(request: HttpRequest) -> HttpResponse:
    goal = request.GET.get("goal", "")[:40]
    return render(request, "participation/list.html", {
        "groups": selectors.processes(request.user, goal=goal), "goals": selectors.goals(), "goal": goal,
    })  # fmt: skip


def goal_list(request: HttpRequest) -> HttpResponse:
    return render(request, "participation/goals.html", {"goals": selectors.goals()})


def process_detail(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process(request, slug)
    goal, category, order = (request.GET.get(k, "")[:40] for k in ("goal", "category", "order"))
    rows = selectors.proposals(process, goal=goal, category=category, order=order)
    return render(request, "participation/process.html", {
        "process": process,
        "phase": rules.current_phase(process),
        "proposals": rows,
        "debates": process.debates.all(),
        "surveys": Survey.objects.filter(phase__process=process).select_related("phase"),
        "version": selectors.version_of(process),
        "can_propose": rules.can_act(request.user, process, Action.PROPOSE),
        "can_manage": rules.can_manage(request.user),
        "following": isinstance(request.user, User) and process.follows.filter(user=request.user).exists(),
        "drafted": process.proposals.filter(answer__published_at__isnull=True, answer__isnull=False).count(),
        "stats": stats.process_stats(process) if rules.can_manage(request.user) else None,
        "goal": goal, "category": category, "order": order,
        "categories": Proposal._meta.get_field("category").choices,
    })  # fmt: skip


@require(rules.can_manage)
def process_stats_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process(request, slug)
    response = HttpResponse(
        stats.stats_xlsx(stats.process_stats(process)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="uchastie-{process.slug}.xlsx"'
    return response


# --- proposals -----------------------------------------------------------------------------------------------


@login_required
def proposal_new(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process(request, slug)
    user = acting_user(request)
    if not rules.can_act(user, process, Action.PROPOSE):
        raise PermissionDenied
    form = forms.ProposalForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_create(actor=user, process=process, data=form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, "Предложение опубликовано.")
            return redirect("participation:proposal", proposal.pk)
    return render(
        request, "participation/proposal_form.html", {"form": form, "process": process, "title": "Новое предложение"}
    )


def proposal_similar(request: HttpRequest, slug: str) -> HttpResponse:
    """While typing: similar proposals of the process and pipeline projects the person may see (htmx)."""
    process = _process(request, slug)
    text = f"{request.GET.get('title', '')[:200]} {request.GET.get('body', '')[:2000]}".strip()
    exclude = request.GET.get("exclude", "")
    hits = projects = []
    if len(text) >= 8:
        shown = Proposal.objects.shown().filter(process=process, status=ProposalStatus.PUBLISHED)
        hits = similar.rank(similar.proposal_index(process.pk, shown), text, limit=5,
                            exclude=int(exclude) if exclude.isdigit() else None)  # fmt: skip
        if project_rules.can_list(request.user):
            found = similar.rank(similar.project_index(Project.objects.all()), text, limit=10)
            visible = set(project_rules_visible(request.user, [h.pk for h in found]))
            projects = [h for h in found if h.pk in visible][:3]
    return render(request, "participation/_similar.html", {"hits": hits, "projects": projects})


def project_rules_visible(user: Any, ids: list[int]) -> list[int]:
    return [
        p.pk
        for p in Project.objects.filter(pk__in=ids).prefetch_related("partnerships")
        if project_rules.can_view(user, p)
    ]


def _answer_initial(answer: Any) -> dict[str, Any] | None:
    return {"state": answer.state_id, "text": answer.text} if answer else None


def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    user = request.user
    page = selectors.thread_page(proposal=proposal, limit=_threads(request))
    evaluations = [e for e in proposal.evaluations.select_related("expert") if rules.can_see_evaluation(user, e)]
    answer = getattr(proposal, "answer", None)
    context = {
        "proposal": proposal,
        "process": proposal.process,
        "answer": answer if (answer and (answer.published_at or rules.can_manage(user))) else None,
        "evaluations": evaluations,
        "endorsements": proposal.endorsements.select_related("organisation"),
        "history": proposal.history.all(),
        **_thread_context(request, proposal, proposal.process, page),
        "can_support": rules.can_act(user, proposal.process, Action.SUPPORT) and proposal.status == "published",
        "can_edit": rules.can_edit_proposal(user, proposal),
        "can_withdraw": rules.can_withdraw(user, proposal),
        "can_manage": rules.can_manage(user),
        "supported": isinstance(user, User) and proposal.supports.filter(user=user).exists(),
        "following": isinstance(user, User) and proposal.follows.filter(user=user).exists(),
        "comment_form": forms.CommentForm(),
        "report_form": forms.ReportForm(),
        "own_organisations": Organisation.objects.filter(pk__in=getattr(user, "organisation_ids", ())),
    }
    if rules.can_manage(user):
        context.update({
            "answer_form": forms.AnswerForm(initial=_answer_initial(answer)),
            "experts": User.objects.filter(role="expert", is_active=True).order_by("last_name", "username"),
            "organisations": Organisation.objects.order_by("name")[:500],
        })  # fmt: skip
    return render(request, "participation/proposal.html", context)


@login_required
def proposal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    user = acting_user(request)
    if not rules.can_edit_proposal(user, proposal):
        raise PermissionDenied
    initial = {
        "title": proposal.title,
        "body": proposal.body,
        "category": proposal.category,
        "goals": proposal.goals.all(),
    }
    form = forms.ProposalForm(request.POST or None, initial=initial, user=user, with_organisation=False)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_update(actor=user, proposal=proposal, data=form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
        else:
            return redirect("participation:proposal", proposal.pk)
    return render(
        request,
        "participation/proposal_form.html",
        {"form": form, "process": proposal.process, "title": "Исправить предложение", "proposal": proposal},
    )


@require_POST
@login_required
def proposal_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    form = forms.WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _done(request, f"/participation/proposals/{pk}/",
                 lambda: services.proposal_withdraw(actor=acting_user(request), proposal=proposal, reason=reason),
                 "Предложение отозвано.")  # fmt: skip


@require_POST
@login_required
def proposal_support(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    user = acting_user(request)
    organisation_id = request.POST.get("organisation", "")
    if organisation_id.isdigit():
        organisation = get_object_or_404(Organisation, pk=organisation_id)
        return _done(request, f"/participation/proposals/{pk}/",
                     lambda: services.endorsement_add(actor=user, proposal=proposal, organisation=organisation),
                     f"Организация «{organisation}» поддержала предложение.")  # fmt: skip
    return _done(
        request,
        f"/participation/proposals/{pk}/",
        lambda: services.support_add(actor=user, proposal=proposal),
        "Вы поддержали предложение.",
    )


@require_POST
@require(rules.can_manage)
def proposal_answer(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    form = forms.AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Выберите состояние ответа.")
        return redirect("participation:proposal", pk)
    state: AnswerState = form.cleaned_data["state"]
    return _done(request, f"/participation/proposals/{pk}/",
                 lambda: services.answer_draft(actor=acting_user(request), proposal=proposal, state=state,
                                               text=form.cleaned_data["text"]),
                 "Ответ сохранён как черновик: он появится после публикации ответов процесса.")  # fmt: skip


@require_POST
@require(rules.can_manage)
def proposal_evaluator(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    expert = get_object_or_404(
        User, pk=request.POST.get("expert", "0") if request.POST.get("expert", "").isdigit() else 0
    )
    return _done(request, f"/participation/proposals/{pk}/",
                 lambda: services.evaluator_assign(actor=acting_user(request), proposal=proposal, expert=expert),
                 f"Эксперт {expert} назначен.")  # fmt: skip


@require_POST
@login_required
def evaluation_note(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_object_or_404(Evaluation, pk=pk)
    if not rules.can_see_evaluation(request.user, evaluation):
        raise Http404
    note = request.POST.get("note", "")[:10_000]
    return _done(request, f"/participation/proposals/{evaluation.proposal_id}/",
                 lambda: services.evaluation_note(actor=acting_user(request), evaluation=evaluation, note=note),
                 "Заметка сохранена.")  # fmt: skip


@require_POST
@require(rules.can_manage)
def answers_publish(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process(request, slug)
    try:
        published = services.answers_publish(actor=acting_user(request), process=process)
    except PermissionDenied as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, f"Опубликовано ответов: {len(published)}.")
    return redirect("participation:process", slug)


@require_POST
@require(rules.can_manage)
def proposal_merge(request: HttpRequest, pk: int) -> HttpResponse:
    duplicate = _proposal(request, pk)
    into_id = request.POST.get("into", "")
    into = get_object_or_404(Proposal, pk=into_id if into_id.isdigit() else 0)
    reason = request.POST.get("reason", "")[:2_000]
    return _done(request, f"/participation/proposals/{into.pk}/",
                 lambda: services.proposals_merge(actor=acting_user(request), duplicate=duplicate, into=into,
                                                  reason=reason),
                 "Предложения объединены, поддержки перенесены.")  # fmt: skip


@require_POST
@require(rules.can_manage)
def proposal_project(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    lead_id = request.POST.get("lead_organisation", "")
    lead = get_object_or_404(Organisation, pk=lead_id if lead_id.isdigit() else 0)
    try:
        project = services.project_from_proposal(actor=acting_user(request), proposal=proposal, lead_organisation=lead)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
        return redirect("participation:proposal", pk)
    messages.success(request, "Проект создан из предложения.")
    return redirect("projects:detail", project.pk)


# --- debates, comments, reports ------------------------------------------------------------------------------


def _threads(request: HttpRequest) -> int:
    """How many top-level comments the page shows: a page's worth, or more after «Показать ещё» without htmx."""
    more = request.GET.get("more", "")
    return min(int(more), 100_000) if more.isdigit() and len(more) < 7 and int(more) > 0 else selectors.THREADS_PER_PAGE


def _thread_context(request: HttpRequest, subject: Proposal | Debate | Remark, process: Process,
                    page: selectors.ThreadPage) -> dict[str, Any]:  # fmt: skip
    kind = {Proposal: "proposal", Debate: "debate", Remark: "remark"}[type(subject)]
    action = Action.COMMENT if kind != "remark" else Action.REMARK
    can_comment = rules.can_act(request.user, process, action) or (
        kind == "remark" and rules.can_act(request.user, process, Action.COMMENT)
    )
    return {
        "nodes": page.nodes, "stances": page.stances, "thread": page, "can_comment": can_comment,
        "can_report": rules.can_participate(request.user),
        "comment_url": f"/participation/{kind}s/{subject.pk}/comment/",
        "more_url": f"/participation/{kind}s/{subject.pk}/comments/",
    }  # fmt: skip


def debate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    debate = get_object_or_404(Debate.objects.select_related("process"), pk=pk)
    if not rules.can_view_process(request.user, debate.process):
        raise Http404
    page = selectors.thread_page(debate=debate, limit=_threads(request))
    return render(request, "participation/debate.html", {
        "debate": debate, "process": debate.process, **_thread_context(request, debate, debate.process, page),
        "can_manage": rules.can_manage(request.user), "comment_form": forms.CommentForm(),
        "report_form": forms.ReportForm(),
    })  # fmt: skip


def _remark(request: HttpRequest, pk: int) -> Remark:
    remark = Remark.objects.select_related("paragraph__version__draft__process", "author", "organisation").filter(
        pk=pk).first()  # fmt: skip
    if remark is None or not rules.can_view_process(request.user, remark.paragraph.version.draft.process):
        raise Http404
    if remark.visibility != Visibility.VISIBLE and not rules.can_manage(request.user):
        raise Http404
    return remark


def remark_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A remark to the draft with its votes and its discussion (threaded replies with a stance, like proposals)."""
    remark = _remark(request, pk)
    process = remark.paragraph.version.draft.process
    page = selectors.thread_page(remark=remark, limit=_threads(request))
    return render(request, "participation/remark.html", {
        "remark": remark, "process": process, "who": documents.who(remark),
        **_thread_context(request, remark, process, page), "can_manage": rules.can_manage(request.user),
    })  # fmt: skip


@require_POST
@login_required
def remark_vote(request: HttpRequest, pk: int) -> HttpResponse:
    remark = _remark(request, pk)
    value = {"up": 1, "down": -1}.get(request.POST.get("value", ""), 0)
    return _done(request, f"/participation/remarks/{pk}/",
                 lambda: services.remark_vote(actor=acting_user(request), remark=remark, value=value),
                 "Голос учтён.")  # fmt: skip


def paragraph_remarks(request: HttpRequest, pk: int) -> HttpResponse:
    """The visible remarks of one paragraph, loaded when a reader opens them (htmx) or as a page of their own."""
    paragraph = get_object_or_404(Paragraph.objects.select_related("version__draft__process"), pk=pk)
    process = paragraph.version.draft.process
    if not rules.can_view_process(request.user, process):
        raise Http404
    context = {"paragraph": paragraph, "process": process, "remarks": selectors.paragraph_remarks(paragraph),
               "can_report": rules.can_participate(request.user)}  # fmt: skip
    if request.headers.get("HX-Request"):
        return render(request, "participation/_paragraph_remarks.html", context)
    return render(request, "participation/paragraph.html", context)


def thread_more(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """The next top-level comments of a discussion with their replies («Показать ещё», htmx)."""
    subject, _back = _subject(kind, pk, request)
    process = subject.paragraph.version.draft.process if isinstance(subject, Remark) else subject.process
    offset = request.GET.get("offset", "")
    start = int(offset) if offset.isdigit() and len(offset) < 7 else 0
    page = selectors.thread_page(**{kind: subject}, offset=start)  # type: ignore[arg-type]
    return render(request, "participation/_comments.html", _thread_context(request, subject, process, page))


def _subject(kind: str, pk: int, request: HttpRequest) -> tuple[Proposal | Debate | Remark, str]:
    if kind == "proposal":
        proposal = _proposal(request, pk)
        return proposal, f"/participation/proposals/{pk}/"
    if kind == "remark":
        return _remark(request, pk), f"/participation/remarks/{pk}/"
    debate = get_object_or_404(Debate.objects.select_related("process"), pk=pk)
    if not rules.can_view_process(request.user, debate.process):
        raise Http404
    return debate, f"/participation/debates/{pk}/"


@require_POST
@login_required
def comment_add(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    subject, back = _subject(kind, pk, request)
    form = forms.CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Комментарий пуст или слишком длинный.")
        return redirect(back)
    parent = None
    if form.cleaned_data["parent"]:
        parent = get_object_or_404(Comment, pk=form.cleaned_data["parent"])
    return _done(request, back, lambda: services.comment_add(
        actor=acting_user(request), subject=subject, body=form.cleaned_data["body"],
        stance=form.cleaned_data["stance"], parent=parent), "Комментарий опубликован.")  # fmt: skip


def _comment(request: HttpRequest, pk: int) -> tuple[Comment, str]:
    comment = get_object_or_404(
        Comment.objects.select_related(
            "proposal__process", "debate__process", "remark__paragraph__version__draft__process"
        ),
        pk=pk,
    )
    if comment.remark_id:
        assert comment.remark is not None
        process = comment.remark.paragraph.version.draft.process
        back = f"/participation/remarks/{comment.remark_id}/"
    else:
        subject = comment.proposal or comment.debate
        if subject is None:
            raise Http404
        process = subject.process
        back = (f"/participation/proposals/{comment.proposal_id}/" if comment.proposal_id
                else f"/participation/debates/{comment.debate_id}/")  # fmt: skip
    if not rules.can_view_process(request.user, process):
        raise Http404
    return comment, f"{back}#c{comment.pk}"


@require_POST
@login_required
def comment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    comment, back = _comment(request, pk)
    body = request.POST.get("body", "")[:5_000]
    return _done(request, back, lambda: services.comment_edit(actor=acting_user(request), comment=comment, body=body),
                 "Комментарий исправлен.")  # fmt: skip


@require_POST
@login_required
def comment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    comment, back = _comment(request, pk)
    return _done(request, back, lambda: services.comment_delete(actor=acting_user(request), comment=comment),
                 "Комментарий удалён.")  # fmt: skip


@require_POST
@login_required
def comment_vote(request: HttpRequest, pk: int) -> HttpResponse:
    comment, back = _comment(request, pk)
    value = {"up": 1, "down": -1}.get(request.POST.get("value", ""), 0)
    return _done(request, back, lambda: services.comment_vote(actor=acting_user(request), comment=comment, value=value),
                 "Голос учтён.")  # fmt: skip


@require_POST
@login_required
def report(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    content: Any
    if kind == "comment":
        content, back = _comment(request, pk)
    elif kind == "proposal":
        content, back = _proposal(request, pk), f"/participation/proposals/{pk}/"
    else:
        content = get_object_or_404(Remark.objects.select_related("paragraph__version__draft__process"), pk=pk)
        process = content.paragraph.version.draft.process
        if not rules.can_view_process(request.user, process):
            raise Http404
        back = f"/participation/{process.slug}/draft/#{content.paragraph.anchor}"
    form = forms.ReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Выберите причину жалобы.")
        return redirect(back)
    return _done(request, back, lambda: services.report_add(actor=acting_user(request), content=content,
                 reason=form.cleaned_data["reason"], text=form.cleaned_data["text"]),
                 "Жалоба принята: модераторы её рассмотрят.")  # fmt: skip


@require(rules.can_manage)
def moderation(request: HttpRequest) -> HttpResponse:
    return render(request, "participation/moderation.html", {"cases": selectors.moderation_queue()})


@require_POST
@require(rules.can_manage)
def moderation_decide(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(ModerationCase, pk=pk)
    decision, reason = request.POST.get("decision", ""), request.POST.get("reason", "")[:2_000]
    return _done(request, "/participation/moderation/",
                 lambda: services.moderation_decide(actor=acting_user(request), case=case, decision=decision,
                                                    reason=reason),
                 "Решение принято, автор уведомлён.")  # fmt: skip


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """One's notifications, and how often they come by e-mail (none, daily, weekly)."""
    user = acting_user(request)
    if request.method == "POST":
        frequency = request.POST.get("frequency", "")[:10]
        return _done(request, "/participation/notifications/",
                     lambda: services.digest_set(actor=user, frequency=frequency),
                     "Настройка писем сохранена.")  # fmt: skip
    setting = DigestSetting.objects.filter(user=user).first()
    return render(request, "participation/notifications.html", {
        "notices": user.participation_notices.all()[:100], "frequencies": DigestFrequency.choices,
        "frequency": setting.frequency if setting else DigestFrequency.NONE,
    })  # fmt: skip


# --- the draft -----------------------------------------------------------------------------------------------


def _number(request: HttpRequest, key: str) -> int | None:
    value = request.GET.get(key, "")
    return int(value) if value.isdigit() and len(value) < 6 else None


def draft(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process(request, slug)
    version = selectors.version_of(process, _number(request, "v"))
    if version is None:
        raise Http404
    user = request.user
    latest = selectors.version_of(process)
    can_remark = rules.can_act(user, process, Action.REMARK) and latest == version and not version.is_final
    return render(request, "participation/draft.html", {
        "process": process, "version": version, "versions": version.draft.versions.order_by("number"),
        "sections": selectors.sections(version), "can_remark": can_remark,
        "remark_form": forms.RemarkForm(user=user) if can_remark and isinstance(user, User) else None,
        "can_manage": rules.can_manage(user), "can_report": rules.can_participate(user),
        "report_form": forms.ReportForm(),
    })  # fmt: skip


def draft_diff(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process(request, slug)
    newer = selectors.version_of(process, _number(request, "b"))
    if newer is None:
        raise Http404
    older = selectors.version_of(process, _number(request, "a") or max(newer.number - 1, 1))
    if older is None:
        raise Http404
    pairs = [[(p.number, p.text) for p in v.paragraphs.order_by("order")] for v in (older, newer)]
    changes = drafts.compare(pairs[0], pairs[1])
    return render(request, "participation/diff.html", {
        "process": process, "older": older, "newer": newer, "changes": changes,
        "changed": sum(1 for c in changes if c.kind != "same"),
    })  # fmt: skip


@require_POST
@login_required
def remark_add(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process(request, slug)
    user = acting_user(request)
    form = forms.RemarkForm(request.POST, user=user)
    if not form.is_valid():
        messages.error(request, "Замечание пусто или слишком длинное.")
        return redirect("participation:draft", slug)
    paragraph = get_object_or_404(Paragraph, pk=form.cleaned_data["paragraph"], version__draft__process=process)
    return _done(request, f"/participation/{slug}/draft/#{paragraph.anchor}", lambda: services.remark_add(
        actor=user, paragraph=paragraph, text=form.cleaned_data["text"], quote=form.cleaned_data["quote"],
        organisation=form.cleaned_data.get("organisation")), "Замечание принято.")  # fmt: skip


@require(rules.can_manage)
def version_new(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process(request, slug)
    latest = selectors.version_of(process)
    initial = {"title": latest.draft.title, "text": latest.text} if latest else {}
    form = forms.VersionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.version_publish(actor=acting_user(request), process=process, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, "Редакция опубликована.")
            return redirect("participation:draft", slug)
    return render(request, "includes/form_page.html", {"form": form, "title": "Новая редакция документа",
                                                        "cancel_url": f"/participation/{slug}/"})  # fmt: skip


def register(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process(request, slug)
    version = selectors.version_of(process)
    if version is None:
        raise Http404
    return render(request, "participation/register.html", {
        "process": process, "remarks": selectors.register(process), "summary": selectors.summary(version),
        "version": version, "can_manage": rules.can_manage(request.user),
        "disposition_form": forms.DispositionForm(),
    })  # fmt: skip


def register_file(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    process = _process(request, slug)
    remarks = selectors.register(process)
    if kind == "docx":
        body = documents.register_docx(process, remarks)
        media = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    else:
        body = documents.register_xlsx(process, remarks)
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(body, content_type=media)
    response["Content-Disposition"] = f'attachment; filename="zamechaniya-{process.slug}.{kind}"'
    return response


@require_POST
@require(rules.can_manage)
def remark_dispose(request: HttpRequest, pk: int) -> HttpResponse:
    remark = get_object_or_404(Remark.objects.select_related("paragraph__version__draft__process"), pk=pk)
    form = forms.DispositionForm(request.POST)
    slug = remark.paragraph.version.draft.process.slug
    if not form.is_valid():
        messages.error(request, "Выберите решение: учтено, учтено частично или не учтено.")
        return redirect("participation:register", slug)
    return _done(request, f"/participation/{slug}/register/#r{pk}", lambda: services.remark_dispose(
        actor=acting_user(request), remark=remark, **form.cleaned_data), "Решение по замечанию сохранено.")  # fmt: skip


def accountability(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process(request, slug)
    accepted = list(selectors.accepted_with_outcome(process))
    # A project is linked only for those who may open it (one query, whatever the number of proposals).
    project_ids = [p.project_id for p in accepted if p.project_id]
    visible = (
        set(project_selectors.projects_visible_to(request.user).filter(pk__in=project_ids).values_list("pk", flat=True))
        if project_ids
        else set()
    )
    return render(request, "participation/accountability.html", {
        "process": process, "results": selectors.accountability_results(process),
        "accepted": accepted, "visible_projects": visible,
    })  # fmt: skip


# --- surveys -------------------------------------------------------------------------------------------------


def _survey(request: HttpRequest, pk: int) -> Survey:
    survey = get_object_or_404(Survey.objects.select_related("phase__process"), pk=pk)
    if not rules.can_view_process(request.user, survey.phase.process):
        raise Http404
    return survey


def _posted_answers(request: HttpRequest, survey: Survey) -> dict[str, Any]:
    """The form's fields as the service takes them: text, a choice, a list of choices, a whole number, a row map."""
    data: dict[str, Any] = {}
    for q in survey.questions.all():
        key = str(q.pk)
        if q.kind == QuestionKind.MULTIPLE:
            data[key] = request.POST.getlist(f"q{key}")
        elif q.kind == QuestionKind.SCALE:
            raw = request.POST.get(f"q{key}", "")
            data[key] = int(raw) if raw.isdigit() and len(raw) < 3 else (raw or None)
        elif q.kind == QuestionKind.MATRIX:
            data[key] = {
                row: request.POST[f"q{key}-{i}"] for i, row in enumerate(q.rows) if request.POST.get(f"q{key}-{i}")
            }
        else:
            data[key] = request.POST.get(f"q{key}", "")
    return data


def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    user = request.user
    answered = isinstance(user, User) and survey.responses.filter(user=user).exists()
    errors: dict[str, list[str]] = {}
    if request.method == "POST" and not isinstance(user, User):
        return redirect(f"/accounts/login/?next=/participation/surveys/{pk}/")
    if request.method == "POST":
        try:
            services.survey_answer(actor=acting_user(request), survey=survey, data=_posted_answers(request, survey))
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        except PermissionDenied as exc:
            errors = {"__all__": [error_text(exc)]}
        else:
            messages.success(request, "Спасибо, ответ принят.")
            return redirect("participation:survey", pk)
    closed = survey.is_closed()
    show_results = closed or rules.can_manage(user)
    answers = list(survey.responses.values_list("answers", flat=True)) if show_results else []
    return render(request, "participation/survey.html", {
        "survey": survey, "process": survey.phase.process, "questions": survey.questions.all(), "closed": closed,
        "answered": answered, "errors": errors, "responses": survey.responses.count(),
        "can_answer": not closed and not answered and rules.can_act(user, survey.phase.process, Action.SURVEY),
        "results": survey_results(survey, answers) if show_results else None, "can_manage": rules.can_manage(user),
    }, status=400 if errors else 200)  # fmt: skip


def survey_csv(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    if not survey.is_closed():
        raise Http404
    answers = list(survey.responses.order_by("created_at", "pk").values_list("answers", flat=True))
    response = HttpResponse(results_csv(survey, answers), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}.csv"'
    return response


@require_POST
@login_required
def follow(request: HttpRequest, kind: str, key: str | int) -> HttpResponse:
    subject: Process | Proposal
    if kind == "process":
        subject = _process(request, str(key))
        back = f"/participation/{subject.slug}/"
    else:
        subject = _proposal(request, int(key))
        back = f"/participation/proposals/{subject.pk}/"
    following = services.follow_toggle(actor=acting_user(request), subject=subject)
    messages.success(request, "Вы подписались: новости придут в «Уведомления»." if following else "Подписка снята.")
    return redirect(back)


@login_required
def affiliations(request: HttpRequest) -> HttpResponse:
    """One's own claims and a form for a new one; the claims one may confirm (own organisations', or all for staff)."""
    user = acting_user(request)
    if request.method == "POST":
        org_id = request.POST.get("organisation", "")
        organisation = get_object_or_404(Organisation, pk=int(org_id) if org_id.isdigit() and len(org_id) < 19 else 0)
        return _done(request, "/participation/affiliations/", lambda: services.affiliation_request(
            actor=user, organisation=organisation, position=request.POST.get("position", "")[:200]),
            "Запрос отправлен: его подтвердит участник организации или офис.")  # fmt: skip
    pending = Affiliation.objects.filter(state="pending").select_related("user", "organisation")
    if not rules.can_manage(user):
        pending = pending.filter(organisation_id__in=user.organisation_ids)
    return render(request, "participation/affiliations.html", {
        "mine": user.affiliations.select_related("organisation"), "pending": pending.exclude(user=user),
        "organisations": Organisation.objects.order_by("name")[:1000],
    })  # fmt: skip


@require_POST
@login_required
def affiliation_decide(request: HttpRequest, pk: int) -> HttpResponse:
    affiliation = get_object_or_404(Affiliation.objects.select_related("organisation", "user"), pk=pk)
    if not rules.can_confirm_affiliation(request.user, affiliation.organisation_id):
        raise Http404
    confirm = request.POST.get("decision") == "confirm"
    return _done(request, "/participation/affiliations/", lambda: services.affiliation_decide(
        actor=acting_user(request), affiliation=affiliation, confirm=confirm), "Решение сохранено.")  # fmt: skip


# --- the office's pages for phases, surveys and results ------------------------------------------------------


@require(rules.can_manage)
def manage(request: HttpRequest, slug: str) -> HttpResponse:
    """The process's phases, surveys with their questions and results with sub-results, for the office."""
    process = _process(request, slug)
    return render(request, "participation/manage.html", {
        "process": process, "phases": process.phases.all(),
        "surveys": Survey.objects.filter(phase__process=process).select_related("phase").prefetch_related("questions"),
        "results": selectors.accountability_results(process),
    })  # fmt: skip


def _staff_form(
    request: HttpRequest, process: Process, form: Any, title: str, m2m: tuple[str, ...] = ()
) -> HttpResponse:
    back = f"/participation/{process.slug}/manage/"
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_save(actor=acting_user(request), instance=form.instance,
                                m2m={name: list(form.cleaned_data[name]) for name in m2m})  # fmt: skip
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, "Сохранено.")
            return redirect(back)
    return render(request, "includes/form_page.html", {"form": form, "title": title, "cancel_url": back},
                  status=400 if request.method == "POST" else 200)  # fmt: skip


@require(rules.can_manage)
def phase_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    process = _process(request, slug)
    phase = get_object_or_404(Phase, pk=pk, process=process) if pk else None
    form = staff_forms.PhaseForm(request.POST or None, instance=phase, process=process)
    return _staff_form(request, process, form, f"Этап: {phase}" if phase else "Новый этап")


@require(rules.can_manage)
def survey_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    process = _process(request, slug)
    survey = get_object_or_404(Survey, pk=pk, phase__process=process) if pk else None
    form = staff_forms.SurveyForm(request.POST or None, instance=survey, process=process)
    return _staff_form(request, process, form, f"Опрос: {survey}" if survey else "Новый опрос")


@require(rules.can_manage)
def question_edit(request: HttpRequest, slug: str, survey_pk: int, pk: int | None = None) -> HttpResponse:
    process = _process(request, slug)
    survey = get_object_or_404(Survey, pk=survey_pk, phase__process=process)
    question = get_object_or_404(SurveyQuestion, pk=pk, survey=survey) if pk else None
    if request.method == "POST" and survey.responses.exists():
        messages.error(request, "На опрос уже отвечали: вопросы менять нельзя, иначе ответы потеряют смысл.")
        return redirect("participation:manage", slug)
    form = staff_forms.QuestionForm(request.POST or None, instance=question, survey=survey)
    return _staff_form(request, process, form, f"Вопрос опроса «{survey}»")


@require(rules.can_manage)
def result_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    process = _process(request, slug)
    result = get_object_or_404(Result, pk=pk, process=process) if pk else None
    form = staff_forms.ResultForm(request.POST or None, instance=result, process=process)
    return _staff_form(request, process, form, f"Результат: {result}" if result else "Новый результат",
                       m2m=("proposals",))  # fmt: skip
