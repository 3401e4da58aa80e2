"""The importers: stream a data set's files, keep the region's records, write them in batches.

The SME registry fills `Company` (the region's companies as the registry shows them, what changed since the
previous import) and updates the cards of organisations already in the registry, matched by INN. The yearly
sets (headcount, income and expenses, taxes) become `YearFigure` rows by INN; headcount also goes to the
card's yearly figures. Every value written to a card keeps its source (`FieldSource`); a value that differs
from what the import last wrote was changed by hand and is left alone. Importing the same file again changes
nothing.
"""

from __future__ import annotations

import datetime as dt
import functools
import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from projectoffice.classifiers.models import OkvedCode
from projectoffice.lib import formats
from projectoffice.opendata import parsing
from projectoffice.opendata.models import (
    Change,
    Company,
    CompanyStatus,
    Dataset,
    FieldSource,
    ImportRun,
    RunStatus,
    YearFigure,
)
from projectoffice.organisations import services as organisation_services
from projectoffice.organisations.models import Organisation, OrganisationFigures, OrganisationKind
from projectoffice.organisations.sizes import SizeCategory

BATCH = 500
SHARP_GROWTH = (Decimal("1.5"), 10)  # headcount at least ×1.5 and by at least 10 people
LARGE_HEADCOUNT, LARGE_INCOME = 250, Decimal("2000000000")
IT_PREFIXES = ("62", "63.1", "58.2")


def kind_of(okved: str) -> str:
    """The registry kind an OKVED2 code suggests: IT (62, 63.1, 58.2), industry (10–33), else none."""
    if okved.startswith(IT_PREFIXES):
        return OrganisationKind.IT_COMPANY
    head = okved[:2]
    if head.isdigit() and 10 <= int(head) <= 33:
        return OrganisationKind.INDUSTRIAL
    return ""


def source_label(dataset: str, as_of: dt.date) -> str:
    """«ФНС, реестр МСП на 10.10.2025», «ФНС, доходы и расходы за 2023 г.»."""
    if dataset == Dataset.SME:
        return f"ФНС, реестр МСП на {formats.date(as_of)}"
    name = {
        Dataset.HEADCOUNT: "среднесписочная численность",
        Dataset.INCOME: "доходы и расходы",
        Dataset.TAXES: "уплаченные налоги",
    }[Dataset(dataset)]
    return f"ФНС, {name} за {as_of.year} г."


@dataclass
class Options:
    region_codes: frozenset[str] = field(default_factory=lambda: frozenset(settings.REGION_TAX_CODES))
    individuals: bool = field(default_factory=lambda: settings.FNS_IMPORT_INDIVIDUALS)
    all_kinds: bool = False
    full_dump: bool = False
    workers: int = 1  # processes parsing files side by side; the writes stay in this one


@dataclass
class FileCounts:
    """One file's verdict for the summary: the parser's report plus what the writes did."""

    report: parsing.FileReport
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept_office: int = 0  # values the office edited by hand, left as they were
    skipped_kind: int = 0

    def refuse(self, reason: str) -> None:
        self.report.refused.append(reason)

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.report.as_dict(),
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "kept_office": self.kept_office,
            "skipped_kind": self.skipped_kind,
        }


Progress = Callable[[str], None]
Parsed = tuple[parsing.FileReport, Iterable[Any]]


def _batches(records: Iterable[Any]) -> Iterator[list[Any]]:
    iterator = iter(records)
    while batch := list(islice(iterator, BATCH)):
        yield batch


def run_import(
    dataset: str,
    paths: list[Path],
    *,
    options: Options | None = None,
    actor: Any = None,
    progress: Progress = lambda _: None,
    run: ImportRun | None = None,
) -> ImportRun:
    """Import the files of one data set; the run records each file's verdict and the totals."""
    options = options or Options()
    run = run or ImportRun.objects.create(dataset=dataset, started_by=actor, full_dump=options.full_dump)
    failed: list[parsing.FileReport] = []
    results: list[FileCounts] = []
    keep = parsing.Filter(options.region_codes, options.individuals)
    write = _write_sme if dataset == Dataset.SME else _write_figures
    for report, records in _parsed(dataset, parsing.sources(paths, failed), keep, options.workers):
        counts = FileCounts(report)
        for batch in _batches(records):
            with transaction.atomic():
                write(batch, counts, options)
            _progress(run, [*results, counts], progress)
        results.append(counts)
        progress(_file_line(counts))
    results.extend(FileCounts(report) for report in failed)
    for counts in results[len(results) - len(failed) :]:
        progress(_file_line(counts))
    return _finish(run, dataset, results, options)


def _streamed(dataset: str, sources: Iterable[parsing.Source], keep: parsing.Filter) -> Iterator[Parsed]:
    for source in sources:
        report = parsing.FileReport(source.name)
        yield report, parsing.read_documents(source, dataset, keep, report)


def _parsed(dataset: str, sources: Iterable[parsing.Source], keep: parsing.Filter, workers: int) -> Iterator[Parsed]:
    """Each file's verdict and region records: streamed here, or parsed by worker processes in file order."""
    if workers <= 1:
        yield from _streamed(dataset, sources, keep)
        return
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        yield from pool.imap(functools.partial(parsing.parse_whole, dataset=dataset, keep=keep), sources)


def _progress(run: ImportRun, results: list[FileCounts], progress: Progress) -> None:
    documents = sum(c.report.documents for c in results)
    text = f"файлов: {len(results)}, документов прочитано: {formats.number(documents)}"
    ImportRun.objects.filter(pk=run.pk).update(progress=text, documents=documents)
    progress(text)


def _file_line(counts: FileCounts) -> str:
    r = counts.report
    if r.other_dataset:
        return f"{r.name}: файл другого набора данных ({r.dataset or 'не указан'}) — пропущен"
    line = (
        f"{r.name}: версия {r.version or '—'}, документов {r.documents}, региона {r.kept}; новых {counts.created}, "
        f"изменено {counts.updated}, без изменений {counts.unchanged}, отклонено {len(r.refused)}"
    )
    return line + (f"; ОШИБКА: {r.error}" if r.error else "")


def _finish(run: ImportRun, dataset: str, results: list[FileCounts], options: Options) -> ImportRun:
    as_of_days = [c.report.as_of for c in results if c.report.as_of]
    run.as_of = max(as_of_days) if as_of_days else None
    if dataset == Dataset.SME and options.full_dump and run.as_of:
        _mark_left(run)
    run.files = [c.as_dict() for c in results]
    run.documents = sum(c.report.documents for c in results)
    run.created = sum(c.created for c in results)
    run.updated = sum(c.updated for c in results)
    run.unchanged = sum(c.unchanged for c in results)
    run.refused = sum(len(c.report.refused) for c in results)
    run.status = RunStatus.DONE_WITH_ERRORS if any(c.report.error for c in results) else RunStatus.DONE
    run.finished_at = timezone.now()
    run.progress = summary(run)
    run.save()
    return run


def summary(run: ImportRun) -> str:
    return (
        f"{run.get_dataset_display()}: документов {formats.number(run.documents)}, новых {run.created}, "
        f"изменено {run.updated}, без изменений {run.unchanged}, отклонено {run.refused}, "
        f"файлов с ошибками {sum(1 for f in run.files if f['error'])}"
    )


def _mark_left(run: ImportRun) -> None:
    """After a whole dump: the region's companies it no longer lists have left the SME registry."""
    assert run.as_of is not None
    Company.objects.filter(in_sme_registry=True, sme_as_of__lt=run.as_of).update(
        in_sme_registry=False, change=Change.LEFT, change_note="нет в выгрузке", changed_run=run
    )


# --- the SME registry --------------------------------------------------------------------------------------


def _company_values(record: parsing.SmeRecord) -> dict[str, Any]:
    return {
        "individual": record.individual,
        "ogrn": record.ogrn,
        "name": record.name[:1000],
        "short_name": record.short_name[:500],
        "region_code": record.region_code,
        "municipality": record.municipality[:200],
        "main_okved": record.main_okved,
        "extra_okveds": list(record.extra_okveds),
        "kind": kind_of(record.main_okved),
        "category": record.category,
        "headcount": record.headcount,
        "licences": list(record.licences),
        "in_sme_registry": True,
        "sme_as_of": record.as_of,
    }


def _change(company: Company, values: dict[str, Any]) -> tuple[str, str]:
    if not company.in_sme_registry:
        return Change.NEW, "снова в реестре МСП"
    if company.category and values["category"] != company.category:
        before, after = SizeCategory(company.category).label, SizeCategory(values["category"]).label
        return Change.CATEGORY, f"{before} → {after}"
    old, new = company.headcount, values["headcount"]
    if old is not None and new is not None and new >= old * SHARP_GROWTH[0] and new - old >= SHARP_GROWTH[1]:
        return Change.HEADCOUNT, f"{old} → {new} чел."
    return "", ""


def _write_sme(batch: list[parsing.SmeRecord], counts: FileCounts, options: Options) -> None:
    inns = [r.inn for r in batch]
    companies = {c.inn: c for c in Company.objects.filter(inn__in=inns)}
    cards = {o.inn: o for o in Organisation.objects.filter(inn__in=inns)}
    for record in batch:
        company, card = companies.get(record.inn), cards.get(record.inn)
        values = _company_values(record)
        if not values["kind"] and not options.all_kinds and card is None and company is None:
            counts.skipped_kind += 1
            continue
        if company is not None and company.sme_as_of and record.as_of < company.sme_as_of:
            counts.unchanged += 1  # an older registry state than the one already imported
            continue
        if company is None:
            _create_company(record.inn, values, card)
            counts.created += 1
        changed = company is not None and _update_company(company, values, card)
        if card is not None and not record.individual:
            changed = _card_from_sme(card, record, counts) or changed
        if company is not None:
            counts.updated += changed
            counts.unchanged += not changed


def _create_company(
    inn: str,
    values: dict[str, Any],
    card: Organisation | None,
    change: tuple[str, str] = (Change.NEW, "впервые в выгрузке"),
) -> Company:
    company = Company(inn=inn, **values, change=change[0], change_note=change[1], organisation=card)
    if card is not None:
        company.status = CompanyStatus.MERGED  # the office has its card already
    company.save()
    return company


def _update_company(company: Company, values: dict[str, Any], card: Organisation | None) -> bool:
    differs = {k: v for k, v in values.items() if getattr(company, k) != v}
    relink = card is not None and company.organisation_id is None
    if not differs and not relink:
        return False
    change, note = _change(company, values)
    for key, value in differs.items():
        setattr(company, key, value)
    if change:
        company.change, company.change_note = change, note
    if relink:
        company.organisation = card
    company.save()
    return True


# --- a card's fields, with their sources; the office's edits win -------------------------------------------


def _shown(value: Any) -> str:
    if isinstance(value, list | tuple | set):
        return ",".join(sorted(str(v) for v in value))
    return "" if value is None else str(value)


@dataclass
class CardWrite:
    """The fields an import offers a card: written where the card's value is empty or still the import's own."""

    card: Organisation
    source: str
    as_of: dt.date
    data: dict[str, Any] = field(default_factory=dict)
    provenance: dict[str, str] = field(default_factory=dict)
    kept_office: int = 0

    def offer(self, name: str, current: Any, new: Any, written: dict[str, FieldSource]) -> None:
        now, wanted = _shown(current), _shown(new)
        if not wanted:
            return
        mine = written.get(name)
        if now == wanted:
            if mine is None or mine.source != self.source or mine.value != wanted:
                self.provenance[name] = wanted  # the same value, now also from this source
            return
        if now and (mine is None or mine.value != now):
            self.kept_office += 1  # typed or corrected by the office: never overwritten
            return
        self.data[name] = new
        self.provenance[name] = wanted


def _okved_codes(codes: Iterable[str]) -> dict[str, OkvedCode]:
    return {c.code: c for c in OkvedCode.objects.filter(code__in=[c for c in codes if c])}


def _card_from_sme(card: Organisation, record: parsing.SmeRecord, counts: FileCounts) -> bool:
    write = CardWrite(card, source_label(Dataset.SME, record.as_of), record.as_of)
    written = {fs.field: fs for fs in card.field_sources.all()}
    okveds = _okved_codes([record.main_okved, *record.extra_okveds])
    write.offer("name", card.name, record.name[:300], written)
    write.offer("short_name", card.short_name, record.short_name[:150], written)
    write.offer("ogrn", card.ogrn, record.ogrn, written)
    if record.main_okved in okveds:
        write.offer("main_okved", card.main_okved.code if card.main_okved else "", record.main_okved, written)
    extra = sorted(c for c in record.extra_okveds if c in okveds)
    write.offer("extra_okveds", [c.code for c in card.extra_okveds.all()], extra, written)
    data = dict(write.data)
    if "main_okved" in data:
        data["main_okved"] = okveds[data["main_okved"]]
    if "extra_okveds" in data:
        data["extra_okveds"] = [okveds[c] for c in data["extra_okveds"]]
    return _commit_card(write, data, counts)


def _commit_card(write: CardWrite, data: dict[str, Any], counts: FileCounts) -> bool:
    counts.kept_office += write.kept_office
    if data:
        try:
            organisation_services.organisation_update(actor=None, organisation=write.card, data=data)
        except ValidationError as exc:
            counts.refuse(f"ИНН {write.card.inn}: карточка не обновлена: {'; '.join(exc.messages)}")
            return False
    for name, value in write.provenance.items():
        FieldSource.objects.update_or_create(
            organisation=write.card, field=name,
            defaults={"source": write.source, "as_of": write.as_of, "value": value},
        )  # fmt: skip
    return bool(data)


# --- yearly figures ------------------------------------------------------------------------------------------

MEASURES = {Dataset.HEADCOUNT: ("headcount",), Dataset.INCOME: ("income", "expenses"), Dataset.TAXES: ("taxes",)}


def _write_figures(batch: list[parsing.FigureRecord], counts: FileCounts, options: Options) -> None:
    inns = [r.inn for r in batch]
    stored = {(f.inn, f.year, f.measure): f for f in YearFigure.objects.filter(inn__in=inns)}
    cards = {o.inn: o for o in Organisation.objects.filter(inn__in=inns)}
    known = set(Company.objects.filter(inn__in=inns).values_list("inn", flat=True))
    for record in batch:
        changed, created = False, False
        for measure, value in record.values.items():
            figure = stored.get((record.inn, record.year, measure))
            source = source_label(_dataset_of(measure), record.as_of)
            if figure is None:
                YearFigure.objects.create(inn=record.inn, year=record.year, measure=measure, value=value,
                                          as_of=record.as_of, source=source)  # fmt: skip
                created = True
            elif figure.value != value or figure.source != source:
                figure.value, figure.as_of, figure.source = value, record.as_of, source
                figure.save()
                changed = True
        if created and record.inn in known:
            _note_growth(record, stored.get((record.inn, record.year - 1, "headcount")))
        card = cards.get(record.inn)
        if card is not None and "headcount" in record.values:
            changed = _card_headcount(card, record, counts) or changed
        if card is None and record.inn not in known and _is_large(record):
            _create_company(record.inn, _large_values(record), None, (Change.LARGE, "нет в реестре МСП"))
            known.add(record.inn)
        counts.created += created
        counts.updated += changed and not created
        counts.unchanged += not changed and not created


def _note_growth(record: parsing.FigureRecord, before: YearFigure | None) -> None:
    """A headcount grown sharply since the year before shows in the feed as what changed."""
    new = record.values.get("headcount")
    if before is None or new is None:
        return
    old = before.value
    if new >= old * SHARP_GROWTH[0] and new - old >= SHARP_GROWTH[1]:
        note = f"{int(old)} → {int(new)} чел. ({record.year - 1} → {record.year})"
        Company.objects.filter(inn=record.inn).update(change=Change.HEADCOUNT, change_note=note)


def _dataset_of(measure: str) -> str:
    return {"headcount": Dataset.HEADCOUNT, "income": Dataset.INCOME, "expenses": Dataset.INCOME}.get(
        measure, Dataset.TAXES
    )


def _is_large(record: parsing.FigureRecord) -> bool:
    return record.values.get("headcount", 0) > LARGE_HEADCOUNT or record.values.get("income", 0) > LARGE_INCOME


def _large_values(record: parsing.FigureRecord) -> dict[str, Any]:
    headcount = record.values.get("headcount")
    return {
        "name": record.name[:1000],
        "region_code": record.inn[:2],
        "category": SizeCategory.LARGE,
        "headcount": int(headcount) if headcount is not None else None,
        "in_sme_registry": False,
    }


def _card_headcount(card: Organisation, record: parsing.FigureRecord, counts: FileCounts) -> bool:
    """The card's yearly headcount from the figures set, unless the office entered another one for that year."""
    name = f"headcount.{record.year}"
    headcount = int(record.values["headcount"])
    figures = OrganisationFigures.objects.filter(organisation=card, year=record.year).first()
    current = figures.headcount if figures else None
    write = CardWrite(card, source_label(Dataset.HEADCOUNT, record.as_of), record.as_of)
    write.offer(name, current, headcount, {fs.field: fs for fs in card.field_sources.filter(field=name)})
    counts.kept_office += write.kept_office
    if name in write.data:
        try:
            revenue = figures.revenue if figures else None  # the office's revenue stays as it is
            organisation_services.figures_set(
                actor=None, organisation=card, year=record.year, revenue=revenue, headcount=headcount
            )
        except ValidationError as exc:
            counts.refuse(f"ИНН {card.inn}: численность не записана: {'; '.join(exc.messages)}")
            return False
    for field_name, value in write.provenance.items():
        FieldSource.objects.update_or_create(
            organisation=card, field=field_name,
            defaults={"source": write.source, "as_of": write.as_of, "value": value},
        )  # fmt: skip
    return name in write.data
