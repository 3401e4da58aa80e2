"""Reads of applications, scoped to the user, and the records the KPI ledger counts."""

from __future__ import annotations

from django.db.models import F, Q, QuerySet

from projectoffice.accounts.models import User
from projectoffice.accounts.rules import AnyUser, can_oversee
from projectoffice.applications.models import Application, ApplicationQuerySet, ApplicationStatus, ExpertAssignment

SUBMITTED_OR_DECIDED = [
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.SUPPORTED,
    ApplicationStatus.DECLINED,
    ApplicationStatus.WITHDRAWN,
]
PREPARED_READINESS = 80


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


def investment_records() -> QuerySet[Application]:
    """Supported applications with their awarded support and attracted co-financing (investment attracted)."""
    return Application.objects.filter(status=ApplicationStatus.SUPPORTED).select_related("project", "opportunity")


def prepared_projects() -> QuerySet[Application]:
    """Applications submitted with readiness ≥ 80 at submission ("projects prepared")."""
    return Application.objects.filter(
        status__in=SUBMITTED_OR_DECIDED, readiness_at_submission__gte=PREPARED_READINESS
    ).select_related("project")
