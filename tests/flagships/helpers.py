"""Shared by the flagships tests: a flagship that meets the promise, and the materials it needs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from projectoffice.flagships import services
from projectoffice.flagships.models import Flagship
from projectoffice.materials.models import Lang
from projectoffice.organisations.models import OrganisationKind
from projectoffice.projects.models import PartnerRole
from tests.factories import OrganisationFactory, ProjectFactory, ProjectPartnerFactory
from tests.materials.helpers import EN, RU, fill

PILOT = {"pilot_scope": "Пилот на двух станциях водоканала.", "integration": "Интеграция с SCADA через OPC UA."}


def flagship_with_partners(staff: Any, *, targets: list[str] | None = None, showcase: bool = False) -> Flagship:
    project = ProjectFactory(title="Цифровой двойник насосной станции", lead_organisation=OrganisationFactory())
    ProjectPartnerFactory(
        project=project, organisation=OrganisationFactory(kind=OrganisationKind.UNIVERSITY), role=PartnerRole.RESEARCH
    )
    ProjectPartnerFactory(
        project=project, organisation=OrganisationFactory(kind=OrganisationKind.INDUSTRIAL), role=PartnerRole.INDUSTRIAL
    )
    return services.flagship_mark(
        actor=staff, project=project, data={"target_classes": targets or ["large_company"], "showcase": showcase}
    )


def complete_materials(staff: Any, flagship: Flagship, *, english: bool = False) -> None:
    fill(staff, flagship.project, Lang.RU, {**RU, **PILOT})
    if english:
        fill(staff, flagship.project, Lang.EN, EN)


def engage(staff: Any, flagship: Flagship, on: dt.date, funder_class: str = "large_company") -> Any:
    deal = services.deal_create(
        actor=staff,
        project=flagship.project,
        data={"funder_name": "ПАО «Корпорация»", "funder_class": funder_class},
        on=on,
    )
    return services.deal_move(actor=staff, deal=deal, to_stage="intro_made", on=on)
