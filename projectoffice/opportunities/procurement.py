"""Readers of public procurement data: 44-FZ and 223-FZ XML, OCDS JSON (streamed) and the portal's CSV export.

Every reader yields plain records; the importer (procurement_import.py) turns them into tenders.
XML goes through defusedxml, so entity expansion and external entities are refused.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO
from xml.etree.ElementTree import Element, ParseError

import ijson
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from projectoffice.lib import formats

PORTAL = "https://zakupki.gov.ru"


class SourceError(Exception):
    """A document that cannot be read: `position` says where (line:column, byte offset or row)."""

    def __init__(self, reason: str, position: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.position = position


@dataclass
class ItemRecord:
    okpd2_code: str
    name: str
    quantity: Decimal | None = None
    price: Decimal | None = None


@dataclass
class TenderRecord:
    """A notice (or a newer version of it)."""

    registry_number: str
    law: str
    title: str
    customer_name: str
    customer_inn: str = ""
    procedure: str = ""
    max_price: Decimal | None = None
    currency: str = "RUB"
    published_at: dt.datetime | None = None
    submission_ends_at: dt.datetime | None = None
    version_at: dt.datetime | None = None
    status: str = "open"
    portal_url: str = ""
    items: list[ItemRecord] = field(default_factory=list)


@dataclass
class StatusRecord:
    """A protocol, cancellation or date change that updates a known notice."""

    registry_number: str
    status: str | None
    version_at: dt.datetime | None = None
    submission_ends_at: dt.datetime | None = None
    document: str = ""


Record = TenderRecord | StatusRecord


# --- helpers -------------------------------------------------------------------------------------------------


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _find(element: Element, *paths: str) -> Element | None:
    """The first descendant matching any of the slash-separated local-name paths."""
    for path in paths:
        names = path.split("/")
        for candidate in element.iter():
            if _local(candidate.tag) != names[0]:
                continue
            node: Element | None = candidate
            for name in names[1:]:
                node = next((child for child in node if _local(child.tag) == name), None) if node is not None else None
            if node is not None:
                return node
    return None


def _text(element: Element, *paths: str) -> str:
    node = _find(element, *paths)
    return (node.text or "").strip() if node is not None else ""


def _all(element: Element, name: str) -> list[Element]:
    return [node for node in element.iter() if _local(node.tag) == name]


def parse_decimal(value: str | None) -> Decimal | None:
    if value is None:
        return None
    cleaned = str(value).replace("\xa0", "").replace(" ", "").replace(",", ".").strip()
    if not cleaned or cleaned.upper() == "NA":
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def parse_datetime(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    value = value.strip()
    for parser in (dt.datetime.fromisoformat, lambda v: dt.datetime.strptime(v, "%d.%m.%Y")):
        try:
            parsed = parser(value.replace("Z", "+00:00"))
        except ValueError:
            continue
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=dt.timezone(dt.timedelta(hours=3)))  # the portal publishes Moscow time
        return parsed
    return None


# --- XML -----------------------------------------------------------------------------------------------------

_XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*\?>")


def parse_xml(data: bytes) -> Element:
    """Parse with defusedxml; a UTF-8 declaration over cp1251 bytes (older portal files) is retried as cp1251."""
    try:
        return fromstring(data)
    except DefusedXmlException as exc:
        raise SourceError(f"запрещённая конструкция XML ({exc.__class__.__name__}): файл отклонён") from None
    except ParseError as exc:
        line, column = exc.position
        if "invalid token" in str(exc) or "encoding" in str(exc):
            try:
                text = data.decode("cp1251")
                return fromstring(_XML_DECLARATION.sub(b"", text.encode("utf-8")))
            except (UnicodeDecodeError, ParseError, DefusedXmlException):
                pass
        raise SourceError(f"XML не разобран: {exc}", f"строка {line}, столбец {column}") from None


STATUS_DOCUMENTS_44: dict[str, str | None] = {
    "fcsNotificationCancel": "cancelled",
    "fcsNotificationCancelFailure": "open",
    "fcsProtocolEF1": "evaluation",
    "fcsProtocolEF2": "evaluation",
    "fcsProtocolEF3": "finished",
    "fcsProtocolEFSingleApp": "finished",
    "fcsProtocolEFSinglePart": "finished",
    "fcsProtocolEvasion": "finished",
    "fcsPlacementResult": "finished",
    "fcsContractSign": "finished",
    "fcsProtocolEFInvalidation": "failed",
    "fcsProtocolCancel": None,
    "fcsClarification": None,
    "fcs_notificationEFDateChange": None,
}


def _document(root: Element) -> Element:
    """The payload under <export>, or the root itself."""
    if _local(root.tag) == "export":
        children = list(root)
        if not children:
            raise SourceError("пустой документ export")
        return children[0]
    return root


def _items_44(doc: Element) -> list[ItemRecord]:
    items = []
    for obj in _all(doc, "purchaseObject"):
        code = _text(obj, "OKPD2/code", "OKPD2/OKPDCode", "KTRU/code", "OKPD/code")
        name = _text(obj, "name") or _text(obj, "OKPD2/name", "OKPD2/OKPDName", "KTRU/name")
        items.append(
            ItemRecord(code, name, parse_decimal(_text(obj, "quantity/value")), parse_decimal(_text(obj, "price")))
        )
    return items


def read_44_xml(root: Element) -> Record:
    doc = _document(root)
    name = _local(doc.tag)
    number = _text(doc, "purchaseNumber")
    if not number:
        raise SourceError(f"в документе {name} нет purchaseNumber")
    version = parse_datetime(
        _text(doc, "docPublishDate", "docPublishDTInEIS", "publishDate", "protocolDate", "docDate")
    )
    if name in STATUS_DOCUMENTS_44:
        return StatusRecord(
            registry_number=number,
            status=STATUS_DOCUMENTS_44[name],
            version_at=version,
            submission_ends_at=parse_datetime(_text(doc, "newAuctionDate", "endDate"))
            if "DateChange" in name
            else None,
            document=name,
        )
    if "otification" not in name:
        raise SourceError(f"неизвестный тип документа 44-ФЗ: {name}")
    return TenderRecord(
        registry_number=number,
        law="44",
        title=_text(doc, "purchaseObjectInfo"),
        customer_name=_text(doc, "responsibleOrg/fullName", "responsibleOrgInfo/fullName", "customer/fullName"),
        customer_inn=_text(doc, "responsibleOrg/INN", "responsibleOrgInfo/INN", "customer/INN"),
        procedure=_text(doc, "placingWay/name"),
        max_price=parse_decimal(_text(doc, "maxPrice")),
        currency=_text(doc, "currency/code") or "RUB",
        published_at=version,
        submission_ends_at=parse_datetime(_text(doc, "collecting/endDate", "collectingInfo/endDT", "endDate")),
        version_at=version,
        portal_url=_text(doc, "href"),
        items=_items_44(doc),
    )


def read_223_xml(root: Element) -> list[Record]:
    doc = _document(root)
    name = _local(doc.tag)
    if name.startswith("purchasePlan"):
        return _read_223_plan(doc)
    data = _find(doc, "purchaseNoticeData", "purchaseData") or doc
    number = _text(data, "registrationNumber")
    if not number:
        raise SourceError(f"в документе {name} нет registrationNumber")
    items = [
        ItemRecord(
            _text(item, "okpd2/code"),
            _text(item, "okpd2/name") or _text(item, "additionalInfo"),
            parse_decimal(_text(item, "qty")),
        )
        for item in _all(data, "lotItem")
    ]
    version = parse_datetime(_text(data, "modificationDate", "publicationDateTime", "createDateTime"))
    return [
        TenderRecord(
            registry_number=number,
            law="223",
            title=_text(data, "name"),
            customer_name=_text(data, "customer/mainInfo/fullName", "placer/mainInfo/fullName"),
            customer_inn=_text(data, "customer/mainInfo/inn", "placer/mainInfo/inn"),
            procedure=_text(data, "purchaseCodeName", "purchaseMethodName"),
            max_price=parse_decimal(_text(data, "initialSum")),
            currency=_text(data, "currency/code") or "RUB",
            published_at=parse_datetime(_text(data, "publicationDateTime")),
            submission_ends_at=parse_datetime(_text(data, "submissionCloseDateTime")),
            version_at=version,
            status="cancelled" if "Cancel" in name else "open",
            portal_url=_text(data, "urlEIS", "urlVSRZ"),
            items=items,
        )
    ]


def _read_223_plan(doc: Element) -> list[Record]:
    plan_number = _text(doc, "registrationNumber")
    customer = _text(doc, "customer/mainInfo/fullName")
    inn = _text(doc, "customer/mainInfo/inn")
    version = parse_datetime(_text(doc, "modificationDate", "createDateTime"))
    records: list[Record] = []
    for position in _all(doc, "purchasePlanItem"):
        ordinal = _text(position, "ordinalNumber")
        items = [
            ItemRecord(_text(row, "okpd2/code"), _text(row, "okpd2/name")) for row in _all(position, "purchasePlanRow")
        ]
        records.append(
            TenderRecord(
                registry_number=f"{plan_number}-{ordinal}",
                law="223",
                title=_text(position, "contractSubject") or (items[0].name if items else ""),
                customer_name=customer,
                customer_inn=inn,
                procedure=_text(position, "purchaseMethodName"),
                max_price=parse_decimal(_text(position, "initialSum")),
                version_at=version,
                published_at=version,
                status="planned",
                items=items,
            )
        )
    return records


def read_xml(data: bytes, filename: str) -> list[Record]:
    root = parse_xml(data)
    doc = _document(root)
    name = _local(doc.tag)
    if name.startswith(("purchaseNotice", "purchasePlan")) or filename.startswith(("purchaseNotice", "purchasePlan")):
        return read_223_xml(root)
    return [read_44_xml(root)]


# --- OCDS (streamed) -----------------------------------------------------------------------------------------

OCDS_STATUS = {
    "active": "open",
    "planned": "planned",
    "cancelled": "cancelled",
    "unsuccessful": "failed",
    "complete": "finished",
}


def _ocds_release(release: dict) -> TenderRecord:
    tender = release.get("tender") or {}
    number = str(tender.get("id") or release.get("ocid") or "")
    if not number:
        raise SourceError("в выпуске OCDS нет tender.id и ocid")
    buyer, inn = _ocds_buyer(release)
    value = tender.get("value") or {}
    period = tender.get("tenderPeriod") or {}
    return TenderRecord(
        registry_number=number,
        law="223" if "223" in str(tender.get("legalBasis", "")) else "44",
        title=str(tender.get("title") or tender.get("description") or ""),
        customer_name=str(buyer.get("name", "")),
        customer_inn=inn,
        procedure=str(tender.get("procurementMethodDetails") or tender.get("procurementMethod") or ""),
        max_price=parse_decimal(str(value.get("amount", ""))),
        currency=str(value.get("currency") or "RUB"),
        published_at=parse_datetime(str(period.get("startDate") or release.get("date") or "")),
        submission_ends_at=parse_datetime(str(period.get("endDate") or "")),
        version_at=parse_datetime(str(release.get("date") or "")),
        status=OCDS_STATUS.get(str(tender.get("status", "active")), "open"),
        portal_url=str(tender.get("documentsUrl") or ""),
        items=[_ocds_item(item) for item in tender.get("items") or []],
    )


def _ocds_buyer(release: dict) -> tuple[dict, str]:
    """The buyer (the release's own, else the party in the buyer role) and its INN, if a party gives one."""
    buyer = release.get("buyer") or {}
    inn = ""
    for party in release.get("parties") or []:
        if "buyer" not in (party.get("roles") or []):
            continue
        identifier = party.get("identifier") or {}
        if str(identifier.get("scheme", "")).upper() in {"RU-INN", "RU-INN-ID"}:
            inn = str(identifier.get("id", ""))
        buyer = buyer or party
    return buyer, inn


def _ocds_item(item: dict) -> ItemRecord:
    """An item; its code only when classified by OKPD2 (other schemes are not ours to read)."""
    classification = item.get("classification") or {}
    code = str(classification.get("id", "")) if "OKPD" in str(classification.get("scheme", "")).upper() else ""
    return ItemRecord(
        code,
        str(item.get("description") or classification.get("description") or ""),
        parse_decimal(str(item.get("quantity", ""))),
        None,
    )


def read_ocds(stream: IO[bytes]) -> Iterator[tuple[str, Record]]:
    """Releases of a release package, or compiled releases of a record package, one at a time."""
    start = stream.tell() if stream.seekable() else 0
    found = False
    try:
        for index, release in enumerate(ijson.items(stream, "releases.item", use_float=False)):
            found = True
            yield f"releases[{index}]", _ocds_release(release)
        if not found and stream.seekable():
            stream.seek(start)
            for index, record in enumerate(ijson.items(stream, "records.item", use_float=False)):
                found = True
                release = record.get("compiledRelease") or (record.get("releases") or [{}])[-1]
                yield f"records[{index}]", _ocds_release(release)
    except ijson.JSONError as exc:
        raise SourceError(f"JSON не разобран: {exc}", _json_position(stream)) from None
    if not found:
        raise SourceError("это не пакет OCDS: нет ни releases, ни records")


def _json_position(stream: IO[bytes]) -> str:
    try:
        return f"байт {stream.tell()}"
    except (OSError, ValueError):
        return ""


# --- the portal's CSV search export --------------------------------------------------------------------------

_OBJECT = re.compile(r"(\d{2}\.\d{2}(?:\.\d{1,2})?(?:\.\d{3})?)(?:-\d+)?:\s*([^;]+)")


def read_portal_csv(data: bytes) -> Iterator[tuple[str, Record]]:
    """The search-results export (ContractID;Type;Status;Law;StartPrice;…;ObjectName;…), as the portal gives it.

    Bytes that are not text (neither UTF-8 nor Windows-1251, or with NUL bytes) and rows the csv module cannot
    split (a field over its limit) raise SourceError with the row, never a bare decoding or csv error.
    """
    text = _portal_text(data)
    reader = csv.DictReader(io.StringIO(text), delimiter=";")
    try:
        fieldnames = reader.fieldnames
    except csv.Error as exc:
        raise SourceError(_csv_reason(exc), "строка 1") from None
    if not fieldnames or "ContractID" not in fieldnames:
        raise SourceError("CSV не похож на выгрузку поиска закупок: нет столбца ContractID", "строка 1")
    for number, row in enumerate(_csv_rows(reader), start=2):
        registry = (row.get("ContractID") or "").strip("'\" №")
        if not registry:
            raise SourceError("пустой номер закупки", f"строка {number}")
        items = [ItemRecord(code, name.strip()) for code, name in _OBJECT.findall(row.get("ObjectName") or "")]
        status = (row.get("Status") or "").strip().lower()
        yield (
            f"строка {number}",
            TenderRecord(
                registry_number=registry,
                law="223" if "223" in (row.get("Law") or "") else "44",
                title="; ".join(dict.fromkeys(item.name for item in items))[:500] or registry,
                customer_name=(row.get("NameCustomer") or "").strip(),
                procedure=(row.get("Type") or "").strip(),
                max_price=parse_decimal(row.get("StartPrice")),
                published_at=parse_datetime(row.get("PostedDate")),
                version_at=parse_datetime(row.get("UpdatedDate")) or parse_datetime(row.get("PostedDate")),
                status="finished" if "заверш" in status else "cancelled" if "отмен" in status else "open",
                portal_url=f"{PORTAL}/epz/order/notice/ea44/view/common-info.html?regNumber={registry}",
                items=items,
            ),
        )


def _portal_text(data: bytes) -> str:
    if b"\x00" in data:
        raise SourceError("в файле двоичные данные (байты NUL): это не CSV-выгрузка")
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SourceError("текст не читается ни как UTF-8, ни как Windows-1251: это не CSV-выгрузка")


def _csv_rows(reader: csv.DictReader) -> Iterator[dict[str, str]]:
    """The reader's rows; a row it cannot split stops the file with its number."""
    number = 1
    while True:
        number += 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise SourceError(_csv_reason(exc), f"строка {number}") from None
        yield row


def _csv_reason(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        # genitive after «длиннее»: «21 символа», «131 072 символов»
        limit = formats.plural(csv.field_size_limit(), "символа", "символов", "символов")
        return f"поле длиннее допустимых {limit}: это не CSV-выгрузка поиска закупок"
    if "NUL" in text:
        return "в строке байт NUL: это не CSV-выгрузка"
    return f"CSV не разобран ({text})"
