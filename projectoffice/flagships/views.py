"""Flagship pages: the portfolio, a flagship's card with its funders and matches, the deal board and a deal, the
funder profiles (the office and the grantor read; only the office writes), and the public showcase in Russian and
English with its contact form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.views.decorators.http import require_POST

from projectoffice.accounts.http import acting_user, error_text, form_errors_text, require
from projectoffice.flagships import forms, rules, selectors, services
from projectoffice.flagships.matching import match_funders
from projectoffice.flagships.models import Deal, DealStage, Flagship, FunderProfile
from projectoffice.flagships.services import DealMoveError, IntroRequest
from projectoffice.lib.rate_limits import RateLimit
from projectoffice.materials.readiness import teaser
from projectoffice.opportunities.models import Opportunity
from projectoffice.projects.models import Project

INTRO_LIMIT = RateLimit(
    scope="flagships:intro",
    setting="REGISTRATION_RATE_LIMIT",
    window=600,
    refusal="Слишком много запросов с вашего адреса. Попробуйте через 10 минут.",
)
SHOWCASE_LANGS = ("ru", "en")


@require(rules.can_view_portfolio)
def portfolio(request: HttpRequest) -> HttpResponse:
    cards = selectors.portfolio()
    return render(
        request,
        "flagships/portfolio.html",
        {"cards": cards, "meeting": sum(c.meets_promise for c in cards), "can_manage": rules.can_manage(request.user)},
    )


def _flagship(pk: int) -> Flagship:
    flagship = selectors.flagships_queryset().filter(pk=pk).first()
    if flagship is None:
        raise Http404
    return flagship


@require(rules.can_view_portfolio)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    flagship = _flagship(pk)
    manage = rules.can_manage(request.user)
    return render(
        request,
        "flagships/detail.html",
        {
            "card": selectors.card(flagship),
            "flagship": flagship,
            "matches": match_funders(flagship),
            "can_manage": manage,
            "form": forms.FlagshipForm(instance=flagship) if manage else None,
            "deal_form": forms.DealForm() if manage else None,
            "showcase_langs": _showcase_langs(flagship) if flagship.showcase else set(),
        },
    )


@require(rules.can_manage)
def mark(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = get_object_or_404(Project, pk=project_pk)
    existing = Flagship.objects.filter(project=project).first()
    form = forms.FlagshipForm(request.POST if request.method == "POST" else None, instance=existing)
    if request.method == "POST" and form.is_valid():
        try:
            flagship = services.flagship_mark(actor=acting_user(request), project=project, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, "Проект в портфеле флагманских проектов.")
            return redirect("flagships:detail", flagship.pk)
    return render(
        request, "flagships/mark.html", {"form": form, "project": project}, status=400 if form.errors else 200
    )


@require(rules.can_manage)
@require_POST
def unmark(request: HttpRequest, pk: int) -> HttpResponse:
    flagship = get_object_or_404(Flagship, pk=pk)
    services.flagship_unmark(actor=acting_user(request), flagship=flagship)
    messages.success(request, "Проект убран из портфеля флагманских проектов; его сделки сохранены.")
    return redirect("flagships:portfolio")


@require(rules.can_manage)
@require_POST
def deal_add(request: HttpRequest, pk: int) -> HttpResponse:
    flagship = get_object_or_404(Flagship, pk=pk)
    form = forms.DealForm(request.POST)
    if form.is_valid():
        try:
            deal = services.deal_create(actor=acting_user(request), project=flagship.project, data=form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, f"Сделка с «{deal.funder_name}» начата: запрошено знакомство.")
            return redirect("flagships:deal", deal.pk)
    else:
        messages.error(request, "Сделка не начата: " + form_errors_text(form))
    return redirect("flagships:detail", flagship.pk)


@require(rules.can_view_portfolio)
def board(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(request, "flagships/board.html", {"columns": selectors.deal_board(), "today": today})


def _deal(request: HttpRequest, pk: int) -> Deal:
    deal = (
        Deal.objects.select_related("project__lead_organisation", "owner", "funder", "channel", "investment")
        .prefetch_related("moves__actor")
        .filter(pk=pk)
        .first()
    )
    if deal is None or not rules.can_view_deal(request.user, deal):
        raise Http404
    return deal


@login_required
def deal(request: HttpRequest, pk: int) -> HttpResponse:
    item = _deal(request, pk)
    manage = rules.can_manage(request.user)
    flagship = Flagship.objects.filter(project=item.project).first()
    return render(
        request,
        "flagships/deal.html",
        {
            "deal": item,
            "flagship": flagship,
            "can_manage": manage,
            "today": timezone.localdate(),
            "move_form": forms.DealMoveForm(deal=item, initial={"on": timezone.localdate()})
            if manage and item.is_open
            else None,
            "step_form": forms.NextStepForm(instance=item) if manage and item.is_open else None,
        },
    )


@require(rules.can_manage)
@require_POST
def deal_move(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Deal, pk=pk)
    form = forms.DealMoveForm(request.POST, deal=item)
    if not form.is_valid():
        messages.error(request, "Шаг не записан: " + form_errors_text(form))
        return redirect("flagships:deal", item.pk)
    data = form.cleaned_data
    try:
        services.deal_move(
            actor=acting_user(request),
            deal=item,
            to_stage=data["to_stage"],
            on=data["on"],
            note=data["note"],
            expected_stage=data["expected_stage"],
            amount=data["amount"],
            instrument=data["instrument"],
            declined_reason=data["declined_reason"],
        )
    except (ValidationError, DealMoveError) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, f"Сделка переведена: «{DealStage(data['to_stage']).label}».")
    return redirect("flagships:deal", item.pk)


@require(rules.can_manage)
@require_POST
def deal_step(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Deal, pk=pk)
    form = forms.NextStepForm(request.POST, instance=Deal.objects.get(pk=pk))
    if not form.is_valid():
        messages.error(request, "Не сохранено: " + form_errors_text(form))
        return redirect("flagships:deal", item.pk)
    try:
        changed = services.deal_update(actor=acting_user(request), deal=item, data=form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, "Следующий шаг сохранён." if changed else "Ничего не изменилось.")
    return redirect("flagships:deal", item.pk)


@require(rules.can_view_portfolio)
def funders(request: HttpRequest) -> HttpResponse:
    channels = (
        Opportunity.objects.exclude(channel_category="")
        .select_related("funder_profile")
        .order_by("funder_class", "status", "title")
    )
    return render(
        request,
        "flagships/funders.html",
        {"profiles": selectors.funder_profiles(), "channels": channels, "can_manage": rules.can_manage(request.user)},
    )


@require(rules.can_view_portfolio)
def funder(request: HttpRequest, pk: int) -> HttpResponse:
    profile = get_object_or_404(selectors.funder_profiles(), pk=pk)
    deals = Deal.objects.filter(funder=profile).select_related("project").order_by("-updated_at")
    return render(
        request,
        "flagships/funder.html",
        {"profile": profile, "deals": deals, "can_manage": rules.can_manage(request.user)},
    )


@require(rules.can_manage)
def funder_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    profile = get_object_or_404(FunderProfile, pk=pk) if pk else None
    form = forms.FunderProfileForm(request.POST if request.method == "POST" else None, instance=profile)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            saved = services.funder_profile_save(actor=acting_user(request), data=data, profile=profile)
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, "Профиль инвестора сохранён.")
            return redirect("flagships:funder", saved.pk)
    return render(
        request, "flagships/funder_edit.html", {"form": form, "profile": profile}, status=400 if form.errors else 200
    )


# --- the public showcase --------------------------------------------------------------------------------------


def _showcase_langs(flagship: Flagship) -> set[str]:
    """The languages in which the showcase has a page of this flagship: only a whole teaser is published."""
    return {lang for lang in ("ru", "en") if teaser(flagship.project, lang) is not None}


def _showcase_context(lang: str) -> dict[str, Any]:
    other = "en" if lang == "ru" else "ru"
    return {"lang": lang, "other_lang": other}


def showcase(request: HttpRequest, lang: str = "ru") -> HttpResponse:
    items = []
    for flagship in selectors.showcase_flagships():
        text = teaser(flagship.project, lang)
        if text is not None:
            items.append({"flagship": flagship, "teaser": text})
    with translation.override(lang):
        return render(request, "flagships/showcase.html", {"items": items, **_showcase_context(lang)})


def showcase_detail(request: HttpRequest, pk: int, lang: str = "ru") -> HttpResponse:
    flagship = Flagship.objects.filter(pk=pk, showcase=True).select_related("project").first()
    if flagship is None:
        raise Http404
    text = teaser(flagship.project, lang)
    if text is None:
        raise Http404
    with translation.override(lang):
        form = forms.IntroRequestForm(request.POST if request.method == "POST" else None)
        sent = False
        status = 200
        if request.method == "POST":
            if INTRO_LIMIT.refused(request):
                form.add_error(
                    None, translation.gettext("Слишком много запросов с вашего адреса. Попробуйте через 10 минут.")
                )
                status = 429
            elif form.is_valid():
                data = form.cleaned_data
                try:
                    services.intro_request_from_showcase(
                        flagship=flagship,
                        request=IntroRequest(
                            data["name"], data["organisation"], data["email"], data["funder_class"], data["message"]
                        ),
                    )
                except (ValidationError, PermissionDenied) as exc:
                    form.add_error(None, error_text(exc))
                    status = 400
                else:
                    INTRO_LIMIT.hit(request)
                    sent = True
                    form = forms.IntroRequestForm()
            else:
                status = 400
        return render(
            request,
            "flagships/showcase_detail.html",
            {
                "flagship": flagship,
                "teaser": text,
                "form": form,
                "sent": sent,
                "other_exists": teaser(flagship.project, "en" if lang == "ru" else "ru") is not None,
                **_showcase_context(lang),
            },
            status=status,
        )
