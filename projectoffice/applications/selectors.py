"""Reads of applications, scoped to the user, and the applications behind the KPI figures.

The KPI selectors return the applications that count in a period of days [start, end), annotated as
`kpis/methods.py` reads every source (`kpi_on`, and `kpi_value` or `kpi_key`); the ledger makes both the figure
and the list of records behind it from that one queryset.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from projectoffice.accounts.models import User
from projectoffice.accounts.rules import AnyUser, can_oversee
from projectoffice.applications.models import Application, ApplicationQuerySet, ApplicationStatus, ExpertAssignment
from projectoffice.lib.days import day_start

# Submitted at some point: still waiting, decided, or withdrawn after submission.
SUBMITTED_OR_DECIDED = [
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.SUPPORTED,
    ApplicationStatus.DECLINED,
    ApplicationStatus.WITHDRAWN,
]
PREPARED_READINESS = 80
_ZERO = Value(Decimal(0))


def applications_visible_to(user: AnyUser) -> ApplicationQuerySet:
    qs = Application.objects.select_related("project__lead_organisation", "opportunity", "template")
    if can_oversee(user):
        return qs
    if isinstance(user, User) and user.is_active:
        return qs.filter(
            Q(project__lead_organisation__in=user.organisation_ids) | Q(assignments__expert=user)
        ).distinct()
    return qs.none()


def assignments_of(expert: User) -> QuerySet[ExpertAssignment]:
    """The expert's reviews, the unfinished first, nearest deadline first."""
    return (
        ExpertAssignment.objects.filter(expert=expert)
        .select_related("application__project__lead_organisation", "application__opportunity")
        .order_by(F("completed_at").desc(nulls_first=True), F("application__deadline").asc(nulls_last=True))
    )


def supported_applications(*, start: dt.date, end: dt.date) -> QuerySet[Application]:
    """Applications supported by a decision within [start, end): `kpi_value` is the investment each attracted
    (awarded support plus attracted co-financing), `kpi_key` the project (projects supported)."""
    return (
        Application.objects.filter(status=ApplicationStatus.SUPPORTED, outcome_on__gte=start, outcome_on__lt=end)
        .annotate(
            kpi_on=F("outcome_on"),
            kpi_value=Coalesce(F("awarded_amount"), _ZERO) + Coalesce(F("cofinancing_amount"), _ZERO),
            kpi_key=F("project_id"),
        )
        .select_related("project", "opportunity")
    )


def prepared_applications(*, start: dt.date, end: dt.date) -> QuerySet[Application]:
    """Applications submitted within [start, end) at readiness ≥ 80, whatever was decided since (a withdrawn
    one was still prepared): `kpi_key` is the project (projects prepared)."""
    return (
        Application.objects.filter(
            status__in=SUBMITTED_OR_DECIDED,
            readiness_at_submission__gte=PREPARED_READINESS,
            submitted_on__gte=start,
            submitted_on__lt=end,
        )
        .annotate(kpi_on=F("submitted_on"), kpi_key=F("project_id"))
        .select_related("project", "opportunity")
    )


def applications_of_organisations(*, start: dt.date, end: dt.date, kind: str) -> QuerySet[Application]:
    """Applications started within [start, end) by projects led by an organisation of this kind: `kpi_key` is
    the lead organisation (organisations engaged)."""
    return Application.objects.filter(
        created_at__gte=day_start(start), created_at__lt=day_start(end), project__lead_organisation__kind=kind
    ).annotate(kpi_on=F("created_at"), kpi_key=F("project__lead_organisation"))
