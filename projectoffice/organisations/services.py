"""Writes to the registry; each one is atomic and leaves an audit record."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import transaction

from projectoffice.accounts.models import User
from projectoffice.audit.services import audit_record, diff, planned_snapshot, snapshot
from projectoffice.classifiers.services import tags_get_or_create
from projectoffice.organisations.models import Contact, Organisation, OrganisationFigures, SoftwareProduct

SCALAR_FIELDS = [
    "kind", "name", "short_name", "inn", "ogrn", "region", "main_okved", "founded_on", "it_accredited",
    "it_accreditation_date", "description", "website", "email", "phone", "address",
]  # fmt: skip
M2M_FIELDS = ["extra_okveds", "competencies", "technologies"]
AUDITED_FIELDS = SCALAR_FIELDS + M2M_FIELDS


def _apply(organisation: Organisation, data: dict[str, Any]) -> None:
    for name in SCALAR_FIELDS:
        if name in data:
            setattr(organisation, name, data[name])
    organisation.search_text = organisation.build_search_text()
    organisation.full_clean(exclude=["extra_okveds", "competencies", "technologies"])
    organisation.save()
    if "extra_okveds" in data:
        organisation.extra_okveds.set(data["extra_okveds"])
    for name in ("competencies", "technologies"):
        if name in data:
            getattr(organisation, name).set(tags_get_or_create(names=data[name]))


@transaction.atomic
def organisation_create(*, actor: User | None, data: dict[str, Any], is_demo: bool = False) -> Organisation:
    """Create an organisation from cleaned form data."""
    organisation = Organisation(is_demo=is_demo)
    _apply(organisation, data)
    audit_record(
        actor=actor,
        action="organisations.created",
        instance=organisation,
        changes=diff({}, snapshot(organisation, AUDITED_FIELDS)),
    )
    return organisation


@transaction.atomic
def organisation_update(*, actor: User | None, organisation: Organisation, data: dict[str, Any]) -> bool:
    """Update an organisation; returns False (and records nothing) when nothing changed."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = snapshot(organisation, AUDITED_FIELDS)
    changes = diff(before, planned_snapshot(before, data))
    if not changes:
        return False  # nothing is written, not even the modification time
    _apply(organisation, data)
    audit_record(actor=actor, action="organisations.updated", instance=organisation, changes=changes)
    return True


@transaction.atomic
def figures_set(*, actor: User | None, organisation: Organisation, year: int, revenue: Any, headcount: Any) -> None:
    """Record (or correct) one year's revenue and headcount."""
    figures, created = OrganisationFigures.objects.get_or_create(organisation=organisation, year=year)
    before = {
        "revenue": None if created else str(figures.revenue),
        "headcount": None if created else figures.headcount,
    }
    figures.revenue, figures.headcount = revenue, headcount
    figures.full_clean()
    figures.save()
    after = {"revenue": None if revenue is None else str(revenue), "headcount": headcount}
    changes = {f"{year}.{k}": v for k, v in diff(before, after).items()}
    latest = OrganisationFigures.objects.filter(organisation=organisation).order_by("-year").first()
    category = (latest.size_category or "") if latest else ""
    if category != organisation.size_category:
        changes["size_category"] = {"before": organisation.size_category, "after": category}
        organisation.size_category = category
        organisation.save(update_fields=["size_category", "updated_at"])
    if changes:
        audit_record(actor=actor, action="organisations.figures_set", instance=organisation, changes=changes)


Child = TypeVar("Child", SoftwareProduct, Contact)


def _child_add(actor: User | None, organisation: Organisation, child: Child, key: str, label: str) -> Child:
    child.full_clean()
    child.save()
    audit_record(
        actor=actor,
        action=f"organisations.{key}_added",
        instance=organisation,
        changes={key: {"before": None, "after": label}},
    )
    return child


@transaction.atomic
def product_add(*, actor: User | None, organisation: Organisation, data: dict[str, Any]) -> SoftwareProduct:
    product = SoftwareProduct(organisation=organisation, **data)
    label = f"{product.name} ({product.registry_number or 'без номера'})"
    return _child_add(actor, organisation, product, "product", label)


@transaction.atomic
def contact_add(*, actor: User | None, organisation: Organisation, data: dict[str, Any]) -> Contact:
    contact = Contact(organisation=organisation, **data)
    return _child_add(actor, organisation, contact, "contact", contact.full_name)
