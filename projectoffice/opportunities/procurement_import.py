"""Imports procurement files, folders and ZIP archives into tenders, idempotently and version-aware."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from projectoffice.classifiers.models import OkpdCode, Region
from projectoffice.lib import formats
from projectoffice.lib.upload_limits import size_text
from projectoffice.opportunities import search_index
from projectoffice.opportunities.models import (
    ContractReport,
    OpportunityKind,
    OpportunityStatus,
    PendingProcurementDocument,
    Tender,
    TenderBid,
    TenderContract,
    TenderCustomer,
    TenderItem,
    TenderLot,
    TenderStatus,
)
from projectoffice.opportunities.procurement import (
    KTRU,
    OKPD2,
    BidRecord,
    ContractRecord,
    ContractReportRecord,
    Record,
    SourceError,
    StatusRecord,
    TenderRecord,
    parse_datetime,
    read_ocds,
    read_portal_csv,
    read_xml,
)
from projectoffice.opportunities.services import opportunity_create, opportunity_update
from projectoffice.organisations.models import Organisation

# One document bigger than this is not read whole: an XML notice is refused, a CSV export is cut at a row
# boundary with a warning saying which rows were read. OCDS JSON is streamed and has no such limit.
MAX_FILE_BYTES = 50 * 1024 * 1024
LICENCE = "Открытые данные ЕИС в сфере закупок (44-ФЗ ст. 4): информация общедоступна и бесплатна"
OKPD2_SCHEMES = {OKPD2, KTRU}  # a KTRU position extends the OKPD2 code it starts with
CLOSED_STATES = {TenderStatus.CANCELLED, TenderStatus.FINISHED, TenderStatus.FAILED}
READ, CUT, REFUSED = "read", "cut", "refused"
logger = logging.getLogger(__name__)


@dataclass
class ImportProblem:
    file: str
    position: str
    reason: str

    def __str__(self) -> str:
        where = f" ({self.position})" if self.position else ""
        return f"{self.file}{where}: {self.reason}"


@dataclass
class FileVerdict:
    """What became of one file: read whole, cut (what was left out is said), or refused (with the reason)."""

    file: str
    outcome: str  # READ, CUT or REFUSED
    note: str

    def __str__(self) -> str:
        label = {READ: "прочитан", CUT: "прочитан не весь", REFUSED: "не прочитан"}[self.outcome]
        return f"{self.file}: {label} — {self.note}"


# Columns of the table of documents by type the command ends with.
READ_NEW, UPDATED, UNCHANGED, WAITING, DOC_REFUSED = "new", "updated", "unchanged", "waiting", "refused"
TABLE_COLUMNS = {
    READ_NEW: "прочитано новых",
    UPDATED: "обновлено",
    UNCHANGED: "без изменений",
    WAITING: "ждут извещения",
    DOC_REFUSED: "отклонено",
}


@dataclass
class ProcurementReport:
    files: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    status_updates: int = 0
    unknown_notices: int = 0  # documents kept until their notice arrives
    linked: int = 0  # kept documents applied to a notice that arrived
    problems: list[ImportProblem] = field(default_factory=list)
    verdicts: list[FileVerdict] = field(default_factory=list)
    touched: list[int] = field(default_factory=list)  # opportunities whose index entries must follow
    by_type: dict[str, dict[str, int]] = field(default_factory=dict)
    # Documents kept for their notice in this run: (notice, key) → (document type, «file: document → notice»).
    waiting: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)

    @property
    def records(self) -> int:
        return self.created + self.updated + self.unchanged + self.status_updates + self.unknown_notices

    def outcomes(self, outcome: str) -> list[FileVerdict]:
        return [verdict for verdict in self.verdicts if verdict.outcome == outcome]

    @property
    def waiting_lines(self) -> list[str]:
        return [line for _, line in self.waiting.values()]

    def count(self, document: str, outcome: str) -> None:
        row = self.by_type.setdefault(document or "неизвестный", dict.fromkeys(TABLE_COLUMNS, 0))
        row[outcome] += 1


@dataclass
class Source:
    """One document to read: its display name, an open binary stream and its full size in bytes."""

    name: str
    stream: IO[bytes]
    size: int


class FileCut(Exception):
    """Raised by a reader after its last record when it left the rest of the file unread."""


Progress = Callable[[str], None]


def _refuse(report: ProcurementReport, name: str, reason: str, position: str = "") -> None:
    report.problems.append(ImportProblem(name, position, reason))
    report.verdicts.append(FileVerdict(name, REFUSED, f"{reason} ({position})" if position else reason))
    report.count(_kind_of(name), DOC_REFUSED)


def documents_table(report: ProcurementReport) -> list[str]:
    """The table of documents by type the command ends with: read, updated, kept waiting, refused."""
    width = max([len("тип документа"), *(len(kind) for kind in report.by_type)])
    header = f"{'тип документа':<{width}}  " + "  ".join(TABLE_COLUMNS.values())
    lines = [header]
    totals = dict.fromkeys(TABLE_COLUMNS, 0)
    for kind in sorted(report.by_type):
        row = report.by_type[kind]
        cells = "  ".join(f"{formats.number(row[key]):>{len(label)}}" for key, label in TABLE_COLUMNS.items())
        lines.append(f"{kind:<{width}}  {cells}")
        for key in totals:
            totals[key] += row[key]
    cells = "  ".join(f"{formats.number(totals[key]):>{len(label)}}" for key, label in TABLE_COLUMNS.items())
    lines.append(f"{'всего':<{width}}  {cells}")
    return lines


def _kind_of(name: str) -> str:
    """The document type a refused file was meant to hold: the portal names files after it."""
    base = Path(name.split("!")[-1]).name
    suffix = Path(base).suffix.lower()
    if suffix == ".json":
        return "OCDS"
    if suffix == ".csv":
        return "CSV-выгрузка"
    stem = re.sub(r"^\d+_", "", Path(base).stem)
    return re.split(r"[_\W]", stem, maxsplit=1)[0] or base


def _sources(paths: list[Path], report: ProcurementReport) -> Iterator[Source]:
    """Every file, including members of folders and ZIP archives; what cannot be opened gets its verdict here."""
    for path in paths:
        if path.is_dir():
            yield from _sources(sorted(p for p in path.rglob("*") if p.is_file()), report)
        elif not path.exists():
            _refuse(report, str(path), "файл не найден")
        elif path.suffix.lower() == ".zip":
            try:
                with zipfile.ZipFile(path) as archive:
                    for member in archive.infolist():
                        if member.is_dir():
                            continue
                        name = f"{path.name}!{member.filename}"
                        try:
                            with archive.open(member) as handle:
                                yield Source(name, handle, member.file_size)
                        except (zipfile.BadZipFile, EOFError, OSError, RuntimeError, NotImplementedError) as exc:
                            _refuse(report, name, f"архив повреждён или не поддерживается: {exc}")
            except (zipfile.BadZipFile, EOFError, OSError) as exc:
                _refuse(report, str(path), f"архив повреждён или обрезан: {exc}")
        else:
            try:
                handle = path.open("rb")
            except OSError as exc:
                _refuse(report, str(path), f"файл не открывается: {exc.strerror or exc}")
                continue
            with handle:
                yield Source(str(path), handle, path.stat().st_size)


def _records(source: Source) -> Iterator[tuple[str, Record]]:
    lower = source.name.lower()
    if lower.endswith(".json"):
        yield from read_ocds(source.stream)
    elif lower.endswith(".xml"):
        if source.size > MAX_FILE_BYTES:
            raise SourceError(f"XML-документ больше {size_text(MAX_FILE_BYTES)} ({size_text(source.size)})")
        data = source.stream.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise SourceError(f"XML-документ больше {size_text(MAX_FILE_BYTES)}")
        for index, record in enumerate(read_xml(data, Path(source.name.split("!")[-1]).name)):
            yield (f"позиция {index + 1}" if index else ""), record
    elif lower.endswith(".csv"):
        yield from _portal_csv(source)
    else:
        raise SourceError("неизвестный формат: ожидаются .xml, .json, .csv или .zip")


def _portal_csv(source: Source) -> Iterator[tuple[str, Record]]:
    """The CSV export; one over MAX_FILE_BYTES is read up to its last whole line within the limit, its last
    row (perhaps cut through) is dropped, and FileCut says which rows were read and how much was not."""
    data = source.stream.read(MAX_FILE_BYTES + 1)
    if len(data) <= MAX_FILE_BYTES:
        yield from read_portal_csv(data)
        return
    end = data.rfind(b"\n", 0, MAX_FILE_BYTES)
    if end <= data.find(b"\n"):  # not even the first row ends within the limit
        raise SourceError(
            f"строка длиннее {size_text(MAX_FILE_BYTES)}: это не CSV-выгрузка поиска закупок",
            "строка 2" if end >= 0 else "строка 1",
        )
    records = read_portal_csv(data[: end + 1])
    last_row = 1
    pending = next(records, None)
    while pending is not None:
        following = next(records, None)
        if following is None:
            break  # the last row before the cut may be a part of a longer one: it is not imported
        last_row = int(pending[0].rsplit(" ", 1)[-1])
        yield pending
        pending = following
    rows = f"импортированы строки 2–{last_row}" if last_row >= 2 else "не импортировано ни одной строки"
    raise FileCut(
        f"файл {size_text(max(source.size, len(data)))} больше допустимых {size_text(MAX_FILE_BYTES)}: "
        f"{rows} (первые {size_text(end + 1)}), остальное не прочитано — разделите файл"
    )


def import_procurement(paths: list[Path], progress: Progress = lambda _: None) -> ProcurementReport:
    """Import everything readable; every file gets a verdict (read, cut, refused with the reason) and the
    batch goes on whatever one file holds."""
    report = ProcurementReport()
    context = _Context()
    for source in _sources(paths, report):
        report.files += 1
        _import_file(source, report, context)
        if report.files % 100 == 0:
            progress(f"файлов: {report.files}, новых закупок: {report.created}, обновлено: {report.updated}")
    reindex_after_import(report)
    return report


def _import_file(source: Source, report: ProcurementReport, context: _Context) -> None:
    records_before, problems_before = report.records, len(report.problems)
    try:
        for position, record in _records(source):
            try:
                _apply(record, source.name, report, context)
            except SourceError as exc:
                report.problems.append(ImportProblem(source.name, position or exc.position, exc.reason))
                report.count(record.document, DOC_REFUSED)
    except FileCut as exc:
        report.verdicts.append(
            FileVerdict(source.name, CUT, f"{exc}; {_counts(report, records_before, problems_before)}")
        )
        return
    except SourceError as exc:
        reason, position = exc.reason, exc.position
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        reason, position = f"архив повреждён: {exc}", ""
    except Exception as exc:  # the batch goes on whatever one file does; the traceback goes to the log
        logger.exception("procurement import failed on %s", source.name)
        reason, position = f"непредвиденная ошибка {exc.__class__.__name__}: {exc}", ""
    else:
        report.verdicts.append(FileVerdict(source.name, READ, _counts(report, records_before, problems_before)))
        return
    imported = report.records - records_before
    if imported:
        reason += f"; до ошибки импортировано записей: {imported}"
    _refuse(report, source.name, reason, position)


def _counts(report: ProcurementReport, records_before: int, problems_before: int) -> str:
    skipped = len(report.problems) - problems_before
    return f"записей: {report.records - records_before}" + (f", пропущено с ошибками: {skipped}" if skipped else "")


def reindex_after_import(report: ProcurementReport) -> None:
    """One index update for the whole import, after its records are committed."""
    search_index.reindex_on_commit(report.touched)


class _Context:
    """Lookups kept across one import run."""

    def __init__(self) -> None:
        self.regions = {region.tax_code: region for region in Region.objects.all()}
        self.known_codes: dict[str, OkpdCode | None] = {}
        self.organisations: dict[str, Organisation | None] = {}
        self._waiting: set[str] | None = None

    def waiting_numbers(self) -> set[str]:
        """Notice numbers that kept protocols or unlinked contracts wait for (read once, then kept up to date)."""
        if self._waiting is None:
            pending = PendingProcurementDocument.objects.values_list("purchase_number", flat=True)
            unlinked = TenderContract.objects.filter(tender__isnull=True).values_list("purchase_number", flat=True)
            self._waiting = set(pending) | set(unlinked)
        return self._waiting

    def organisation(self, inn: str) -> Organisation | None:
        """The registry's organisation with this INN (supplier, winner, customer), if it is there."""
        if not inn:
            return None
        if inn not in self.organisations:
            self.organisations[inn] = Organisation.objects.filter(inn=inn).first()
        return self.organisations[inn]

    def okpd(self, code: str) -> OkpdCode | None:
        if code not in self.known_codes:
            self.known_codes[code] = OkpdCode.objects.filter(code=code).first()
        return self.known_codes[code]


def import_records(
    records: Iterator[Record], source: str, report: ProcurementReport | None = None
) -> ProcurementReport:
    """Import already-read records (the demo's generated notices, for instance)."""
    report = report or ProcurementReport()
    context = _Context()
    for record in records:
        _apply(record, source, report, context)
    reindex_after_import(report)
    return report


def _apply(record: Record, source: str, report: ProcurementReport, context: _Context) -> None:
    """One record in its own transaction: a record the models refuse is skipped with the reason, the file goes on."""
    try:
        _apply_record(record, source, report, context)
    except ValidationError as exc:
        fields = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in exc.message_dict.items())
        raise SourceError(f"{_label(record)} не сохранена: {fields}") from None


def _label(record: Record) -> str:
    number = record.registry_number if not isinstance(record, ContractReportRecord) else record.guid
    return f"запись {record.document or 'документа'} {number}"


def _apply_record(record: Record, source: str, report: ProcurementReport, context: _Context) -> None:
    if isinstance(record, StatusRecord):
        _apply_status(record, source, report, context)
    elif isinstance(record, ContractRecord):
        _apply_contract(record, source, report, context)
    elif isinstance(record, ContractReportRecord):
        _apply_contract_report(record, source, report)
    else:
        _apply_tender(record, source, report, context)


@transaction.atomic
def _apply_status(record: StatusRecord, source: str, report: ProcurementReport, context: _Context) -> None:
    tender = Tender.objects.select_for_update().filter(registry_number=record.registry_number).first()
    if tender is None:
        _keep_waiting(record, source, report, context)
        return
    if _already_applied(tender, record):
        report.unchanged += 1
        report.count(record.document, UNCHANGED)
        return
    older = bool(record.version_at and tender.source_version_at and record.version_at < tender.source_version_at)
    bids_changed = _store_bids(tender, record, context, older=older)
    changed = [] if older else _status_changes(tender, record)
    if bids_changed and not older and not changed and record.version_at:
        tender.source_version_at = record.version_at  # a corrected protocol: its results are the newest
        tender.save(update_fields=["source_version_at"])
    if not changed:
        report.status_updates += bids_changed
        report.unchanged += not bids_changed
        report.count(record.document, UPDATED if bids_changed else UNCHANGED)
        return
    if record.version_at:
        tender.source_version_at = record.version_at
        changed.append("source_version_at")
    tender.save(update_fields=changed)
    opportunity = tender.opportunity
    status = OpportunityStatus.CLOSED if tender.tender_status in CLOSED_STATES else OpportunityStatus.PUBLISHED
    closes = _local_day(tender.submission_ends_at) or opportunity.closes_on
    opportunity_update(actor=None, opportunity=opportunity, data={"status": status, "closes_on": closes}, reindex=False)
    report.touched.append(opportunity.pk)
    report.status_updates += 1
    report.count(record.document, UPDATED)


def _already_applied(tender: Tender, record: StatusRecord) -> bool:
    """The notice's version is this protocol's publication and its state is the protocol's: read before, with
    its applications (versions set before applications were kept were cleared by migration 0006)."""
    same_version = record.version_at is not None and record.version_at == tender.source_version_at
    return same_version and record.status in {None, tender.tender_status} and not record.submission_ends_at


def _status_changes(tender: Tender, record: StatusRecord) -> list[str]:
    changed = []
    if record.status and record.status != tender.tender_status:
        tender.tender_status = record.status
        changed.append("tender_status")
    if record.submission_ends_at and record.submission_ends_at != tender.submission_ends_at:
        tender.submission_ends_at = record.submission_ends_at
        changed.append("submission_ends_at")
    return changed


def _keep_waiting(record: StatusRecord, source: str, report: ProcurementReport, context: _Context) -> None:
    """A protocol of a notice not imported yet: kept as read, applied when its notice arrives."""
    PendingProcurementDocument.objects.update_or_create(
        purchase_number=record.registry_number,
        document=record.document,
        source_file=source[:500],
        defaults={"record": _record_json(record)},
    )
    report.unknown_notices += 1
    report.count(record.document, WAITING)
    report.waiting[(record.registry_number, f"{record.document}:{source}")] = (
        record.document,
        f"{source}: {record.document} к извещению {record.registry_number}",
    )
    context.waiting_numbers().add(record.registry_number)


def _record_json(record: StatusRecord) -> dict[str, Any]:
    """The record as JSON (times and prices as text, by Django's encoder), to rebuild when its notice arrives."""
    return json.loads(json.dumps(dataclasses.asdict(record), cls=DjangoJSONEncoder))


def _record_from_json(data: dict[str, Any]) -> StatusRecord:
    values = dict(data)
    values["version_at"] = parse_datetime(values["version_at"])
    values["submission_ends_at"] = parse_datetime(values["submission_ends_at"])
    values["bids"] = [
        BidRecord(**{**bid, "price": Decimal(bid["price"]) if bid["price"] is not None else None})
        for bid in values["bids"]
    ]
    return StatusRecord(**values)


def _store_bids(tender: Tender, record: StatusRecord, context: _Context, *, older: bool) -> bool:
    """The protocol's applications replace those the same kind of protocol gave before (unless this one is older
    than the notice's state and that kind is already held); True when they changed."""
    new = [
        (b.lot, b.application[:40], b.participant_name[:500], b.participant_inn[:12], b.price, b.rank, b.admitted,
         b.is_winner, record.protocol_number[:100])
        for b in record.bids
    ]  # fmt: skip
    existing = tender.bids.filter(document=record.document)
    fields = ("lot_number", "application", "participant_name", "participant_inn", "price", "rank", "admitted",
              "is_winner", "protocol_number")  # fmt: skip
    held = [tuple(row) for row in existing.values_list(*fields)]
    if held == new or (older and held):
        return False
    existing.delete()
    TenderBid.objects.bulk_create(
        TenderBid(
            tender=tender,
            document=record.document[:64],
            participant=context.organisation(values[3]),
            **dict(zip(fields, values, strict=True)),
        )
        for values in new
    )
    return True


@transaction.atomic
def _apply_contract(record: ContractRecord, source: str, report: ProcurementReport, context: _Context) -> None:
    held = TenderContract.objects.select_for_update().filter(registry_number=record.registry_number[:100]).first()
    if held and held.version_number and record.version_number and record.version_number < held.version_number:
        report.unchanged += 1
        report.count(record.document, UNCHANGED)
        return
    tender = Tender.objects.filter(registry_number=record.purchase_number).first() if record.purchase_number else None
    values = {
        "purchase_number": record.purchase_number[:64],
        "tender": tender,
        "law": record.law,
        "customer_name": record.customer_name[:500],
        "customer_inn": record.customer_inn[:12],
        "supplier_name": record.supplier_name[:500],
        "supplier_inn": record.supplier_inn[:12],
        "supplier": context.organisation(record.supplier_inn),
        "price": record.price,
        "currency": record.currency[:3],
        "signed_on": record.signed_on,
        "starts_on": record.starts_on,
        "ends_on": record.ends_on,
        "published_at": record.published_at,
        "version_number": record.version_number,
        "portal_url": record.portal_url[:500],
    }
    if held and all(getattr(held, key) == value for key, value in values.items()):
        report.unchanged += 1
        report.count(record.document, UNCHANGED)
        return
    TenderContract.objects.update_or_create(
        registry_number=record.registry_number[:100], defaults={**values, "source_file": source[:500]}
    )
    if tender is None:
        context.waiting_numbers().add(record.purchase_number)
        report.unknown_notices += 1
        report.count(record.document, WAITING)
        report.waiting[(record.purchase_number, f"contract:{record.registry_number}")] = (
            record.document,
            f"{source}: контракт {record.registry_number} к извещению {record.purchase_number or '—'}",
        )
        return
    outcome = UPDATED if held else READ_NEW
    report.status_updates += 1
    report.count(record.document, outcome)


@transaction.atomic
def _apply_contract_report(record: ContractReportRecord, source: str, report: ProcurementReport) -> None:
    if not record.guid:
        raise SourceError("в сведениях о договорах нет guid")
    held = ContractReport.objects.filter(guid=record.guid).first()
    if held and held.version_number and record.version_number and record.version_number <= held.version_number:
        report.unchanged += 1
        report.count(record.document, UNCHANGED)
        return
    ContractReport.objects.update_or_create(
        guid=record.guid,
        defaults={
            "customer_name": record.customer_name[:500],
            "customer_inn": record.customer_inn[:12],
            "period": record.period,
            "kind": record.kind[:500],
            "contracts_number": record.contracts_number,
            "overall_cost": record.overall_cost,
            "currency": record.currency[:3],
            "published_at": record.published_at,
            "version_number": record.version_number,
            "portal_url": record.portal_url[:500],
            "source_file": source[:500],
        },
    )
    report.created += held is None
    report.updated += held is not None
    report.count(record.document, UPDATED if held else READ_NEW)


def _local_day(moment: dt.datetime | None) -> dt.date | None:
    """The day in the platform's time zone: 23:30 in Moscow is already the next day in Samara."""
    if moment is None:
        return None
    return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()


@transaction.atomic
def _apply_tender(record: TenderRecord, source: str, report: ProcurementReport, context: _Context) -> None:
    if not record.customer_name:
        raise SourceError(f"у закупки {record.registry_number} не указан заказчик")
    if record.max_price is not None and record.max_price < 0:
        raise SourceError(
            f"у закупки {record.registry_number} отрицательная сумма ({formats.number(record.max_price)} "
            f"{record.currency}): это не закупка, а уменьшение бюджета — запись пропущена"
        )
    tender = Tender.objects.select_for_update().filter(registry_number=record.registry_number).first()
    if tender and not _newer(record, tender):
        report.unchanged += 1  # the same or an older version of a notice we hold
        report.count(record.document, UNCHANGED)
        return
    data = _opportunity_data(record, context)
    if tender is None:
        opportunity, changed = opportunity_create(actor=None, data=data, reindex=False), True
    else:
        opportunity, changed = opportunity_update(actor=None, opportunity=tender.opportunity, data=data, reindex=False)
    report.touched.append(opportunity.pk)
    values = _tender_values(record, source, customer=data["provider"])
    new_items = [(i.okpd2_code[:32], i.scheme[:8], i.lot, i.name, i.quantity, i.price) for i in record.items]
    if tender is not None and not changed and _holds(tender, values, new_items):
        report.unchanged += 1
        report.count(record.document, UNCHANGED)
        return
    tender, created = Tender.objects.update_or_create(
        registry_number=record.registry_number, defaults={"opportunity": opportunity, **values}
    )
    _store_parts(tender, record, new_items, context, replace=not created)
    if created:
        report.created += 1
        report.count(record.document, READ_NEW)
        _link_waiting(tender, report, context)
    else:
        report.updated += 1
        report.count(record.document, UPDATED)


def _newer(record: TenderRecord, tender: Tender) -> bool:
    """Whether the record is a newer version than the one held: by the document's version number, else by
    its publication time; a record without either is compared by what it says."""
    numbered = record.version_number is not None and tender.version_number is not None
    if numbered and record.version_number != tender.version_number:
        return record.version_number > tender.version_number  # type: ignore[operator]
    if tender.source_version_at and record.version_at:
        return record.version_at > tender.source_version_at
    return True


def _store_parts(
    tender: Tender, record: TenderRecord, new_items: list[tuple], context: _Context, *, replace: bool
) -> None:
    """Items, lots and customers of the notice (replacing those of the version held)."""
    if replace:
        tender.items.all().delete()
        tender.lots.all().delete()
        tender.customers.all().delete()
    TenderItem.objects.bulk_create(
        TenderItem(
            tender=tender,
            okpd2_code=code if scheme in OKPD2_SCHEMES else "",
            code=code,
            code_scheme=scheme,
            lot_number=lot,
            okpd2=context.okpd(_okpd_base(code)) if scheme in OKPD2_SCHEMES and code else None,
            name=name,
            quantity=quantity,
            price=price,
        )
        for code, scheme, lot, name, quantity, price in new_items
    )
    TenderLot.objects.bulk_create(
        TenderLot(tender=tender, number=lot.number, subject=lot.subject, max_price=lot.max_price,
                  currency=lot.currency[:3])
        for lot in record.lots
    )  # fmt: skip
    TenderCustomer.objects.bulk_create(
        TenderCustomer(tender=tender, name=c.name[:500], inn=c.inn[:12], organisation=context.organisation(c.inn),
                       max_price=c.max_price)
        for c in record.customers
    )  # fmt: skip


def _link_waiting(tender: Tender, report: ProcurementReport, context: _Context) -> None:
    """Protocols and contracts that came before their notice are applied to it now; those kept earlier in this
    run no longer count as waiting."""
    number = tender.registry_number
    if number not in context.waiting_numbers():
        return
    contracts = TenderContract.objects.filter(purchase_number=number, tender__isnull=True)
    for registry in contracts.values_list("registry_number", flat=True):
        _waited(report, (number, f"contract:{registry}"), READ_NEW)
    report.linked += contracts.update(tender=tender)
    waiting = list(PendingProcurementDocument.objects.filter(purchase_number=number))
    for document in sorted(waiting, key=lambda d: d.record.get("version_at") or ""):
        _waited(report, (number, f"{document.document}:{document.source_file}"), None)
        _apply_status(_record_from_json(document.record), document.source_file, report, context)
        report.linked += 1
    PendingProcurementDocument.objects.filter(pk__in=[d.pk for d in waiting]).delete()


def _waited(report: ProcurementReport, key: tuple[str, str], outcome: str | None) -> None:
    """A document kept earlier in this run has its notice now: it leaves the waiting column (for `outcome`)."""
    kept = report.waiting.pop(key, None)
    if kept is None:
        return
    row = report.by_type[kept[0] or "неизвестный"]
    row[WAITING] -= 1
    report.unknown_notices -= 1
    if outcome:
        row[outcome] += 1


def _opportunity_data(record: TenderRecord, context: _Context) -> dict[str, Any]:
    """The opportunity a notice is shown as: regional when the customer's INN names a known region; another
    country's tender is marked with its country and is neither regional nor federal."""
    foreign = record.country not in {"RU", ""}
    region = context.regions.get(record.customer_inn[:2]) if record.customer_inn and not foreign else None
    law = f"{record.law}-ФЗ" if record.law in {"44", "223"} else f"закупка другой страны ({record.country})"
    return {
        "kind": OpportunityKind.TENDER,
        "external_id": (f"ocds-{record.country}:" if foreign else f"{record.law}-fz:") + record.registry_number[:50],
        "country": record.country,
        "title": (record.title or record.registry_number)[:500],
        "summary": "; ".join(dict.fromkeys(f"{i.okpd2_code} {i.name}".strip() for i in record.items))[:4000],
        "provider_name": record.customer_name[:300],
        "provider": Organisation.objects.filter(inn=record.customer_inn).first() if record.customer_inn else None,
        "instrument": f"{law}: {record.procedure}"[:200],
        "amount_max": record.max_price if record.currency in {"RUB", ""} and not foreign else None,
        "is_federal": region is None and not foreign,
        "region": region,
        "closes_on": _local_day(record.submission_ends_at),
        "opens_on": _local_day(record.published_at),
        "recurrence": "once",
        "status": OpportunityStatus.CLOSED if record.status in CLOSED_STATES else OpportunityStatus.PUBLISHED,
        "source_url": record.portal_url[:500],
        "source_kind": "ЕИС в сфере закупок",
        "source_date_note": formats.date(record.version_at),
        "licence": LICENCE,
    }


def _tender_values(record: TenderRecord, source: str, *, customer: Organisation | None) -> dict[str, Any]:
    """The tender's own fields, cut to their columns' lengths."""
    return {
        "law": record.law,
        "procedure": record.procedure[:200],
        "customer_name": record.customer_name[:500],
        "customer_inn": record.customer_inn[:12],
        "customer": customer,
        "max_price": record.max_price,
        "currency": record.currency[:3],
        "country": record.country[:2],
        "placer_name": record.placer_name[:500],
        "placer_inn": record.placer_inn[:12],
        "version_number": record.version_number,
        "published_at": record.published_at,
        "submission_ends_at": record.submission_ends_at,
        "source_version_at": record.version_at,
        "tender_status": record.status,
        "portal_url": record.portal_url[:500],
        "source_file": source[:500],
    }


def _holds(tender: Tender, values: dict[str, Any], items: list[tuple]) -> bool:
    """Whether the stored tender already says what the notice says (the file it came from aside)."""
    same_fields = all(getattr(tender, key) == value for key, value in values.items() if key != "source_file")
    held = tender.items.values_list("code", "code_scheme", "lot_number", "name", "quantity", "price")
    return same_fields and list(held) == items


def _okpd_base(code: str) -> str:
    """KTRU positions (26.20.16.170-00000002) and OKPD2 codes map to the OKPD2 code they extend."""
    return code.split("-", 1)[0]
