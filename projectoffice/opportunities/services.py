"""Writes to opportunities: create, update, verify, publish, suspend and close, all audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from projectoffice.accounts.models import User
from projectoffice.audit.services import audit_record, diff, planned_snapshot, snapshot
from projectoffice.lib.cleaning import strip_invisible
from projectoffice.opportunities import search_index
from projectoffice.opportunities.models import Opportunity, OpportunityStatus

EDITABLE_FIELDS = [
    f.name
    for f in Opportunity._meta.get_fields()
    if getattr(f, "editable", False)
    and not f.auto_created
    and f.name not in {"search_text", "created_at", "updated_at"}
]


@transaction.atomic
def opportunity_create(*, actor: User | None, data: dict[str, Any], reindex: bool = True) -> Opportunity:
    """Create an opportunity and return it as stored (its text cleaned of invisible characters).

    The search index follows after the commit; bulk importers pass `reindex=False` and index once at the end.
    """
    opportunity = Opportunity()
    _apply(opportunity, data)
    audit_record(
        actor=actor,
        action="opportunities.created",
        instance=opportunity,
        changes=diff({}, snapshot(opportunity, _editable(data))),
    )
    if reindex:
        search_index.reindex_on_commit([opportunity.pk])
    return opportunity


@transaction.atomic
def opportunity_update(
    *, actor: User | None, opportunity: Opportunity, data: dict[str, Any], reindex: bool = True
) -> tuple[Opportunity, bool]:
    """Apply the given fields; returns the opportunity as stored and whether anything changed.

    Nothing is written, audited or re-indexed when every value is already as given.
    """
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    before = snapshot(opportunity, _editable(data))
    if not diff(before, planned_snapshot(before, data)):
        return opportunity, False
    _apply(opportunity, data)
    changes = diff(before, snapshot(opportunity, _editable(data)))
    audit_record(actor=actor, action="opportunities.updated", instance=opportunity, changes=changes)
    if reindex:
        search_index.reindex_on_commit([opportunity.pk])
    return opportunity, True


def _editable(data: dict[str, Any]) -> list[str]:
    return [name for name in data if name in EDITABLE_FIELDS]


def _apply(opportunity: Opportunity, data: dict[str, Any]) -> None:
    for name, value in data.items():
        setattr(opportunity, name, value)
    opportunity.search_text = opportunity.build_search_text()
    opportunity.full_clean()
    opportunity.save()


@transaction.atomic
def opportunity_set_status(*, actor: User, opportunity: Opportunity, status: str) -> Opportunity:
    """Publish, close or return to draft; leaving a suspension clears its reason and date (the audit log keeps them).
    Suspending goes through opportunity_suspend, which asks for the reason and the date."""
    if status not in OpportunityStatus.values:
        raise ValueError(status)
    if status == OpportunityStatus.SUSPENDED:
        raise ValidationError("Приостановка отмечается с причиной и датой: «Приостановлено по источнику».")
    before = opportunity.status
    if before == status:
        return opportunity
    Opportunity.objects.filter(pk=opportunity.pk).update(
        status=status, suspended_on=None, suspension_reason="", updated_at=timezone.now()
    )
    opportunity.status, opportunity.suspended_on, opportunity.suspension_reason = status, None, ""
    audit_record(
        actor=actor,
        action="opportunities.status_changed",
        instance=opportunity,
        changes={"status": {"before": before, "after": status}},
    )
    search_index.reindex_on_commit([opportunity.pk])
    return opportunity


@transaction.atomic
def opportunity_suspend(*, actor: User, opportunity: Opportunity, reason: str, on: dt.date) -> Opportunity:
    """Mark the entry suspended as its source says (verified today): shown with the reason and the date, and no
    longer offered as open in the catalogue, matching, digests or «closing soon»."""
    reason = strip_invisible(reason).strip()
    if not reason:
        raise ValidationError("Укажите причину приостановки (как в источнике).")
    if on > timezone.localdate():
        raise ValidationError("Дата приостановки не может быть в будущем.")
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    before = {"status": opportunity.status, "причина": opportunity.suspension_reason or None}
    values = {
        "status": OpportunityStatus.SUSPENDED,
        "suspended_on": on,
        "suspension_reason": reason[:2000],
        "verified_on": timezone.localdate(),
        "updated_at": timezone.now(),
    }
    Opportunity.objects.filter(pk=opportunity.pk).update(**values)
    for name, value in values.items():
        setattr(opportunity, name, value)
    audit_record(
        actor=actor,
        action="opportunities.suspended",
        instance=opportunity,
        changes={
            "status": {"before": before["status"], "after": OpportunityStatus.SUSPENDED},
            "причина": {"before": before["причина"], "after": reason[:2000]},
            "приостановка отмечена": {"before": None, "after": on.isoformat()},
        },
    )
    search_index.reindex_on_commit([opportunity.pk])
    return opportunity


@transaction.atomic
def opportunity_verify(*, actor: User, opportunity: Opportunity, on: dt.date | None = None) -> Opportunity:
    """Record that staff checked the entry against its source today."""
    day = on or timezone.localdate()
    before = opportunity.verified_on
    Opportunity.objects.filter(pk=opportunity.pk).update(verified_on=day)
    opportunity.verified_on = day
    changes = {"verified_on": {"before": before.isoformat() if before else None, "after": day.isoformat()}}
    audit_record(actor=actor, action="opportunities.verified", instance=opportunity, changes=changes)
    return opportunity
