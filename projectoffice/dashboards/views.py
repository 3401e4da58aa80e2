"""The home page: a public landing for visitors, the pipeline at a glance for the office and the grantor, a personal
page for others."""

from __future__ import annotations

import logging

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from projectoffice.accounts.http import acting_user
from projectoffice.accounts.rules import can_oversee
from projectoffice.applications.selectors import applications_visible_to, assignments_of
from projectoffice.events.models import Event, EventStatus
from projectoffice.kpis import ledger
from projectoffice.kpis.models import Indicator
from projectoffice.opportunities.selectors import closing_soon
from projectoffice.organisations.models import Organisation, OrganisationKind
from projectoffice.organisations.selectors import organisation_counts_by_kind
from projectoffice.projects import rules as project_rules
from projectoffice.projects.selectors import projects_visible_to, recent_stage_moves, stage_counts

logger = logging.getLogger(__name__)


def _coming_events() -> list[Event]:
    return list(
        Event.objects.filter(status=EventStatus.PUBLISHED, ends_at__gte=timezone.now()).order_by("starts_at")[:5]
    )


def landing(request: HttpRequest) -> HttpResponse:
    """What a visitor sees before signing in: measures closing soon, coming events, the public indicators."""
    year = timezone.localdate().year
    public = list(Indicator.objects.filter(is_public=True).order_by("code"))
    context = {
        "closing": closing_soon(limit=6),
        "events": _coming_events(),
        "indicators": ledger.dashboard(year=year, indicators=public) if public else [],
        "year": year,
    }
    return render(request, "dashboards/landing.html", context)


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_authenticated:
        return landing(request)
    context: dict[str, object] = {}
    if can_oversee(user):
        counts = stage_counts(user=user)
        by_kind = organisation_counts_by_kind()
        context.update(
            overview=True,
            stage_counts=counts,
            stage_max=max([n for _, n in counts] + [1]),
            kinds=[(label, by_kind.get(value, 0)) for value, label in OrganisationKind.choices],
            kind_max=max([*by_kind.values(), 1]),
            organisations_total=sum(by_kind.values()),
            accredited_total=Organisation.objects.filter(it_accredited=True).count(),
            projects_total=sum(n for _, n in counts),
            recent_moves=recent_stage_moves(user=user),
            deadlines=applications_visible_to(user)
            .open()
            .filter(deadline__gte=timezone.localdate())
            .order_by("deadline")[:6],
            events=_coming_events(),
        )
    elif project_rules.can_list(user):
        context["my_projects"] = projects_visible_to(user).select_related("lead_organisation")[:20]
    if user.is_expert:
        context["my_reviews"] = list(assignments_of(user)[:20])
    context["my_organisations"] = Organisation.objects.filter(memberships__user=acting_user(request))
    return render(request, "dashboards/home.html", context)


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except Exception:  # the answer says only «unavailable»; the log says why
        logger.exception("health check: the database did not answer")
        database = "unavailable"
    status = 200 if database == "ok" else 503
    return JsonResponse({"status": "ok" if status == 200 else "error", "database": database}, status=status)
