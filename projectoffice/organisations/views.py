"""Registry pages: list, detail, create, edit, yearly figures, products, contacts, import and export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from projectoffice.accounts.http import (
    acting_user,
    form_errors_text,
    paginate,
    query_without_page,
    require,
    sort_links,
)
from projectoffice.accounts.rules import can_view_audit
from projectoffice.audit.selectors import audit_events_for
from projectoffice.lib.upload_limits import upload_refusal
from projectoffice.organisations import completion, rules, selectors, services
from projectoffice.organisations.exports import export_csv, export_xlsx
from projectoffice.organisations.forms import (
    ContactForm,
    FiguresForm,
    ImportForm,
    OrganisationFilterForm,
    OrganisationForm,
    ProductForm,
)
from projectoffice.organisations.imports import ImportFileError, ImportInterrupted, import_organisations
from projectoffice.organisations.models import Organisation

SORT_COLUMNS = {"name": "Организация", "kind": "Тип", "size": "Категория", "founded": "Регистрация"}


def _filters(request: HttpRequest) -> tuple[OrganisationFilterForm, dict]:
    form = OrganisationFilterForm(request.GET or None)
    return form, (form.cleaned_data if form.is_valid() else {})


@require(rules.can_view_registry)
def organisation_list(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    page = paginate(request, selectors.organisation_list(filters=filters))
    sort = filters.get("sort") or "name"
    context = {
        "filter_form": form,
        "page": page,
        "query": query_without_page(request),
        "sort": sort,
        "sorting": sort_links(request, SORT_COLUMNS, sort),
    }
    template = "organisations/_results.html" if request.htmx else "organisations/list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


def _get_organisation(pk: int) -> Organisation:
    try:
        return selectors.organisation_detail(pk=pk)
    except Organisation.DoesNotExist:
        raise Http404 from None


@require(rules.can_view_registry)
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _get_organisation(pk)
    can_private = rules.can_view_private(request.user, organisation)
    can_edit = rules.can_edit(request.user, organisation)
    context = {
        "organisation": organisation,
        "can_private": can_private,
        "can_edit": can_edit,
        "figures_form": FiguresForm() if can_edit else None,
        "product_form": ProductForm() if can_edit else None,
        "contact_form": ContactForm() if can_edit else None,
        "audit_events": audit_events_for(instance=organisation) if can_view_audit(request.user) else None,
    }
    return render(request, "organisations/detail.html", context)


def _completed(request: HttpRequest, form_class: type[OrganisationForm], **kwargs: Any) -> OrganisationForm:
    """«Заполнить по ИНН»: the form again, its empty fields filled by the lookup provider (nothing saved)."""
    values = {key: request.POST.get(key, "") for key in request.POST if key != "csrfmiddlewaretoken"}
    try:
        values, note = completion.complete(values.get("inn", "").strip(), values)
    except completion.CompletionError as exc:
        messages.error(request, str(exc))
    else:
        messages.info(request, note)
    return form_class(initial=values, **kwargs)


@require(rules.can_create)
def organisation_create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and "complete" in request.POST:
        form = _completed(request, OrganisationForm)
    else:
        form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_bound and form.is_valid():
        try:
            organisation = services.organisation_create(actor=acting_user(request), data=form.cleaned_data)
        except (IntegrityError, ValidationError):
            form.add_error("inn", "Организация с таким ИНН или ОГРН уже есть в реестре.")
        else:
            messages.success(request, f"Организация «{organisation}» добавлена в реестр.")
            return redirect("organisations:detail", pk=organisation.pk)
    context = {"form": form, "title": "Новая организация", "cancel_url": reverse("organisations:list"),
               "completion": completion.available()}  # fmt: skip
    return render(request, "includes/form_page.html", context)


@require(rules.can_view_registry)
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _get_organisation(pk)
    if not rules.can_edit(request.user, organisation):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(actor=acting_user(request), organisation=organisation, data=form.cleaned_data)
        except (IntegrityError, ValidationError):
            form.add_error("inn", "Организация с таким ИНН или ОГРН уже есть в реестре.")
        else:
            messages.success(request, "Изменения сохранены.")
            return redirect("organisations:detail", pk=organisation.pk)
    cancel_url = reverse("organisations:detail", args=[organisation.pk])
    context = {"form": form, "title": f"Изменить: {organisation}", "cancel_url": cancel_url}
    return render(request, "includes/form_page.html", context)


def _editable(request: HttpRequest, pk: int) -> Organisation:
    organisation = _get_organisation(pk)
    if not rules.can_edit(request.user, organisation):
        raise PermissionDenied
    return organisation


def _add_child(request: HttpRequest, pk: int, form_class: type, add: object, success: str) -> HttpResponse:
    organisation = _editable(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            add(actor=acting_user(request), organisation=organisation, **_child_kwargs(form))  # type: ignore[operator]
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
        else:
            messages.success(request, success)
    else:
        messages.error(request, form_errors_text(form))
    return redirect("organisations:detail", pk=organisation.pk)


def _child_kwargs(form: FiguresForm | ProductForm | ContactForm) -> dict:
    if isinstance(form, FiguresForm):
        return dict(form.cleaned_data)
    return {"data": form.cleaned_data}


@require_POST
@require(rules.can_view_registry)
def figures_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _add_child(request, pk, FiguresForm, services.figures_set, "Показатели за год сохранены.")


@require_POST
@require(rules.can_view_registry)
def product_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _add_child(request, pk, ProductForm, services.product_add, "Продукт добавлен.")


@require_POST
@require(rules.can_view_registry)
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _add_child(request, pk, ContactForm, services.contact_add, "Контакт добавлен.")


@require(rules.can_import_export)
def organisation_import(request: HttpRequest) -> HttpResponse:
    refusal = upload_refusal(request) if request.method == "POST" else None
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if refusal:
        form.is_valid()
        form.errors["file"] = form.error_class([refusal])  # instead of «required» for the file that was dropped
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = import_organisations(actor=acting_user(request), upload=upload, filename=upload.name)
        except ImportInterrupted as exc:
            form.add_error("file", str(exc))
            report = exc.report  # what was written before the stop
        except ImportFileError as exc:
            form.add_error("file", str(exc))
    return render(request, "organisations/import.html", {"form": form, "report": report})


@require(rules.can_import_export)
def organisation_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    _, filters = _filters(request)
    organisations = selectors.organisation_list(filters=filters)
    if fmt == "xlsx":
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response = HttpResponse(export_xlsx(organisations), content_type=content_type)
    else:
        response = HttpResponse(export_csv(organisations), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="organisations.{fmt}"'
    return response
