"""Application pages: list, board, calendar, the builder, the review, exports, submission and outcome."""

from __future__ import annotations

import difflib
import itertools
from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from projectoffice.accounts.http import acting_user, error_text, form_errors_text, require
from projectoffice.accounts.rules import can_view_audit
from projectoffice.accounts.services import reminder_days_set
from projectoffice.applications import budget, rules, services
from projectoffice.applications.documents import PACKAGE_TYPES, build_package
from projectoffice.applications.forms import (
    AssignExpertForm,
    AttachmentForm,
    BudgetItemForm,
    CommentForm,
    OutcomeForm,
    ReminderForm,
    SectionForm,
    SubmitForm,
)
from projectoffice.applications.models import Application, ApplicationStatus, BudgetItem, ExpertAssignment, SectionText
from projectoffice.applications.readiness import readiness
from projectoffice.applications.review import review_summary
from projectoffice.applications.selectors import applications_visible_to
from projectoffice.audit.selectors import audit_events_for
from projectoffice.lib.upload_limits import upload_refusal
from projectoffice.opportunities.models import Opportunity
from projectoffice.projects.selectors import projects_visible_to


def _get(request: HttpRequest, pk: int) -> Application:
    application = applications_visible_to(request.user).filter(pk=pk).first()
    if application is None:
        raise Http404
    return application


@require(rules.can_list)
def application_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    applications = applications_visible_to(request.user)
    if status in ApplicationStatus.values:
        applications = applications.filter(status=status)
    return render(
        request,
        "applications/list.html",
        {"applications": applications, "status": status, "statuses": ApplicationStatus.choices},
    )


@require(rules.can_list)
def application_board(request: HttpRequest) -> HttpResponse:
    columns: dict[str, list[Application]] = {s: [] for s in ApplicationStatus.values}
    for application in applications_visible_to(request.user).order_by("deadline", "pk"):
        columns[application.status].append(application)
    return render(
        request, "applications/board.html", {"columns": [(ApplicationStatus(s), apps) for s, apps in columns.items()]}
    )


@require(rules.can_list)
def deadline_calendar(request: HttpRequest) -> HttpResponse:
    months: dict[str, list[Application]] = defaultdict(list)
    for application in applications_visible_to(request.user).open().filter(deadline__isnull=False).order_by("deadline"):
        months[f"{application.deadline:%Y-%m}"].append(application)
    user = acting_user(request)
    form = ReminderForm(request.POST or None, initial={"days": ", ".join(map(str, user.reminder_days))})
    if request.method == "POST" and form.is_valid():
        try:
            reminder_days_set(actor=user, days=form.cleaned_data["days"])
        except ValidationError as exc:
            form.add_error("days", exc)
        else:
            messages.success(request, "Настройки напоминаний сохранены.")
            return redirect("applications:calendar")
    return render(request, "applications/calendar.html", {"months": sorted(months.items()), "form": form})


@require_POST
@require(rules.can_list)
def application_create(request: HttpRequest) -> HttpResponse:
    project = projects_visible_to(request.user).filter(pk=request.POST.get("project") or 0).first()
    opportunity = Opportunity.objects.filter(pk=request.POST.get("opportunity") or 0, status="published").first()
    if project is None or opportunity is None:
        raise Http404
    application = services.application_create(actor=acting_user(request), project=project, opportunity=opportunity)
    messages.success(request, f"Заявка создана по шаблону «{application.template}» и заполнена из карточки проекта.")
    return redirect("applications:detail", pk=application.pk)


@require(rules.can_list)
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _get(request, pk)
    user = acting_user(request)
    score, gaps = readiness(application)
    sections = list(application.sections.select_related("section", "updated_by").prefetch_related("comments__author"))
    attachments = defaultdict(list)
    for attachment in application.attachments.all():
        attachments[attachment.document_id].append(attachment)
    context = {
        "application": application,
        "score": score,
        "gaps": gaps,
        "sections": [
            (st, SectionForm(initial={"text": st.text, "base_version": st.version}), CommentForm()) for st in sections
        ],
        "can_edit": rules.can_edit(user, application),
        "can_comment": rules.can_comment(user, application),
        "budget": list(application.budget.select_related("cofinancing_partner")),
        "budget_form": BudgetItemForm(),
        "checks": budget.budget_checks(application),
        "documents": [(d, attachments.get(d.pk, [])) for d in application.template.documents.all()],
        "attachment_form": AttachmentForm(),
        "summary": review_summary(application, show_names=rules.can_see_expert_names(user)),
        "can_submit": rules.can_submit(user, application),
        "can_record_outcome": rules.can_record_outcome(user, application),
        "outcome_form": OutcomeForm(),
        "audit_events": audit_events_for(instance=application) if can_view_audit(user) else None,
    }
    return render(request, "applications/detail.html", context)


@require_POST
@require(rules.can_list)
def section_save(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    application = _get(request, pk)
    section_text = get_object_or_404(SectionText, pk=section_pk, application=application)
    form = SectionForm(request.POST)
    conflict = None
    error = ""
    if not form.is_valid():
        error = form_errors_text(form)
    else:
        try:
            section_text = services.section_save(
                actor=acting_user(request),
                section_text=section_text,
                text=form.cleaned_data["text"],
                base_version=form.cleaned_data["base_version"],
            )
        except services.SectionConflict as exc:
            conflict = exc.current
        except ValidationError as exc:
            error = error_text(exc)
        except PermissionDenied:
            raise
    section_text.refresh_from_db()
    form = SectionForm(
        initial={
            "text": request.POST.get("text", "") if (conflict or error) else section_text.text,
            "base_version": section_text.version,
        }
    )
    context = {
        "st": section_text,
        "form": form,
        "conflict": conflict,
        "error": error,
        "saved": not conflict and not error,
        "can_edit": rules.can_edit(acting_user(request), application),
        "can_comment": rules.can_comment(acting_user(request), application),
        "comment_form": CommentForm(),
        "application": application,
    }
    if request.htmx:  # type: ignore[attr-defined]
        # The section in place, and the readiness panel out of band: its score and gaps follow the saved text.
        score, gaps = readiness(application)
        return HttpResponse(
            render_to_string("applications/_section.html", context, request=request)
            + render_to_string("applications/_readiness.html", {"score": score, "gaps": gaps, "oob": True})
        )
    if conflict:
        messages.error(request, "Раздел уже изменили: ваш текст не сохранён, сравните с текущей версией.")
    elif error:
        messages.error(request, error)
    return redirect(reverse("applications:detail", args=[pk]) + f"#section-{section_pk}")


@require(rules.can_list)
def section_history(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    application = _get(request, pk)
    section_text = get_object_or_404(
        SectionText.objects.select_related("section"), pk=section_pk, application=application
    )
    versions = list(section_text.versions.select_related("author"))
    diffs = []
    for newer, older in itertools.pairwise(versions):
        lines = difflib.unified_diff(older.text.splitlines(), newer.text.splitlines(), lineterm="", n=1)
        diffs.append((newer, older, [line for line in lines if not line.startswith(("---", "+++"))]))
    return render(
        request,
        "applications/history.html",
        {"application": application, "st": section_text, "diffs": diffs, "first": versions[-1] if versions else None},
    )


@require_POST
@require(rules.can_list)
def comment_add(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    application = _get(request, pk)
    if not rules.can_comment(acting_user(request), application):
        raise PermissionDenied
    section_text = get_object_or_404(SectionText, pk=section_pk, application=application)
    form = CommentForm(request.POST)
    if form.is_valid():
        services.comment_add(actor=acting_user(request), section_text=section_text, text=form.cleaned_data["text"])
    else:
        messages.error(request, form_errors_text(form))
    return redirect(reverse("applications:detail", args=[pk]) + f"#section-{section_pk}")


@require_POST
@require(rules.can_list)
def budget_add(request: HttpRequest, pk: int) -> HttpResponse:
    application = _get(request, pk)
    form = BudgetItemForm(request.POST)
    if form.is_valid():
        try:
            services.budget_item_save(actor=acting_user(request), application=application, data=form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
    else:
        messages.error(request, "Статья не добавлена: " + form_errors_text(form))
    return redirect(reverse("applications:detail", args=[pk]) + "#budget")


@require_POST
@require(rules.can_list)
def budget_delete(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    application = _get(request, pk)
    services.budget_item_delete(
        actor=acting_user(request), item=get_object_or_404(BudgetItem, pk=item_pk, application=application)
    )
    return redirect(reverse("applications:detail", args=[pk]) + "#budget")


@require_POST
@require(rules.can_list)
def attachment_add(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    application = _get(request, pk)
    document = application.template.documents.filter(pk=document_pk).first()
    form = AttachmentForm(request.POST, request.FILES)
    refusal = upload_refusal(request)
    if refusal:
        messages.error(request, refusal)
    elif not form.is_valid():
        messages.error(request, "Файл не загружен: " + form_errors_text(form))
    else:
        upload = form.cleaned_data["file"]
        try:
            services.attachment_add(
                actor=acting_user(request),
                application=application,
                document=document,
                data=upload.read(),
                filename=upload.name,
            )
            messages.success(request, f"Файл «{upload.name}» приложен.")
        except ValidationError as exc:
            messages.error(request, "Файл не принят: " + error_text(exc))
    return redirect(reverse("applications:detail", args=[pk]) + "#documents")


@require(rules.can_list)
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    application = _get(request, pk)
    attachment = get_object_or_404(application.attachments, pk=attachment_pk)
    with attachment.file.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type="application/octet-stream")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(attachment.original_name)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


@require(rules.can_list)
def export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    application = _get(request, pk)
    if fmt not in PACKAGE_TYPES:
        raise Http404
    package = build_package(application, fmt)
    disposition = content_disposition_header(True, package.filename)
    return HttpResponse(
        package.content, content_type=package.content_type, headers={"Content-Disposition": disposition}
    )


def _score_entries(request: HttpRequest, application: Application) -> list[services.ScoreEntry]:
    """The filled score fields of the review form; a value that is not a whole number refuses the whole form."""
    entries = []
    for criterion in application.template.criteria.all():
        raw = request.POST.get(f"score-{criterion.pk}", "").strip()
        if not raw:
            continue
        try:
            value = int(raw)
        except ValueError:
            raise ValidationError(f"Оценка по критерию «{criterion.name}» — целое число.") from None
        comment = request.POST.get(f"comment-{criterion.pk}", "")
        entries.append(services.ScoreEntry(criterion_id=criterion.pk, value=value, comment=comment))
    return entries


@require(rules.can_list)
def review(request: HttpRequest, pk: int) -> HttpResponse:
    application = _get(request, pk)
    user = acting_user(request)
    assignment = ExpertAssignment.objects.filter(application=application, expert=user).first()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "assign":
                form = AssignExpertForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(form_errors_text(form))
                services.expert_assign(actor=user, application=application, expert=form.cleaned_data["expert"])
                messages.success(request, "Эксперт назначен.")
            elif action == "declare" and assignment:
                services.expert_declare(actor=user, assignment=assignment)
            elif action == "score" and assignment:
                entries = _score_entries(request, application)
                services.scores_save(actor=user, assignment=assignment, entries=entries)
                messages.success(request, "Оценки сохранены.")
            else:
                raise PermissionDenied
        except services.ConflictOfInterest as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        return redirect("applications:review", pk=pk)
    scores = {s.criterion_id: s for s in assignment.scores.all()} if assignment else {}
    context = {
        "application": application,
        "sections": application.sections.select_related("section"),  # the text being scored
        "budget": list(application.budget.select_related("cofinancing_partner")),
        "attachments": application.attachments.select_related("document"),
        "assignment": assignment,
        "criteria": [(c, scores.get(c.pk)) for c in application.template.criteria.all()],
        "summary": review_summary(application, show_names=rules.can_see_expert_names(user)),
        "assign_form": AssignExpertForm() if rules.can_manage_review(user) else None,
        "assignments": application.assignments.select_related("expert") if rules.can_see_expert_names(user) else None,
    }
    return render(request, "applications/review.html", context)


@require_POST
@require(rules.can_list)
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    application = _get(request, pk)
    form = SubmitForm(request.POST)
    if form.is_valid():
        try:
            services.application_submit(
                actor=acting_user(request),
                application=application,
                submitted_on=form.cleaned_data["submitted_on"],
                number=form.cleaned_data["number"],
            )
            messages.success(request, "Заявка отмечена как поданная.")
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, error_text(exc))
    else:
        messages.error(request, form_errors_text(form))
    return redirect("applications:detail", pk=pk)


@require_POST
@require(rules.can_list)
def outcome(request: HttpRequest, pk: int) -> HttpResponse:
    application = _get(request, pk)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            services.outcome_record(
                actor=acting_user(request),
                application=application,
                outcome=form.cleaned_data["outcome"],
                decided_on=form.cleaned_data["decided_on"],
                awarded=form.cleaned_data["awarded"],
                cofinancing=form.cleaned_data["cofinancing"],
                feedback=form.cleaned_data["feedback"],
            )
            messages.success(request, "Итог записан.")
        except ValidationError as exc:
            messages.error(request, error_text(exc))
    else:
        messages.error(request, form_errors_text(form))
    return redirect("applications:detail", pk=pk)
