"""Reads of projects, scoped to what the user may see, and the records behind the KPI figures.

The KPI selectors return what counts in a period of days [start, end), annotated as `kpis/methods.py` reads
every source (`kpi_on`, and `kpi_value` or `kpi_key`); the ledger makes both the figure and the list of records
behind it from that one queryset.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, F, QuerySet

from projectoffice.accounts.models import User
from projectoffice.accounts.rules import AnyUser, can_oversee
from projectoffice.lib.days import day_start
from projectoffice.projects.models import Project, ProjectInvestment, ProjectPartner, ProjectQuerySet, StageMove
from projectoffice.projects.stages import ORDER, Stage


def projects_visible_to(user: AnyUser) -> ProjectQuerySet:
    """The projects this user may see (the same scope for the UI and the API)."""
    if can_oversee(user) or (isinstance(user, User) and user.is_expert):
        return Project.objects.all()
    if isinstance(user, User) and user.is_active and user.organisation_ids:
        return Project.objects.visible_to_members_of(user.organisation_ids)
    return Project.objects.none()


def project_list(*, user: AnyUser, filters: dict[str, Any] | None = None) -> ProjectQuerySet:
    filters = filters or {}
    qs = projects_visible_to(user).select_related("lead_organisation").prefetch_related("technologies")
    if filters.get("q"):
        qs = qs.search(filters["q"])
    if filters.get("stage"):
        qs = qs.filter(stage=filters["stage"])
    if filters.get("organisation"):
        qs = qs.filter(lead_organisation=filters["organisation"])
    if filters.get("trl_min"):
        qs = qs.filter(trl__gte=filters["trl_min"])
    if filters.get("trl_max"):
        qs = qs.filter(trl__lte=filters["trl_max"])
    if filters.get("tag"):
        qs = qs.filter(technologies__name=filters["tag"]).distinct()
    return qs.order_by("-updated_at", "-id")


def project_board(*, user: AnyUser, filters: dict[str, Any] | None = None) -> list[tuple[Stage, list[Project]]]:
    """Columns of the kanban board in pipeline order (two queries whatever the number of projects)."""
    columns: dict[str, list[Project]] = {stage: [] for stage in ORDER}
    for project in project_list(user=user, filters=filters).order_by("-stage_changed_at", "-id"):
        columns[project.stage].append(project)
    return [(stage, columns[stage]) for stage in ORDER]


def stage_counts(*, user: AnyUser) -> list[tuple[Stage, int]]:
    counts = dict(projects_visible_to(user).order_by().values_list("stage").annotate(n=Count("id", distinct=True)))
    return [(stage, counts.get(stage, 0)) for stage in ORDER]


def recent_stage_moves(*, user: AnyUser, limit: int = 10) -> list[StageMove]:
    visible = projects_visible_to(user).values("pk")
    return list(
        StageMove.objects.filter(project__in=visible).select_related("project", "actor").order_by("-created_at")[:limit]
    )


def investments_received(*, start: dt.date, end: dt.date) -> QuerySet[ProjectInvestment]:
    """Money invested into projects outside applications, received within [start, end) (investment attracted)."""
    return (
        ProjectInvestment.objects.filter(received_on__gte=start, received_on__lt=end)
        .annotate(kpi_on=F("received_on"), kpi_value=F("amount"))
        .select_related("project")
    )


def projects_led(*, start: dt.date, end: dt.date, kind: str, declined: bool = True) -> QuerySet[Project]:
    """Projects started within [start, end) and led by an organisation of this kind; `kpi_key` is the lead
    organisation. Without `declined`, projects the office declined do not count."""
    projects = Project.objects.filter(
        created_at__gte=day_start(start), created_at__lt=day_start(end), lead_organisation__kind=kind
    )
    if not declined:
        projects = projects.exclude(stage=Stage.DECLINED)
    return projects.annotate(kpi_on=F("created_at"), kpi_key=F("lead_organisation"))


def projects_partnered(*, start: dt.date, end: dt.date, kind: str, declined: bool = True) -> QuerySet[ProjectPartner]:
    """Partnerships of organisations of this kind in projects started within [start, end); `kpi_key` is the
    partner organisation. Without `declined`, projects the office declined do not count."""
    partnerships = ProjectPartner.objects.filter(
        project__created_at__gte=day_start(start), project__created_at__lt=day_start(end), organisation__kind=kind
    )
    if not declined:
        partnerships = partnerships.exclude(project__stage=Stage.DECLINED)
    return partnerships.annotate(kpi_on=F("project__created_at"), kpi_key=F("organisation"))
