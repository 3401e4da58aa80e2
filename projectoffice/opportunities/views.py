"""Catalogue pages (public) and the office's editor: list, closing soon, detail, create, edit, verify, publish."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from projectoffice.accounts.http import acting_user, error_text, form_errors_text, paginate, query_without_page, require
from projectoffice.accounts.rules import can_view_audit
from projectoffice.audit.selectors import audit_events_for
from projectoffice.opportunities import rules, selectors, services
from projectoffice.opportunities.forms import OpportunityFilterForm, OpportunityForm, SuspendForm
from projectoffice.opportunities.models import Opportunity, OpportunityStatus


def opportunity_list(request: HttpRequest) -> HttpResponse:
    form = OpportunityFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = paginate(request, selectors.opportunity_list(user=request.user, filters=filters), 20)
    context = {
        "filter_form": form,
        "page": page,
        "query": query_without_page(request),
        "closing": selectors.closing_soon(limit=5),
    }
    template = "opportunities/_results.html" if request.htmx else "opportunities/list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


def closing_soon(request: HttpRequest) -> HttpResponse:
    return render(request, "opportunities/closing_soon.html", {"opportunities": selectors.closing_soon(limit=200)})


def _get(request: HttpRequest, pk: int) -> Opportunity:
    opportunity = Opportunity.objects.select_related("region", "provider", "tender").filter(pk=pk).first()
    if opportunity is None or not rules.can_view(request.user, opportunity):
        raise Http404
    return opportunity


def opportunity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = _get(request, pk)
    tender = getattr(opportunity, "tender", None)
    items = list(tender.items.all()[:200]) if tender else []
    uncoded = tender is not None and not any(item.okpd2_code for item in items)
    context = {
        "opportunity": opportunity,
        "items": items,
        **selectors.tender_parts(tender),
        "can_edit": rules.can_edit(request.user),
        "statuses": [(v, label) for v, label in OpportunityStatus.choices if v != OpportunityStatus.SUSPENDED],
        "suspend_form": SuspendForm(initial={"on": timezone.localdate()}) if rules.can_edit(request.user) else None,
        "uncoded": uncoded,
        "audit_events": audit_events_for(instance=opportunity) if can_view_audit(request.user) else None,
    }
    return render(request, "opportunities/detail.html", context)


def _editor(request: HttpRequest, opportunity: Opportunity | None) -> HttpResponse:
    form = OpportunityForm(request.POST or None, instance=opportunity)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.fields}
        actor = acting_user(request)
        try:
            if opportunity is None:
                saved = services.opportunity_create(actor=actor, data=data)
            else:
                saved, _changed = services.opportunity_update(actor=actor, opportunity=opportunity, data=data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Сохранено.")
            return redirect("opportunities:detail", pk=saved.pk)
    title = f"Изменить: {opportunity}" if opportunity else "Новая возможность"
    cancel = reverse("opportunities:detail", args=[opportunity.pk]) if opportunity else reverse("opportunities:list")
    return render(request, "includes/form_page.html", {"form": form, "title": title, "cancel_url": cancel})


@require(rules.can_edit)
def opportunity_create(request: HttpRequest) -> HttpResponse:
    return _editor(request, None)


@require(rules.can_edit)
def opportunity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _editor(request, _get(request, pk))


@require_POST
@require(rules.can_edit)
def opportunity_verify(request: HttpRequest, pk: int) -> HttpResponse:
    services.opportunity_verify(actor=acting_user(request), opportunity=_get(request, pk))
    messages.success(request, "Отмечено: запись сверена с источником сегодня.")
    return redirect("opportunities:detail", pk=pk)


@require_POST
@require(rules.can_edit)
def opportunity_status(request: HttpRequest, pk: int) -> HttpResponse:
    status = request.POST.get("status", "")
    if status not in OpportunityStatus.values:
        messages.error(request, "Неизвестный статус.")
        return redirect("opportunities:detail", pk=pk)
    try:
        services.opportunity_set_status(actor=acting_user(request), opportunity=_get(request, pk), status=status)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, f"Статус: {OpportunityStatus(status).label}.")
    return redirect("opportunities:detail", pk=pk)


@require_POST
@require(rules.can_edit)
def opportunity_suspend(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = _get(request, pk)
    form = SuspendForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Не отмечено: " + form_errors_text(form))
        return redirect("opportunities:detail", pk=pk)
    try:
        services.opportunity_suspend(
            actor=acting_user(request), opportunity=opportunity, reason=form.cleaned_data["reason"],
            on=form.cleaned_data["on"],
        )  # fmt: skip
    except ValidationError as exc:
        messages.error(request, "Не отмечено: " + error_text(exc))
    else:
        messages.success(request, "Отмечено: приём заявок приостановлен; запись больше не предлагается как открытая.")
    return redirect("opportunities:detail", pk=pk)
