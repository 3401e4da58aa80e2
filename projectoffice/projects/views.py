"""Pipeline pages: list, kanban board, project card, create, edit, stage moves and staff notes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from projectoffice.accounts.http import acting_user, form_errors_text, paginate, query_without_page, require
from projectoffice.accounts.rules import can_view_audit
from projectoffice.audit.selectors import audit_events_for
from projectoffice.projects import rules, selectors, services
from projectoffice.projects.forms import ProjectFilterForm, ProjectForm, StaffNoteForm, StageMoveForm
from projectoffice.projects.models import Project


def _filters(request: HttpRequest) -> tuple[ProjectFilterForm, dict[str, Any]]:
    form = ProjectFilterForm(request.GET or None)
    return form, (form.cleaned_data if form.is_valid() else {})


@require(rules.can_list)
def project_list(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    page = paginate(request, selectors.project_list(user=request.user, filters=filters))
    context = {"filter_form": form, "page": page, "query": query_without_page(request)}
    template = "projects/_results.html" if request.htmx else "projects/list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@require(rules.can_list)
def project_board(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    filters.pop("stage", None)
    columns = selectors.project_board(user=request.user, filters=filters)
    return render(request, "projects/board.html", {"filter_form": form, "columns": columns})


def _visible_project(request: HttpRequest, pk: int) -> Project:
    """The project, or 404 for one that does not exist or that the user may not see (no existence leak)."""
    project = (
        selectors.projects_visible_to(request.user)
        .select_related("lead_organisation", "created_by")
        .prefetch_related("technologies", "partnerships__organisation", "applications__opportunity")
        .filter(pk=pk)
        .first()
    )
    if project is None:
        raise Http404
    return project


@require(rules.can_list)
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = _visible_project(request, pk)
    user = request.user
    show_notes = rules.can_see_staff_notes(user)
    context = {
        "project": project,
        "can_edit": rules.can_edit(user, project),
        "move_form": StageMoveForm(project=project) if rules.can_move_stage(user, project) else None,
        "moves": project.stage_moves.select_related("actor"),
        "notes": project.staff_notes.select_related("author") if show_notes else None,
        "note_form": StaffNoteForm() if show_notes else None,
        "audit_events": audit_events_for(instance=project) if can_view_audit(user) else None,
    }
    return render(request, "projects/detail.html", context)


def _partners(form: ProjectForm) -> list:
    return [
        (org, services.DEFAULT_PARTNER_ROLE.get(org.kind, "other"))
        for org in form.cleaned_data["partner_organisations"]
    ]


@require(rules.can_create)
def project_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    initial = {}
    if len(user.organisation_ids) == 1:
        initial["lead_organisation"] = next(iter(user.organisation_ids))
    form = ProjectForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(actor=user, data=form.cleaned_data, partners=_partners(form))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Проект «{project}» создан на стадии «Идея».")
            return redirect("projects:detail", pk=project.pk)
    context = {"form": form, "title": "Новый проект", "cancel_url": reverse("projects:list")}
    return render(request, "includes/form_page.html", context)


@require(rules.can_list)
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = _visible_project(request, pk)
    user = acting_user(request)
    if not rules.can_edit(user, project):
        raise PermissionDenied
    form = ProjectForm(request.POST or None, instance=project, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(actor=user, project=project, data=form.cleaned_data, partners=_partners(form))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Изменения сохранены.")
            return redirect("projects:detail", pk=project.pk)
    cancel_url = reverse("projects:detail", args=[project.pk])
    context = {"form": form, "title": f"Изменить: {project}", "cancel_url": cancel_url}
    return render(request, "includes/form_page.html", context)


@require_POST
@require(rules.can_list)
def project_move(request: HttpRequest, pk: int) -> HttpResponse:
    project = _visible_project(request, pk)
    if not rules.can_move_stage(request.user, project):
        raise PermissionDenied
    form = StageMoveForm(request.POST, project=project)
    if not form.is_valid():
        # The chosen stage is not among the allowed moves, or the reason is missing.
        messages.error(request, f"Стадия не изменена: {form_errors_text(form)}")
        return redirect("projects:detail", pk=project.pk)
    try:
        move = services.project_move_stage(
            actor=acting_user(request),
            project=project,
            to_stage=form.cleaned_data["to_stage"],
            reason=form.cleaned_data["reason"],
            expected_stage=form.cleaned_data["expected_stage"],
        )
    except (services.StageMoveError, ValidationError) as exc:
        messages.error(request, f"Стадия не изменена: {' '.join(getattr(exc, 'messages', [str(exc)]))}")
    else:
        messages.success(request, f"Проект переведён в стадию «{move.get_to_stage_display()}».")
    return redirect("projects:detail", pk=project.pk)


@require_POST
@require(rules.can_see_staff_notes)
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = _visible_project(request, pk)
    form = StaffNoteForm(request.POST)
    if form.is_valid():
        services.staff_note_add(actor=acting_user(request), project=project, text=form.cleaned_data["text"])
        messages.success(request, "Заметка добавлена.")
    else:
        messages.error(request, "Заметка не сохранена: текст пуст или слишком длинный.")
    return redirect("projects:detail", pk=project.pk)
