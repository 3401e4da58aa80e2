"""Streaming readers of the Federal Tax Service's open data sets (XML files, ZIPs of them, folders of either).

Every file is read with lxml's iterparse, element by element, and each <Документ> is cleared (with the
siblings before it) as soon as it is read, so memory stays flat whatever the dump's size. A file's prolog is
checked before parsing: a DOCTYPE or an entity declaration refuses the file (as defusedxml would), and lxml
never loads DTDs, resolves entities or goes to the network. The formats change without notice (ВерсФорм 4.01,
4.04, 4.05; file names with and without an underscore before the set's number), so records are read by the
elements they hold, not validated against one XSD: what the file says it is (ТипИнф) decides the dataset.

The region is filtered while parsing: the SME registry by `СведМН@КодРегион`, the yearly sets by the first two
digits of the INN (the tax office's region); individual entrepreneurs only when asked. A malformed or cut file
stops at the broken place and is reported with its line and column, the documents before it having been read.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from lxml import etree

SME, HEADCOUNT, INCOME, TAXES = "sme", "headcount", "income", "taxes"
DATASET_TYPES = {"РЕЕСТРМСП": SME, "ОТКРДАННЫЕ3": HEADCOUNT, "ОТКРДАННЫЕ5": INCOME, "ОТКРДАННЫЕ4": TAXES}
DATASET_NAMES = {
    SME: "реестр МСП",
    HEADCOUNT: "среднесписочная численность",
    INCOME: "доходы и расходы",
    TAXES: "уплаченные налоги",
}
KNOWN_VERSIONS = {"4.01", "4.02", "4.03", "4.04", "4.05"}
PROLOG_BYTES = 64 * 1024
CATEGORIES = {"1": "micro", "2": "small", "3": "medium"}


class FileRefused(Exception):
    """A file that is not read at all (wrong set, DTD, not XML), with the Russian reason."""


@dataclass(frozen=True)
class SmeRecord:
    """One company of the SME registry (ВидСубМСП 1 = organisation, 2 = individual entrepreneur)."""

    inn: str
    individual: bool
    ogrn: str
    name: str
    short_name: str
    region_code: str
    municipality: str
    main_okved: str
    extra_okveds: tuple[str, ...]
    category: str  # micro / small / medium
    headcount: int | None  # Документ@ССЧР, from version 4.05
    licences: tuple[str, ...]
    as_of: dt.date
    included_on: dt.date | None


@dataclass(frozen=True)
class FigureRecord:
    """One organisation's yearly figures: headcount, income and expenses, or taxes paid (total and by tax)."""

    inn: str
    name: str
    as_of: dt.date
    values: dict[str, Decimal]

    @property
    def year(self) -> int:
        return self.as_of.year


Record = SmeRecord | FigureRecord


@dataclass
class FileReport:
    """What one file gave: documents read, kept for the region, refused (with reasons), and the verdict."""

    name: str
    dataset: str = ""
    version: str = ""
    documents: int = 0
    kept: int = 0
    skipped_region: int = 0
    skipped_individuals: int = 0
    refused: list[str] = field(default_factory=list)
    error: str = ""  # the file was not read, or read up to a broken place (with its position)
    other_dataset: bool = False  # a file of another data set (in a shared folder): passed over, not an error
    worker_peak_mb: float = 0.0  # the parsing worker's peak memory, when a worker parsed it
    as_of: dt.date | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "dataset": self.dataset,
            "version": self.version,
            "documents": self.documents,
            "kept": self.kept,
            "skipped_region": self.skipped_region,
            "skipped_individuals": self.skipped_individuals,
            "refused": self.refused[:50],
            "refused_count": len(self.refused),
            "error": self.error,
            "other_dataset": self.other_dataset,
            "worker_peak_mb": self.worker_peak_mb,
            "as_of": self.as_of.isoformat() if self.as_of else "",
        }


# --- sources: files, ZIP members, folders ---------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """One XML file: a plain file (`member` empty) or a member of a ZIP, opened when read."""

    name: str
    path: str
    member: str = ""

    def open(self) -> IO[bytes]:
        if not self.member:
            return open(self.path, "rb")
        archive = zipfile.ZipFile(self.path)
        stream = archive.open(self.member)
        stream._archive = archive  # type: ignore[attr-defined]  # kept open as long as the member
        return stream


def sources(paths: Iterable[Path], errors: list[FileReport]) -> Iterator[Source]:
    """Every XML file under the paths: plain files, members of ZIPs, folders walked in name order."""
    for path in paths:
        if not path.exists():
            errors.append(FileReport(path.name, error="файл не найден"))
        elif path.is_dir():
            yield from sources(sorted(p for p in path.iterdir() if p.suffix.lower() in {".xml", ".zip"}), errors)
        elif path.suffix.lower() == ".zip":
            yield from _zip_members(path, errors)
        else:
            yield Source(path.name, str(path))


def _zip_members(path: Path, errors: list[FileReport]) -> Iterator[Source]:
    try:
        archive = zipfile.ZipFile(path)
        names = [info.filename for info in archive.infolist() if info.filename.lower().endswith(".xml")]
    except (zipfile.BadZipFile, OSError) as exc:
        errors.append(FileReport(path.name, error=f"архив повреждён и не прочитан: {exc}"))
        return
    archive.close()
    for member in names:
        yield Source(f"{path.name}/{member}", str(path), member)


# --- the prolog: dataset, version, no DTD ----------------------------------------------------------------------

ROOT_ATTRIBUTE = re.compile(r'(ВерсФорм|ТипИнф)\s*=\s*["\']([^"\']*)["\']')


class _Prefixed(io.RawIOBase):
    """The stream with its first bytes (already read to check the prolog) put back in front."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self._head, self._rest = head, rest

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if self._head:
            if size < 0 or size >= len(self._head):
                out, self._head = self._head, b""
                return out + (self._rest.read(size - len(out)) if size > 0 else self._rest.read())
            out, self._head = self._head[:size], self._head[size:]
            return out
        return self._rest.read(size)


def read_prolog(stream: IO[bytes]) -> tuple[dict[str, str], IO[bytes]]:
    """The root element's ВерсФорм and ТипИнф, and the stream to parse; refuses DTDs and entity declarations."""
    head = stream.read(PROLOG_BYTES)
    text = head.decode("utf-8", errors="replace")
    root_at = text.find("<Файл")
    if root_at < 0:
        if b"<" not in head[:1024]:
            raise FileRefused("это не XML-файл открытых данных ФНС (нет элемента «Файл»)")
        raise FileRefused("нет корневого элемента «Файл» в начале файла")
    if "<!DOCTYPE" in text[:root_at] or "<!ENTITY" in text[:root_at]:
        raise FileRefused("в файле есть DTD или объявление сущностей — такие файлы не читаются (защита от XXE)")
    tag_end = text.find(">", root_at)
    attributes = dict(ROOT_ATTRIBUTE.findall(text[root_at : tag_end if tag_end > 0 else None]))
    return attributes, _Prefixed(head, stream)  # type: ignore[return-value]


# --- documents -----------------------------------------------------------------------------------------------


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.datetime.strptime(value, "%d.%m.%Y").date()
    except ValueError:
        return None


def _amount(value: str | None) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        return None


@dataclass
class Filter:
    region_codes: frozenset[str]
    individuals: bool = False


def _municipality(place: Any) -> str:
    for tag in ("Город", "Район", "НаселПункт"):
        node = place.find(tag)
        if node is not None and node.get("Наим"):
            return node.get("Наим").strip().title()
    return ""


def _okveds(doc: Any) -> tuple[str, tuple[str, ...]]:
    block = doc.find("СвОКВЭД")
    if block is None:
        return "", ()
    main = block.find("СвОКВЭДОсн")
    extra = tuple(node.get("КодОКВЭД", "") for node in block.iterfind("СвОКВЭДДоп"))
    return (main.get("КодОКВЭД", "") if main is not None else ""), extra


def sme_record(doc: Any, report: FileReport, keep: Filter) -> SmeRecord | None:
    """The company of one <Документ>, or None when it is outside the region, an entrepreneur not asked for, or
    refused (the reason goes into the report)."""
    place = doc.find("СведМН")
    region = place.get("КодРегион", "") if place is not None else ""
    if region not in keep.region_codes:
        report.skipped_region += 1
        return None
    individual = doc.get("ВидСубМСП") == "2"
    if individual and not keep.individuals:
        report.skipped_individuals += 1
        return None
    who = doc.find("ИПВклМСП" if individual else "ОргВклМСП")
    as_of = _date(doc.get("ДатаСост"))
    category = CATEGORIES.get(doc.get("КатСубМСП", ""))
    if who is None or as_of is None or category is None:
        report.refused.append(f"документ {doc.get('ИдДок', '?')}: нет сведений о субъекте, даты или категории")
        return None
    if individual:
        person = who.find("ФИОИП")
        parts = [person.get(k, "") for k in ("Фамилия", "Имя", "Отчество")] if person is not None else []
        name, short, inn, ogrn = " ".join(p for p in parts if p), "", who.get("ИННФЛ", ""), who.get("ОГРНИП", "")
    else:
        name, short = who.get("НаимОрг", ""), who.get("НаимОргСокр", "")
        inn, ogrn = who.get("ИННЮЛ", ""), who.get("ОГРН", "")
    main, extra = _okveds(doc)
    headcount = doc.get("ССЧР")
    return SmeRecord(
        inn=inn,
        individual=individual,
        ogrn=ogrn,
        name=name.strip(),
        short_name=short.strip(),
        region_code=region,
        municipality=_municipality(place),
        main_okved=main,
        extra_okveds=extra,
        category=category,
        headcount=int(headcount) if headcount and headcount.isdigit() else None,
        licences=tuple(
            (node.findtext("НаимЛицВД") or node.get("НомЛиценз", "")).strip() for node in doc.iterfind("СвЛиценз")
        ),
        as_of=as_of,
        included_on=_date(doc.get("ДатаВклМСП")),
    )


def _figure_values(doc: Any, dataset: str) -> dict[str, Decimal]:
    values: dict[str, Decimal] = {}
    if dataset == HEADCOUNT:
        node = doc.find("СведССЧР")
        amount = _amount(node.get("КолРаб")) if node is not None else None
        if amount is not None:
            values["headcount"] = amount
    elif dataset == INCOME:
        node = doc.find("СведДохРасх")
        for key, attribute in (("income", "СумДоход"), ("expenses", "СумРасход")):
            amount = _amount(node.get(attribute)) if node is not None else None
            if amount is not None:
                values[key] = amount
    else:
        paid = [_amount(node.get("СумУплНал")) for node in doc.iterfind("СвУплСумНал")]
        amounts = [amount for amount in paid if amount is not None]
        if amounts and len(amounts) == len(paid):
            values["taxes"] = sum(amounts, Decimal(0))
    return values


def figure_record(doc: Any, report: FileReport, keep: Filter, dataset: str) -> FigureRecord | None:
    who = doc.find("СведНП")
    inn = who.get("ИННЮЛ", "") if who is not None else ""
    if inn[:2] not in keep.region_codes:
        report.skipped_region += 1
        return None
    as_of = _date(doc.get("ДатаСост"))
    values = _figure_values(doc, dataset)
    if as_of is None or not values or any(v < 0 for v in values.values()):
        report.refused.append(f"ИНН {inn or '?'}: нет даты или показателей, или они не числа")
        return None
    return FigureRecord(inn=inn, name=who.get("НаимОрг", "").strip(), as_of=as_of, values=values)


def read_documents(source: Source, dataset: str, keep: Filter, report: FileReport) -> Iterator[Record]:
    """The region's records of one file, streamed; problems go into the report (the file's verdict)."""
    try:
        with source.open() as raw:
            attributes, stream = read_prolog(raw)
            kind = DATASET_TYPES.get(attributes.get("ТипИнф", ""))
            report.version = attributes.get("ВерсФорм", "")
            report.dataset = kind or attributes.get("ТипИнф", "")
            if kind != dataset:
                report.other_dataset = True  # another set's file: passed over
                return
            yield from _iterate(stream, dataset, keep, report)
    except FileRefused as exc:
        report.error = str(exc)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position
        report.error = f"файл повреждён или обрезан: строка {line}, столбец {column}: {exc.msg}"
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        report.error = f"файл не прочитан до конца: {exc}"


def _iterate(stream: IO[bytes], dataset: str, keep: Filter, report: FileReport) -> Iterator[Record]:
    parser = etree.iterparse(
        stream,
        events=("end",),
        tag="Документ",
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
    )
    for _event, doc in parser:
        report.documents += 1
        record = sme_record(doc, report, keep) if dataset == SME else figure_record(doc, report, keep, dataset)
        if report.as_of is None:
            report.as_of = _date(doc.get("ДатаСост"))
        doc.clear()
        while doc.getprevious() is not None:
            del doc.getparent()[0]
        if record is not None:
            report.kept += 1
            yield record


def parse_whole(source: Source, dataset: str, keep: Filter) -> tuple[FileReport, list[Record]]:
    """One file's region records and verdict at once (for a worker process: the region's share is small)."""
    report = FileReport(source.name)
    records = list(read_documents(source, dataset, keep, report))
    report.worker_peak_mb = peak_memory_mb()
    return report, records


def peak_memory_mb() -> float:
    """This process's peak resident memory since it started its program (VmHWM; 0 where /proc is missing)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0
