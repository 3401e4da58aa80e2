"""Match panels (htmx fragments), feedback, subscriptions and the unsubscribe link."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from projectoffice.accounts.http import acting_user, error_text, form_errors_text, require
from projectoffice.matching import rules
from projectoffice.matching.eligibility import eligibility_seen_by
from projectoffice.matching.forms import SubscriptionForm
from projectoffice.matching.models import Subscription
from projectoffice.matching.ranking import match_opportunities, match_participants
from projectoffice.matching.services import feedback_set
from projectoffice.matching.subscriptions import (
    ConfirmationError,
    subscription_confirm,
    subscription_save,
    subscription_set_active,
    subscription_unsubscribe,
)
from projectoffice.opportunities.models import Opportunity
from projectoffice.organisations.models import Organisation
from projectoffice.projects.models import Project
from projectoffice.projects.selectors import projects_visible_to


def _subject(request: HttpRequest, kind: str, pk: int) -> tuple[Organisation, Project | None]:
    if kind == "project":
        project = projects_visible_to(request.user).select_related("lead_organisation").filter(pk=pk).first()
        if project is None:
            raise Http404
        return project.lead_organisation, project
    if kind == "organisation":
        return get_object_or_404(Organisation, pk=pk), None
    raise Http404


def _panel(request: HttpRequest, organisation: Organisation, project: Project | None) -> HttpResponse:
    if not rules.can_see_matches(request.user, organisation=organisation, project=project):
        raise PermissionDenied
    matches = match_opportunities(organisation=organisation, project=project, limit=8)
    for match in matches:
        match.eligibility = eligibility_seen_by(request.user, organisation, match.eligibility)
    context = {
        "matches": matches,
        "subject_kind": "project" if project else "organisation",
        "subject_pk": project.pk if project else organisation.pk,
        "can_mark": rules.can_mark(request.user, organisation=organisation, project=project),
    }
    return render(request, "matching/_matches.html", context)


def matches_panel(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        raise PermissionDenied
    organisation, project = _subject(request, kind, pk)
    return _panel(request, organisation, project)


@require_POST
def feedback(request: HttpRequest, kind: str, pk: int, opportunity_pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        raise PermissionDenied
    organisation, project = _subject(request, kind, pk)
    opportunity = get_object_or_404(Opportunity, pk=opportunity_pk)
    try:
        feedback_set(
            actor=acting_user(request),
            opportunity=opportunity,
            verdict=request.POST.get("verdict", ""),
            organisation=organisation,
            project=project,
        )
    except ValidationError as exc:
        return HttpResponse(error_text(exc), status=400)
    return _panel(request, organisation, project)


@require(rules.can_see_participants)
def participants_panel(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = get_object_or_404(Opportunity, pk=pk)
    participants = match_participants(opportunity=opportunity)
    for participant in participants:
        participant.eligibility = eligibility_seen_by(request.user, participant.organisation, participant.eligibility)
    return render(request, "matching/_participants.html", {"participants": participants})


@require(lambda user: user.is_authenticated)
def subscriptions(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = SubscriptionForm(request.POST or None, user=user)
    if request.method == "POST":
        if form.is_valid():
            try:
                subscription = subscription_save(actor=user, data=form.cleaned_data)
            except ValidationError as exc:
                messages.error(request, "Подписка не сохранена: " + error_text(exc))
            else:
                if subscription.email_confirmed_at:
                    messages.success(request, "Подписка сохранена: дайджест придёт на " + subscription.email)
                else:
                    messages.info(
                        request,
                        f"Подписка сохранена. На {subscription.email} отправлено письмо со ссылкой: "
                        "дайджест начнёт приходить, когда адрес будет подтверждён.",
                    )
                return redirect("matching:subscriptions")
        else:
            messages.error(request, "Подписка не сохранена: " + form_errors_text(form))
    context = {"form": form, "subscriptions": Subscription.objects.filter(user=user).select_related("organisation")}
    return render(request, "matching/subscriptions.html", context)


@require_POST
@require(lambda user: user.is_authenticated)
def subscription_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = Subscription.objects.filter(pk=pk).first()
    if subscription is None or not rules.can_pause_subscription(request.user, subscription):
        raise Http404
    subscription_set_active(actor=acting_user(request), subscription=subscription, is_active=not subscription.is_active)
    return redirect("matching:subscriptions")


def subscription_confirm_view(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the confirmation e-mail: no login needed, the signed token names the address."""
    try:
        subscription = subscription_confirm(token)
    except ConfirmationError as exc:
        context = {"title": "Ссылка не сработала", "text": str(exc)}
        return render(request, "matching/confirmed.html", context, status=400)
    context = {"title": "Адрес подтверждён", "text": f"Дайджест возможностей будет приходить на {subscription.email}."}
    return render(request, "matching/confirmed.html", context)


def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The link from a digest: no login, the token is the key; a POST confirms (a GET only asks)."""
    subscription = Subscription.objects.filter(unsubscribe_token=token).first()
    if subscription is None:
        return render(request, "matching/unsubscribe.html", {"invalid": True}, status=404)
    if request.method == "POST":
        subscription = subscription_unsubscribe(token=token)
        return render(request, "matching/unsubscribe.html", {"done": True, "subscription": subscription})
    return render(request, "matching/unsubscribe.html", {"subscription": subscription})
