"""Reads of the flagship portfolio, the deal board and the «≥ 5 flagship projects» promise."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from projectoffice.flagships.models import ENGAGED_DEAL_STAGES, Deal, DealMove, DealStage, Flagship, FunderProfile
from projectoffice.materials.funder_classes import FunderClass
from projectoffice.materials.readiness import materials_complete, sections_of
from projectoffice.organisations.models import OrganisationKind
from projectoffice.projects.models import PartnerRole

SCIENCE_KINDS = {OrganisationKind.UNIVERSITY}
BUSINESS_KINDS = {OrganisationKind.IT_COMPANY, OrganisationKind.INDUSTRIAL, OrganisationKind.CORPORATION,
                  OrganisationKind.INVESTOR}  # fmt: skip


@dataclass
class Readiness:
    funder_class: str
    label: str
    complete: bool
    missing: list[str]


@dataclass
class FlagshipCard:
    """One flagship on the portfolio page: partners, materials per targeted class, funders and their stages."""

    flagship: Flagship
    science: list[str]
    business: list[str]
    readiness: list[Readiness]
    deals: list[Deal]
    engaged_on: dt.date | None  # the first day a funder of a targeted class engaged (introduction made or later)
    reasons: list[str] = field(default_factory=list)  # why the promise is not met yet

    @property
    def meets_promise(self) -> bool:
        return not self.reasons


def flagships_queryset() -> QuerySet[Flagship]:
    """Everything the portfolio needs, in a fixed number of queries whatever the number of flagships."""
    return Flagship.objects.select_related("project__lead_organisation").prefetch_related(
        "project__partnerships__organisation",
        "project__material_sections",
        Prefetch(
            "project__deals",
            queryset=Deal.objects.select_related("owner", "channel").prefetch_related(
                Prefetch("moves", queryset=DealMove.objects.order_by("on", "id"))
            ),
        ),
    )


def _engaged_on(deals: list[Deal], targets: set[str]) -> dt.date | None:
    days = [
        move.on
        for deal in deals
        if deal.funder_class in targets and deal.stage in ENGAGED_DEAL_STAGES
        for move in deal.moves.all()
        if move.to_stage in ENGAGED_DEAL_STAGES
    ]
    return min(days, default=None)


def card(flagship: Flagship) -> FlagshipCard:
    project = flagship.project
    science: list[str] = []
    business: list[str] = []
    lead = project.lead_organisation
    (science if lead.kind in SCIENCE_KINDS else business if lead.kind in BUSINESS_KINDS else []).append(str(lead))
    for partnership in project.partnerships.all():
        org = partnership.organisation
        if partnership.role == PartnerRole.RESEARCH or org.kind in SCIENCE_KINDS:
            science.append(str(org))
        elif partnership.role in {PartnerRole.INDUSTRIAL, PartnerRole.INVESTOR} or org.kind in BUSINESS_KINDS:
            business.append(str(org))
    found = sections_of(project)
    readiness = []
    for code in flagship.target_classes:
        complete, missing = materials_complete(project, code, found=found)
        readiness.append(Readiness(code, FunderClass(code).label, complete, missing))
    deals = sorted(project.deals.all(), key=lambda d: (d.stage in {DealStage.CLOSED, DealStage.DECLINED}, d.pk))
    targets = set(flagship.target_classes)
    engaged_on = _engaged_on(deals, targets)
    reasons = []
    if not science:
        reasons.append("нет партнёра из науки (вуз или научный институт)")
    if not business:
        reasons.append("нет партнёра из бизнеса")
    if not any(r.complete for r in readiness):
        reasons.append("материалы не готовы ни для одного целевого класса инвесторов")
    if engaged_on is None:
        reasons.append("нет вовлечённого инвестора целевого класса (знакомство состоялось или дальше)")
    return FlagshipCard(flagship, science, business, readiness, deals, engaged_on, reasons)


def portfolio() -> list[FlagshipCard]:
    return [card(f) for f in flagships_queryset()]


def flagships_meeting_promise(*, start: dt.date, end: dt.date) -> list[FlagshipCard]:
    """Flagships that meet the promise (science and business partners, materials complete for a targeted class,
    a funder of a targeted class engaged), counted on the day the first targeted funder engaged, within
    [start, end). Materials and partners are judged as they are now: the records behind the figure show both."""
    return sorted(
        (c for c in portfolio() if c.meets_promise and c.engaged_on and start <= c.engaged_on < end),
        key=lambda c: (c.engaged_on, c.flagship.pk),
    )


def deal_board() -> list[tuple[DealStage, list[Deal]]]:
    """Every deal of every project, by stage: the board across all flagships."""
    deals = list(Deal.objects.select_related("project", "owner").order_by("next_step_due", "-updated_at", "-id"))
    return [(stage, [d for d in deals if d.stage == stage]) for stage in DealStage]


def funder_profiles() -> QuerySet[FunderProfile]:
    return FunderProfile.objects.select_related("organisation", "channel").prefetch_related("technologies")


def showcase_flagships() -> list[Flagship]:
    return list(
        Flagship.objects.filter(showcase=True)
        .select_related("project__lead_organisation")
        .prefetch_related("project__material_sections", "project__technologies")
        .order_by("project__title")
    )
