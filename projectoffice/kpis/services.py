"""Writes to the ledger: targets, manual entries (with evidence and a second approver), links, report submission."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from projectoffice.accounts.models import User
from projectoffice.accounts.rules import is_staff
from projectoffice.audit.services import audit_record
from projectoffice.kpis.ledger import build_snapshot, sha256
from projectoffice.kpis.models import (
    EntryStatus,
    Indicator,
    ManualEntry,
    Method,
    QuarterlyReport,
    ReportStatus,
    Target,
)
from projectoffice.lib import formats
from projectoffice.lib.bounds import validate_fields
from projectoffice.lib.uploads import validate_upload

DEFAULT_COLUMNS = [
    "indicator",
    "unit",
    "target_year",
    "target_quarter",
    "fact_quarter",
    "fact_cumulative",
    "percent",
    "comment",
]


def _staff(actor: User) -> None:
    if not is_staff(actor):
        raise PermissionDenied("Только сотрудники офиса.")


def _period(year: int, quarter: int | None) -> None:
    if not 2000 <= year <= 2100:
        raise ValidationError("Год — с 2000 по 2100.")
    if quarter is not None and not 1 <= quarter <= 4:
        raise ValidationError("Такого квартала нет: квартал — от 1 до 4.")


@transaction.atomic
def target_set(
    *,
    actor: User,
    indicator: Indicator,
    year: int,
    quarter: int | None,
    value: Decimal,
    agreement_number: str,
    agreement_date: Any,
) -> Target:
    _staff(actor)
    _period(year, quarter)
    if value < 0:
        raise ValidationError("План не может быть отрицательным.")
    defaults = {"value": value, "agreement_number": agreement_number, "agreement_date": agreement_date}
    validate_fields(Target(indicator=indicator, year=year, quarter=quarter, **defaults), *defaults)
    target, _ = Target.objects.update_or_create(indicator=indicator, year=year, quarter=quarter, defaults=defaults)
    audit_record(
        actor=actor,
        action="kpis.target_set",
        instance=indicator,
        changes={f"{f'{quarter} кв. ' if quarter else ''}{year}": {"before": None, "after": str(value)}},
    )
    return target


@transaction.atomic
def manual_entry_add(
    *,
    actor: User,
    indicator: Indicator,
    year: int,
    quarter: int,
    value: Decimal,
    comment: str,
    evidence: UploadedFile | None,
) -> ManualEntry:
    _staff(actor)
    _period(year, quarter)
    if indicator.method != Method.MANUAL:
        raise ValidationError("Этот показатель считается по записям платформы, вручную его не вносят.")
    if value < 0:
        raise ValidationError("Значение не может быть отрицательным.")
    if evidence is None:
        raise ValidationError("Приложите подтверждающий документ.")
    data = evidence.read()
    validate_upload(data, evidence.name or "", None)
    evidence.seek(0)
    entry = ManualEntry(
        indicator=indicator,
        year=year,
        quarter=quarter,
        value=value,
        comment=comment.strip(),
        evidence=evidence,
        entered_by=actor,
    )
    validate_fields(entry, "value", "comment")
    entry.save()
    audit_record(
        actor=actor,
        action="kpis.entry_added",
        instance=indicator,
        changes={f"{quarter} кв. {year}": {"before": None, "after": str(value)}},
    )
    return entry


@transaction.atomic
def manual_entry_decide(*, actor: User, entry: ManualEntry, approve: bool) -> ManualEntry:
    _staff(actor)
    entry = ManualEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.entered_by_id == actor.pk:
        raise ValidationError("Утверждает другой сотрудник, не автор записи.")
    if entry.status != EntryStatus.PENDING:
        raise ValidationError("Решение по записи уже принято.")
    entry.status = EntryStatus.APPROVED if approve else EntryStatus.REJECTED
    entry.approved_by, entry.approved_at = actor, timezone.now()
    entry.save(update_fields=["status", "approved_by", "approved_at"])
    audit_record(
        actor=actor,
        action="kpis.entry_decided",
        instance=entry.indicator,
        changes={f"{entry.quarter} кв. {entry.year}": {"before": "ждёт", "after": entry.get_status_display()}},
    )
    return entry


def report_get_or_create(*, year: int, quarter: int) -> QuarterlyReport:
    _period(year, quarter)
    try:
        report, _ = QuarterlyReport.objects.get_or_create(
            year=year, quarter=quarter, defaults={"columns": DEFAULT_COLUMNS}
        )
    except IntegrityError:
        report = QuarterlyReport.objects.get(year=year, quarter=quarter)
    return report


@transaction.atomic
def report_submit(*, actor: User, report: QuarterlyReport, comments: dict[str, str] | None = None) -> QuarterlyReport:
    """Freeze the figures and their records with a SHA-256; a report is submitted once."""
    _staff(actor)
    report = QuarterlyReport.objects.select_for_update().get(pk=report.pk)
    if report.status == ReportStatus.SUBMITTED:
        raise ValidationError(
            f"Отчёт за {report.quarter} кв. {report.year} уже сдан {formats.datetime(report.submitted_at)}."
        )
    if comments:
        report.comments = {k: v.strip()[:2000] for k, v in comments.items()}
    report.snapshot = build_snapshot(report)
    report.sha256 = sha256(report.snapshot)
    report.status, report.submitted_by, report.submitted_at = ReportStatus.SUBMITTED, actor, timezone.now()
    report.save()
    audit_record(
        actor=actor,
        action="kpis.report_submitted",
        instance=report,
        changes={"sha256": {"before": None, "after": report.sha256}},
    )
    return report
