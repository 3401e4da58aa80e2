"""Readers of public procurement data: 44-FZ and 223-FZ XML, OCDS JSON (streamed) and the portal's CSV export.

Every reader yields plain records; the importer (procurement_import.py) turns them into tenders.
XML goes through defusedxml, so entity expansion and external entities are refused.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import weakref
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any
from xml.etree.ElementTree import Element, ParseError
from zoneinfo import ZoneInfo

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


# Classifiers an item's code can belong to: only an OKPD2 code (and a KTRU position, which extends one) is an
# OKPD2 code; the old OKPD (OK 034-2007) and OKDP (OK 004-93) use the same digits for other things.
OKPD2, OKPD, OKDP, KTRU = "OKPD2", "OKPD", "OKDP", "KTRU"


@dataclass
class ItemRecord:
    okpd2_code: str  # the item's code, in the classifier `scheme` names
    name: str  # the buyer's own name of the item
    quantity: Decimal | None = None
    price: Decimal | None = None
    scheme: str = OKPD2
    lot: int | None = None


@dataclass
class LotRecord:
    number: int
    subject: str
    max_price: Decimal | None = None
    currency: str = "RUB"


@dataclass
class PartyRecord:
    """A customer of a (joint) purchase, with its share of the price when the notice gives one."""

    name: str
    inn: str = ""
    max_price: Decimal | None = None


@dataclass
class BidRecord:
    """One application in a protocol: who, at what price, its place, whether it won."""

    participant_name: str
    participant_inn: str = ""
    price: Decimal | None = None
    rank: int | None = None
    admitted: bool | None = None
    is_winner: bool = False
    application: str = ""
    lot: int | None = None


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
    document: str = ""
    version_number: int | None = None
    country: str = "RU"
    placer_name: str = ""
    placer_inn: str = ""
    customers: list[PartyRecord] = field(default_factory=list)
    lots: list[LotRecord] = field(default_factory=list)


@dataclass
class StatusRecord:
    """A protocol, cancellation or date change that updates a known notice; a protocol brings its results."""

    registry_number: str
    status: str | None
    version_at: dt.datetime | None = None
    submission_ends_at: dt.datetime | None = None
    document: str = ""
    law: str = "44"
    protocol_number: str = ""
    bids: list[BidRecord] = field(default_factory=list)


@dataclass
class ContractRecord:
    """A contract concluded on a notice (44-FZ contract, 223-FZ contract information)."""

    registry_number: str
    purchase_number: str
    law: str
    customer_name: str
    customer_inn: str
    supplier_name: str
    supplier_inn: str
    price: Decimal | None
    currency: str = "RUB"
    signed_on: dt.date | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    published_at: dt.datetime | None = None
    version_number: int | None = None
    portal_url: str = ""
    document: str = "contract"


@dataclass
class ContractReportRecord:
    """A 223-FZ monthly account of contracts a customer concluded (purchaseContractAccount)."""

    guid: str
    customer_name: str
    customer_inn: str
    period: dt.date | None
    kind: str
    contracts_number: int
    overall_cost: Decimal | None
    currency: str
    published_at: dt.datetime | None
    version_number: int | None
    portal_url: str = ""
    document: str = "purchaseContractAccount"


Record = TenderRecord | StatusRecord | ContractRecord | ContractReportRecord


# --- helpers -------------------------------------------------------------------------------------------------


_LOCAL_NAMES: dict[str, str] = {}


def _local(tag: str) -> str:
    """The tag without its namespace (remembered: a document repeats its few tags thousands of times)."""
    name = _LOCAL_NAMES.get(tag)
    if name is None:
        name = _LOCAL_NAMES[tag] = tag.rsplit("}", 1)[-1]
    return name


# Descendants of an element by local name, in document order: built once per element a reader asks about, so
# that looking up many paths in one document walks its tree once rather than once per path.
_INDEXES: weakref.WeakKeyDictionary[Element, dict[str, list[Element]]] = weakref.WeakKeyDictionary()


def _index(element: Element) -> dict[str, list[Element]]:
    index = _INDEXES.get(element)
    if index is None:
        index = {}
        names = _LOCAL_NAMES
        for node in element.iter():
            tag = node.tag
            name = names.get(tag) if isinstance(tag, str) else "#"
            if name is None:
                name = _local(tag)
            index.setdefault(name, []).append(node)
        _INDEXES[element] = index
    return index


def _find(element: Element, *paths: str) -> Element | None:
    """The first descendant matching any of the slash-separated local-name paths."""
    index = _index(element)
    for path in paths:
        names = path.split("/")
        for candidate in index.get(names[0], ()):
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
    return list(_index(element).get(name, ()))


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


# The portal's naive times are Moscow time, whose offset changed (UTC+3, UTC+4 from 27.03.2011 to 26.10.2014):
# the time-zone database knows when.
MOSCOW = ZoneInfo("Europe/Moscow")
_DATE_WITH_OFFSET = re.compile(r"^(\d{4}-\d{2}-\d{2})([+-]\d{2}:\d{2}|Z)$")


def parse_datetime(value: str | None) -> dt.datetime | None:
    """An ISO date-time, a date with an offset (2020-10-01+03:00) or a Russian date; naive ones are Moscow time."""
    if not value:
        return None
    value = value.strip().replace("Z", "+00:00")
    dated = _DATE_WITH_OFFSET.match(value)
    if dated:
        value = f"{dated.group(1)}T00:00:00{dated.group(2)}"
    for parser in (dt.datetime.fromisoformat, lambda v: dt.datetime.strptime(v, "%d.%m.%Y")):
        try:
            parsed = parser(value)
        except ValueError:
            continue
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=MOSCOW)
        return parsed
    return None


def parse_date(value: str | None) -> dt.date | None:
    """The calendar date a document gives (2016-11-21, 2020-10-01+03:00), as written."""
    match = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", value or "")
    return dt.date(*(int(part) for part in match.groups())) if match else None


def parse_int(value: str | None) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
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


# 44-FZ documents that change a notice's state; protocols among them bring their applications and winner.
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
    "fcsProtocolDeviation": None,
    "fcsProtocolCancel": None,
    "fcsClarification": None,
    "fcs_notificationEFDateChange": None,
}
# Protocols of the 2020 schema (epProtocol*, pprf615Protocol*): the last one of a procedure sums it up.
EP_PROTOCOL = re.compile(r"^(epProtocol|pprf615Protocol|fcsProtocol)")
FINAL_EP_PROTOCOLS = re.compile(
    r"^(epProtocol(EOK3|EOKOU3|EOKD4|EOKUI4|EZK2|EZP2|EZP1Extract|EF3|EFSingleApp|EFSinglePart|"
    r"EOKSingleApp|EOKSinglePart|EOKOUSingleApp|EOKOUSinglePart|EZKSingleApp|EZKSinglePart|EZPSingleApp|"
    r"EZPSinglePart|Cancel|Evasion|Deviation)|pprf615ProtocolEF2|pprf615ProtocolEF3|pprf615ProtocolEFSingleApp)"
)
_OWN_NAME = ("name", "purchaseObjectName")
_CODE_CHILDREN = ("code", "OKPDCode", "KTRUCode", "OKDPCode")
_SCHEME_TAGS = {"OKPD2": OKPD2, "KTRU": KTRU, "OKPD": OKPD, "OKDP": OKDP, "okpd2": OKPD2, "okpd": OKPD, "okdp": OKDP}


def _document(root: Element) -> Element:
    """The payload under <export> (44-FZ) or <body><item><...Data> (223-FZ), or the root itself."""
    if _local(root.tag) == "export":
        children = list(root)
        if not children:
            raise SourceError("пустой документ export")
        return children[0]
    return root


def _child(element: Element, *names: str) -> Element | None:
    """The first direct child with one of the local names."""
    for child in element:
        if _local(child.tag) in names:
            return child
    return None


def _child_text(element: Element, *names: str) -> str:
    node = _child(element, *names)
    return (node.text or "").strip() if node is not None else ""


def _classified(element: Element) -> tuple[str, str, str]:
    """(code, scheme, classifier's name) of an item: its OKPD2, KTRU, old OKPD or OKDP child, in that order."""
    for tag in ("OKPD2", "okpd2", "KTRU", "OKPD", "okpd", "OKDP", "okdp"):
        node = _child(element, tag)
        if node is not None:
            code = _child_text(node, *_CODE_CHILDREN)
            if code:
                return code, _SCHEME_TAGS[tag], _child_text(node, "name", "OKPDName", "KTRUName", "OKDPName")
    return "", "", ""


def _items_44(doc: Element) -> list[ItemRecord]:
    items = []
    for obj in _all(doc, "purchaseObject"):
        code, scheme, classifier_name = _classified(obj)
        items.append(
            ItemRecord(
                code,
                _child_text(obj, *_OWN_NAME) or classifier_name,
                parse_decimal(_text(obj, "quantity/value")),
                parse_decimal(_child_text(obj, "price")),
                scheme or OKPD2,
            )
        )
    return items


def _version_44(doc: Element) -> tuple[dt.datetime | None, int | None]:
    """When this version was published in the register, and its number (the document's own fields)."""
    published = parse_datetime(
        _text(
            doc,
            "commonInfo/publishDTInEIS",
            "commonInfo/docPublishDTInEIS",
            "commonInfo/docPublishDate",
            "docPublishDate",
            "publishDate",
            "publishDTInEIS",
        )
    )
    return published, parse_int(_child_text(doc, "versionNumber"))


def _customers_44(doc: Element, placer: PartyRecord, placer_reg: str) -> list[PartyRecord]:
    """Each customer the notice buys for (a joint purchase lists several; an authorised body buys for others).
    The notice gives a customer's INN only when the customer placed it itself; other customers keep theirs
    empty rather than borrow the placer's."""
    customers: list[PartyRecord] = []
    for requirement in _all(doc, "customerRequirement") + _all(doc, "customerRequirementInfo"):
        customer = _child(requirement, "customer", "customerInfo")
        if customer is None:
            continue
        name = _child_text(customer, "fullName")
        inn = _child_text(customer, "INN", "inn")
        if not inn and ((_child_text(customer, "regNum") == placer_reg and placer_reg) or name == placer.name):
            inn = placer.inn
        party = PartyRecord(name, inn, parse_decimal(_text(requirement, "maxPrice", "maxPriceInfo/maxPrice")))
        if party.name and party.name not in {c.name for c in customers}:
            customers.append(party)
    return customers


def _placer_44(doc: Element) -> tuple[PartyRecord, str]:
    responsible = _find(doc, "responsibleOrg", "responsibleOrgInfo")
    if responsible is None:
        return PartyRecord(_text(doc, "customer/fullName"), _text(doc, "customer/INN")), ""
    party = PartyRecord(_child_text(responsible, "fullName"), _child_text(responsible, "INN", "inn"))
    return party, _child_text(responsible, "regNum")


def read_44_xml(root: Element) -> Record:
    doc = _document(root)
    name = _local(doc.tag)
    if name == "contract" or (name.startswith("contract") and _child(doc, "regNum") is not None):
        return read_44_contract(doc)
    number = _text(doc, "commonInfo/purchaseNumber", "purchaseNumber")
    if not number:
        raise SourceError(f"в документе {name} нет purchaseNumber")
    if name in STATUS_DOCUMENTS_44 or EP_PROTOCOL.match(name) or _status_document(name):
        return read_44_protocol(doc, name, number)
    if "otification" not in name:
        raise SourceError(f"неизвестный тип документа 44-ФЗ: {name}")
    published, version_number = _version_44(doc)
    placer, placer_reg = _placer_44(doc)
    customers = _customers_44(doc, placer, placer_reg)
    main = customers[0] if customers else placer
    return TenderRecord(
        registry_number=number,
        law="44",
        title=_text(doc, "commonInfo/purchaseObjectInfo", "purchaseObjectInfo"),
        customer_name=main.name,
        customer_inn=main.inn,
        procedure=_text(doc, "placingWay/name"),
        max_price=parse_decimal(_text(doc, "maxPriceInfo/maxPrice", "lot/maxPrice", "maxPrice")),
        currency=_text(doc, "currency/code") or "RUB",
        published_at=published,
        submission_ends_at=parse_datetime(_text(doc, "collecting/endDate", "collectingInfo/endDT", "endDate")),
        version_at=published,
        portal_url=_text(doc, "commonInfo/href", "href"),
        items=_items_44(doc),
        document=name,
        version_number=version_number,
        placer_name=placer.name,
        placer_inn=placer.inn,
        customers=customers,
    )


# --- 44-FZ protocols and contracts ---------------------------------------------------------------------------


def _participant(application: Element) -> tuple[str, str]:
    """The applicant's name and INN (a legal entity, an individual entrepreneur or a person)."""
    info = next(
        (
            node
            for node in application.iter()
            if _local(node.tag) in {"appParticipantInfo", "appParticipant", "supplierInfo", "participantInfo"}
        ),
        None,
    )
    if info is None:
        return "", ""
    inn = _text(info, "INN", "inn", "idNumber")
    name = _text(info, "fullName", "organizationName", "name")
    if not name:
        person = _find(info, "nameInfo")
        if person is not None:
            name = _person_name(person)
    return name, inn


def _person_name(element: Element) -> str:
    """«Фамилия Имя Отчество» from the parts a document gives (a «-» stands for a part it does not have)."""
    parts = (_text(element, key) for key in ("lastName", "firstName", "middleName"))
    return " ".join(part for part in parts if part and part != "-")


def _admitted(application: Element) -> bool | None:
    """Whether the commission admitted the application, when the protocol says."""
    node = _child(application, "admitted")
    if node is not None:
        return (node.text or "").strip() == "true"
    if _child(application, "admittedInfo") is not None:
        return True
    if _child(application, "notAdmittedInfo", "appRejectedReasonInfo", "notConsidered") is not None:
        return False
    common = _child(application, "commonInfo")
    return _admitted(common) if common is not None else None


_OFFER_PATHS = (
    "winnerPrice",
    "finalPrice",
    "lastOffer/price",
    "lastPrice",
    "costCriterionInfo/offer",
    "offerPrice",
    "priceOffers/lastOffer/price",
    "price",
)


def _bid(application: Element, lot: int | None) -> BidRecord:
    name, inn = _participant(application)
    rank = parse_int(_text(application, "appRating"))
    result = _text(application, "resultType", "winnerIndication", "isWinner").upper()
    winner_flag = result in {"WIN_OFFER", "TRUE", "W"}
    return BidRecord(
        participant_name=name,
        participant_inn=inn,
        price=parse_decimal(_text(application, *_OFFER_PATHS)),
        rank=rank,
        admitted=_admitted(application),
        is_winner=winner_flag or rank == 1,
        application=_text(application, "appNumber", "journalNumber", "applicationNumber"),
        lot=lot,
    )


def _applications(doc: Element) -> list[Element]:
    """Applications of a protocol, outermost only (an application holds no other application)."""
    found: list[Element] = []
    inner: set[int] = set()
    for node in doc.iter():
        if _local(node.tag) in {"application", "applicationInfo"} and id(node) not in inner:
            found.append(node)
            inner.update(id(child) for child in node.iter() if child is not node)
    return found


def _bids(doc: Element) -> list[BidRecord]:
    bids = [_bid(application, None) for application in _applications(doc)]
    if not any(bid.is_winner for bid in bids) and _single_admitted(doc, bids):
        bids[0].is_winner = True  # the only application, admitted: the contract is concluded with it
    return bids


def _single_admitted(doc: Element, bids: list[BidRecord]) -> bool:
    name = _local(doc.tag)
    return len(bids) == 1 and bids[0].admitted is not False and ("SingleApp" in name or "SinglePart" in name)


_STATUS_WORDS = (  # parts of other documents' names that say what they do to a notice, most specific first
    ("CancelFailure", "open"),
    ("ApplicationsAbsence", "failed"),
    ("NotificationCancel", "cancelled"),
    ("NoticeCancel", "cancelled"),
    ("DateChange", None),
    ("OrgChange", None),
    ("Prolongation", None),
    ("Clarification", None),
    ("Explanation", None),
    ("Cancel", None),
)


def _status_document(name: str) -> bool:
    return any(word in name for word, _ in _STATUS_WORDS)


def _named_status(name: str) -> str | None:
    return next((status for word, status in _STATUS_WORDS if word in name), None)


def _protocol_status(name: str, doc: Element, bids: list[BidRecord]) -> str | None:
    reason_type = _text(doc, "abandonedReason/type")
    no_applications = reason_type == "NR" or _text(doc, "abandonedReason/code").endswith("NR")
    if any(bid.is_winner for bid in bids):
        return "finished"
    if no_applications or name.endswith("Invalidation") or (reason_type and not bids):
        return "failed"
    if name in STATUS_DOCUMENTS_44:
        return STATUS_DOCUMENTS_44[name]
    if _status_document(name):
        return _named_status(name)
    final = FINAL_EP_PROTOCOLS.match(name) or name.endswith("Final")  # epProtocolEF2020Final of the 2022 schema
    return "finished" if final and bids else "evaluation"


def read_44_protocol(doc: Element, name: str, number: str) -> StatusRecord:
    bids = _bids(doc) if "otification" not in name else []
    published, _ = _version_44(doc)
    if published is None:
        published = parse_datetime(_text(doc, "protocolDate", "docDate", "createDate"))
    return StatusRecord(
        registry_number=number,
        status=_protocol_status(name, doc, bids),
        version_at=published,
        submission_ends_at=parse_datetime(_text(doc, "newAuctionDate", "endDate", "endDT"))
        if "DateChange" in name or "Prolongation" in name
        else None,
        document=name,
        law="44",
        protocol_number=_text(doc, "commonInfo/docNumberExternal", "protocolNumber", "commonInfo/docNumber"),
        bids=bids,
    )


def _supplier(doc: Element) -> tuple[str, str]:
    supplier = _find(doc, "suppliers/supplier", "supplierInfo", "supplier")
    if supplier is None:
        return "", ""
    inn = _text(supplier, "INN", "inn")
    name = _text(supplier, "fullName", "organizationName", "name")
    if not name:
        name = _person_name(supplier)
    return name, inn


def read_44_contract(doc: Element) -> ContractRecord:
    registry = _child_text(doc, "regNum")
    if not registry:
        raise SourceError("в контракте нет реестрового номера regNum")
    supplier_name, supplier_inn = _supplier(doc)
    return ContractRecord(
        registry_number=registry,
        purchase_number=_text(
            doc,
            "foundation/fcsOrder/order/notificationNumber",
            "foundation/order/notificationNumber",
            "notificationNumber",
        ),
        law="44",
        customer_name=_text(doc, "customer/fullName"),
        customer_inn=_text(doc, "customer/inn", "customer/INN"),
        supplier_name=supplier_name,
        supplier_inn=supplier_inn,
        price=parse_decimal(_text(doc, "priceInfo/price", "price")),
        currency=_text(doc, "priceInfo/currency/code", "currency/code") or "RUB",
        signed_on=parse_date(_child_text(doc, "signDate")),
        starts_on=parse_date(_text(doc, "executionPeriod/startDate", "executionDate/startDate")),
        ends_on=parse_date(_text(doc, "executionPeriod/endDate", "executionDate/endDate")),
        published_at=parse_datetime(_child_text(doc, "publishDate")),
        version_number=parse_int(_child_text(doc, "versionNumber")),
        portal_url=_child_text(doc, "href"),
        document="contract",
    )


# --- 223-FZ --------------------------------------------------------------------------------------------------


def _data_223(doc: Element) -> Element:
    """The ...Data element of a 223-FZ document (under body/item), or the document itself."""
    for node in doc.iter():
        tag = _local(node.tag)
        if tag.endswith("Data") and tag.startswith(("purchase", "contract")):
            return node
    return doc


def _party_223(data: Element, role: str) -> PartyRecord:
    node = _child(data, role)
    if node is None:
        return PartyRecord("")
    return PartyRecord(_text(node, "mainInfo/fullName", "fullName"), _text(node, "mainInfo/inn", "inn"))


def _lots_223(data: Element) -> tuple[list[LotRecord], list[ItemRecord]]:
    lots: list[LotRecord] = []
    items: list[ItemRecord] = []
    for index, lot in enumerate(_all(data, "lot"), start=1):
        lot_data = _child(lot, "lotData") or lot
        number = parse_int(_child_text(lot, "ordinalNumber") or _child_text(lot_data, "ordinalNumber")) or index
        subject = _child_text(lot_data, "subject")
        lots.append(
            LotRecord(
                number,
                subject,
                parse_decimal(_child_text(lot_data, "initialSum")),
                _text(lot_data, "currency/code") or "RUB",
            )
        )
        for item in _all(lot_data, "lotItem"):
            code, scheme, classifier_name = _classified(item)
            items.append(
                ItemRecord(
                    code,
                    _child_text(item, "additionalInfo", "name") or subject or classifier_name,
                    parse_decimal(_child_text(item, "qty")),
                    None,
                    scheme or OKPD2,
                    number,
                )
            )
    return lots, items


def _sum_lots(lots: list[LotRecord]) -> Decimal | None:
    prices = [lot.max_price for lot in lots if lot.max_price is not None]
    return sum(prices, Decimal(0)) if prices else None


def read_223_xml(root: Element) -> list[Record]:
    doc = _document(root)
    name = _local(doc.tag)
    if name.startswith("purchasePlan"):
        return _read_223_plan(doc)
    data = _data_223(doc)
    if name.startswith("purchaseProtocol"):
        return [read_223_protocol(data, name)]
    if name.startswith("purchaseContractAccount"):
        return [read_223_contract_account(data)]
    if name.startswith("contract") and not name.startswith("contractAccount"):
        return [read_223_contract(data, name)]
    number = _child_text(data, "registrationNumber")
    if not number:
        raise SourceError(f"в документе {name} нет registrationNumber")
    lots, items = _lots_223(data)
    customer, placer = _party_223(data, "customer"), _party_223(data, "placer")
    published = parse_datetime(_child_text(data, "publicationDateTime"))
    return [
        TenderRecord(
            registry_number=number,
            law="223",
            title=_child_text(data, "name"),
            customer_name=customer.name or placer.name,
            customer_inn=customer.inn if customer.name else placer.inn,
            procedure=_child_text(data, "purchaseCodeName", "purchaseMethodName"),
            max_price=_sum_lots(lots) if lots else parse_decimal(_child_text(data, "initialSum")),
            currency=lots[0].currency if lots else "RUB",
            published_at=published,
            submission_ends_at=parse_datetime(_text(data, "submissionCloseDateTime")),
            version_at=parse_datetime(_child_text(data, "modificationDate")) or published,
            status="cancelled" if "Cancel" in name else "open",
            portal_url=_child_text(data, "urlEIS", "urlVSRZ", "urlOOS"),
            items=items,
            document=name,
            version_number=parse_int(_child_text(data, "version")),
            placer_name=placer.name,
            placer_inn=placer.inn,
            customers=[customer] if customer.name else [],
            lots=lots,
        )
    ]


def read_223_protocol(data: Element, name: str) -> StatusRecord:
    number = _text(data, "purchaseInfo/purchaseNoticeNumber", "purchaseNoticeNumber")
    if not number:
        raise SourceError(f"в протоколе {name} нет номера извещения purchaseNoticeNumber")
    single_supplier = "единственн" in _text(data, "purchaseInfo/purchaseCodeName").lower()
    bids: list[BidRecord] = []
    for index, lot_apps in enumerate(_all(data, "protocolLotApplications"), start=1):
        lot_number = parse_int(_text(lot_apps, "ordinalNumber")) or index
        lot_bids = [_bid(app, lot_number) for app in _all(lot_apps, "application")]
        for bid in lot_bids:
            bid.admitted = _accepted_223(lot_apps, bid)
        if single_supplier and len(lot_bids) == 1:
            lot_bids[0].is_winner = True
        bids.extend(lot_bids)
    return StatusRecord(
        registry_number=number,
        status="finished" if any(bid.is_winner for bid in bids) else "evaluation",
        version_at=parse_datetime(_child_text(data, "publicationDateTime")),
        document=name,
        law="223",
        protocol_number=_child_text(data, "registrationNumber"),
        bids=bids,
    )


def _accepted_223(lot_apps: Element, bid: BidRecord) -> bool | None:
    for app in _all(lot_apps, "application"):
        if _child_text(app, "applicationNumber") == bid.application:
            accepted = _child_text(app, "accepted")
            return {"Y": True, "N": False}.get(accepted) if accepted else None
    return None


def read_223_contract(data: Element, name: str) -> ContractRecord:
    supplier_name, supplier_inn = _supplier(data)
    customer = _party_223(data, "customer")
    return ContractRecord(
        registry_number=_child_text(data, "registrationNumber") or _child_text(data, "guid"),
        purchase_number=_text(data, "purchaseNoticeInfo/purchaseNoticeNumber", "purchaseInfo/purchaseNoticeNumber"),
        law="223",
        customer_name=customer.name,
        customer_inn=customer.inn,
        supplier_name=supplier_name,
        supplier_inn=supplier_inn,
        price=parse_decimal(_child_text(data, "price", "sum")),
        currency=_text(data, "currency/code") or "RUB",
        signed_on=parse_date(_child_text(data, "contractDate", "signDate")),
        starts_on=parse_date(_child_text(data, "startExecutionDate")),
        ends_on=parse_date(_child_text(data, "endExecutionDate")),
        published_at=parse_datetime(_child_text(data, "publicationDate", "publicationDateTime")),
        version_number=parse_int(_child_text(data, "version")),
        portal_url=_child_text(data, "urlEIS", "urlOOS"),
        document=name,
    )


def read_223_contract_account(data: Element) -> ContractReportRecord:
    customer = _party_223(data, "customer")
    return ContractReportRecord(
        guid=_child_text(data, "guid"),
        customer_name=customer.name,
        customer_inn=customer.inn,
        period=parse_date(_child_text(data, "period")),
        kind=_child_text(data, "typeDescription"),
        contracts_number=parse_int(_child_text(data, "contractsNumber")) or 0,
        overall_cost=parse_decimal(_child_text(data, "contractsOverallCost")),
        currency=_text(data, "currency/code") or "RUB",
        published_at=parse_datetime(_child_text(data, "publicationDateTime")),
        version_number=parse_int(_child_text(data, "version")),
        portal_url=_child_text(data, "urlOOS", "urlEIS"),
    )


def _read_223_plan(doc: Element) -> list[Record]:
    plan_number = _text(doc, "registrationNumber")
    customer = _text(doc, "customer/mainInfo/fullName")
    inn = _text(doc, "customer/mainInfo/inn")
    version = parse_datetime(_text(doc, "modificationDate", "createDateTime"))
    records: list[Record] = []
    for position in _all(doc, "purchasePlanItem"):
        ordinal = _text(position, "ordinalNumber")
        items = []
        for row in _all(position, "purchasePlanRow"):
            code, scheme, classifier_name = _classified(row)
            items.append(
                ItemRecord(code, _child_text(row, "additionalInfo") or classifier_name, scheme=scheme or OKPD2)
            )
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
                document=_local(doc.tag),
            )
        )
    return records


_223_PREFIXES = ("purchaseNotice", "purchasePlan", "purchaseProtocol", "purchaseContract", "contract")


def read_xml(data: bytes, filename: str) -> list[Record]:
    root = parse_xml(data)
    doc = _document(root)
    name = _local(doc.tag)
    if _local(root.tag) != "export" and (name.startswith(_223_PREFIXES) or filename.startswith(_223_PREFIXES[:4])):
        return read_223_xml(root)
    return [read_44_xml(root)]


# --- OCDS (streamed) -----------------------------------------------------------------------------------------

OCDS_STATUS = {
    "active": "open",
    "planned": "planned",
    "planning": "planned",
    "cancelled": "cancelled",
    "unsuccessful": "failed",
    "complete": "finished",
    # Moldova's portal writes its own (Romanian) states.
    "primirea ofertelor": "open",
    "executarea contractului": "finished",
    "anulat": "cancelled",
    "finalizat": "finished",
}
# Where a record comes from when its parties do not say: registered OCID prefixes and release languages.
OCID_COUNTRIES = {"ocds-ngfbwp": "MD", "ocds-be6bcu": "UA", "ocds-3w5ue3": "AM"}
LANGUAGE_COUNTRIES = {"md": "MD", "ro": "MD", "uk": "UA", "hy": "AM", "ru": "RU"}
COUNTRY_NAMES = {"украина": "UA", "україна": "UA", "ukraine": "UA", "moldova": "MD", "armenia": "AM", "россия": "RU"}
COUNTRY_CURRENCIES = {"RU": "RUB", "MD": "MDL", "UA": "UAH", "AM": "AMD"}


def _ocds_country(release: dict) -> str:
    """The buyer's country: its identifier scheme (RU-INN, UA-EDR, AM-TIN), address, the OCID prefix or language."""
    for party in release.get("parties") or []:
        if "buyer" not in (party.get("roles") or []):
            continue
        scheme = str((party.get("identifier") or {}).get("scheme") or "")
        if re.match(r"^[A-Z]{2}-", scheme):
            return scheme[:2]
        country = str((party.get("address") or {}).get("countryName") or "").strip()
        if re.fullmatch(r"[A-Z]{2}", country):
            return country
        if country.lower() in COUNTRY_NAMES:
            return COUNTRY_NAMES[country.lower()]
    buyer_id = str((release.get("buyer") or {}).get("id") or "")
    if re.match(r"^[A-Z]{2}-[A-Z]+-", buyer_id):
        return buyer_id[:2]
    ocid = str(release.get("ocid") or "")
    for prefix, country in OCID_COUNTRIES.items():
        if ocid.startswith(prefix):
            return country
    return LANGUAGE_COUNTRIES.get(str(release.get("language") or "").lower(), "RU")


def _ocds_currency(release: dict, value: dict, country: str) -> str:
    """The currency the data gives (the tender's, else an award's or contract's), else the country's own."""
    candidates = [value] + [
        part.get("value") or {} for part in (release.get("awards") or []) + (release.get("contracts") or [])
    ]
    for candidate in candidates:
        currency = str(candidate.get("currency") or "").strip().upper()
        if currency:
            return currency[:3]
    return COUNTRY_CURRENCIES.get(country, "")


def _ocds_law(tender: dict, country: str) -> str:
    basis = str(tender.get("legalBasis") or "")
    if "223" in basis:
        return "223"
    return "44" if country == "RU" else "other"


def _ocds_release(release: dict) -> TenderRecord:
    tender = release.get("tender") or {}
    if not tender and release.get("planning"):
        return _ocds_planning(release)
    number = str(tender.get("id") or release.get("ocid") or "")
    if not number:
        raise SourceError("в выпуске OCDS нет tender.id и ocid")
    buyer, inn = _ocds_buyer(release)
    value = tender.get("value") or {}
    country = _ocds_country(release)
    published, ends = _ocds_dates(release, tender)
    return TenderRecord(
        registry_number=number,
        law=_ocds_law(tender, country),
        title=_first_text(tender, "title", "description"),
        customer_name=str(buyer.get("name", "")),
        customer_inn=inn,
        procedure=_first_text(tender, "procurementMethodDetails", "procurementMethod"),
        max_price=parse_decimal(str(value.get("amount", ""))),
        currency=_ocds_currency(release, value, country),
        published_at=published,
        submission_ends_at=ends,
        version_at=parse_datetime(_first_text(release, "date")),
        status=OCDS_STATUS.get(_first_text(tender, "status").lower() or "active", "open"),
        portal_url=_first_text(tender, "documentsUrl"),
        items=[_ocds_item(item) for item in tender.get("items") or []],
        document="OCDS",
        country=country,
    )


def _ocds_records(position: str, release: dict) -> Iterator[tuple[str, Record]]:
    """The release's tender, then each of its contracts (with the supplier its award names)."""
    tender = _ocds_release(release)
    yield position, tender
    awards = {str(award.get("id")): award for award in release.get("awards") or []}
    for index, contract in enumerate(release.get("contracts") or []):
        yield f"{position}.contracts[{index}]", _ocds_contract(release, contract, awards, tender)


def _ocds_contract(release: dict, contract: dict, awards: dict[str, dict], tender: TenderRecord) -> ContractRecord:
    award = awards.get(str(contract.get("awardID")), {})
    suppliers = contract.get("suppliers") or award.get("suppliers") or [{}]
    supplier_id = str(suppliers[0].get("id") or "")
    value = contract.get("value") or award.get("value") or {}
    period = contract.get("period") or {}
    return ContractRecord(
        registry_number=f"{release.get('ocid') or tender.registry_number}/{contract.get('id')}"[:100],
        purchase_number=tender.registry_number,
        law=tender.law,
        customer_name=tender.customer_name,
        customer_inn=tender.customer_inn,
        supplier_name=str(suppliers[0].get("name") or ""),
        supplier_inn=supplier_id.removeprefix("RU-INN-") if supplier_id.startswith("RU-INN-") else "",
        price=parse_decimal(str(value.get("amount", ""))),
        currency=str(value.get("currency") or "").upper()[:3] or tender.currency,
        signed_on=parse_date(_first_text(contract, "dateSigned")),
        starts_on=parse_date(_first_text(period, "startDate")),
        ends_on=parse_date(_first_text(period, "endDate")),
        published_at=tender.version_at,
        document="OCDS (контракт)",
    )


def _first_text(data: dict, *keys: str) -> str:
    """The first of the keys with a value, as stripped text ("" when none has one)."""
    return next((str(data[key]).strip() for key in keys if data.get(key)), "")


def _ocds_dates(release: dict, tender: dict) -> tuple[dt.datetime | None, dt.datetime | None]:
    """Publication (the tender's, else its period's start, else the release's date) and the submission deadline."""
    period = tender.get("tenderPeriod") or {}
    published = _first_text(tender, "datePublished") or _first_text(period, "startDate") or _first_text(release, "date")
    return parse_datetime(published), parse_datetime(_first_text(period, "endDate"))


def _ocds_planning(release: dict) -> TenderRecord:
    """A planning-only release: a planned purchase (never an open tender), titled by what it buys."""
    planning = release["planning"]
    planning = planning[0] if isinstance(planning, list) and planning else planning
    budget = planning.get("budget") or {}
    amount = budget.get("amount") or {}
    planned = planning.get("tender") or {}
    items = [_ocds_item(item) for item in planned.get("items") or []]
    buyer, inn = _ocds_buyer(release)
    country = _ocds_country(release)
    title = "; ".join(dict.fromkeys(item.name for item in items if item.name))
    return TenderRecord(
        registry_number=str(release.get("ocid") or planning.get("planID") or ""),
        law=_ocds_law(planned, country),
        title=title or str(budget.get("description") or "").strip(" -\r\n") or str(release.get("ocid")),
        customer_name=str(buyer.get("name", "")),
        customer_inn=inn,
        procedure=str(planned.get("procurementMethodDetails") or planned.get("procurementMethod") or ""),
        max_price=parse_decimal(str(amount.get("amount", ""))),
        currency=_ocds_currency(release, amount, country),
        published_at=parse_datetime(str(release.get("date") or "")),
        version_at=parse_datetime(str(release.get("date") or "")),
        status="planned",
        items=items,
        document="OCDS (план)",
        country=country,
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
    """An item with its own description and its code in the classifier the release names (OKPD2, CPV…)."""
    classification = item.get("classification") or {}
    scheme = str(classification.get("scheme", "")).upper().replace(" ", "")
    known = {"OKPD2": OKPD2, "ОКПД2": OKPD2, "OKPD": OKPD, "KTRU": KTRU, "OKDP": OKDP}
    return ItemRecord(
        str(classification.get("id", "")),
        str(item.get("description") or classification.get("description") or "").strip(),
        parse_decimal(str(item.get("quantity", ""))),
        None,
        known.get(scheme, scheme[:8]),
    )


_RECORD_MARKERS = {"compiledRelease", "versionedRelease", "ocid"}
_BUILT = ("releases.item", "records.item", "compiledRelease")


_SNIFF_BYTES = 64 * 1024


def read_ocds(stream: IO[bytes]) -> Iterator[tuple[str, Record]]:
    """Releases of a release package, compiled releases of a record package or of a single record, streamed:
    one object is built at a time, whatever the file size. Packages go through ijson's C reader; a file whose
    shape its first 64 KB do not tell (or a stream that cannot seek) goes through the event reader."""
    shape = _ocds_shape(stream)
    if shape in {"releases", "records"}:
        found = False
        try:
            for index, obj in enumerate(ijson.items(stream, f"{shape}.item", use_float=False)):
                found = True
                release = (
                    obj if shape == "releases" else obj.get("compiledRelease") or (obj.get("releases") or [{}])[-1]
                )
                yield from _ocds_records(f"{shape}[{index}]", release)
        except ijson.JSONError as exc:
            raise SourceError(f"JSON не разобран: {exc}", _json_position(stream)) from None
        if not found:
            raise SourceError("это не пакет OCDS: нет ни releases, ни records")
        return
    yield from _read_ocds_events(stream)


def _ocds_shape(stream: IO[bytes]) -> str:
    """«releases», «records» or «record» (a single record), from the first top-level key that tells, or ""."""
    if not stream.seekable():
        return ""
    start = stream.tell()
    head = stream.read(_SNIFF_BYTES)
    stream.seek(start)
    try:
        for prefix, event, value in ijson.parse(io.BytesIO(head)):
            if prefix == "" and event == "map_key":
                if value in _RECORD_MARKERS:
                    return "record"
                if value in {"releases", "records"}:
                    return str(value)
    except ijson.JSONError:
        pass  # the sniffed head ends mid-document, or the file is not JSON: the event reader says which
    return ""


def _read_ocds_events(stream: IO[bytes]) -> Iterator[tuple[str, Record]]:
    found = False
    single_record = False
    counters = {"releases": 0, "records": 0}
    builder: ijson.ObjectBuilder | None = None
    building = ""
    try:
        for prefix, event, value in ijson.parse(stream, use_float=False):
            if builder is None:
                if prefix == "" and event == "map_key" and value in _RECORD_MARKERS:
                    single_record = True
                if prefix in _BUILT and event in {"start_map", "start_array"}:
                    builder, building = ijson.ObjectBuilder(), prefix
                else:
                    continue
            builder.event(event, value)
            if prefix == building and event in {"end_map", "end_array"}:
                obj, builder = builder.value, None
                position, release = _built(building, obj, counters, single_record)
                if release is not None:
                    found = True
                    yield from _ocds_records(position, release)
    except ijson.JSONError as exc:
        raise SourceError(f"JSON не разобран: {exc}", _json_position(stream)) from None
    if not found:
        raise SourceError("это не пакет OCDS: нет ни releases, ни records")


def _built(kind: str, obj: Any, counters: dict[str, int], single_record: bool) -> tuple[str, dict | None]:
    """What an object built from the stream gives: a release to read (or None), with its position."""
    if kind == "compiledRelease":
        return "compiledRelease", obj
    if kind == "records.item":
        index = counters["records"]
        counters["records"] += 1
        return f"records[{index}]", obj.get("compiledRelease") or (obj.get("releases") or [{}])[-1]
    index = counters["releases"]
    counters["releases"] += 1
    return f"releases[{index}]", None if single_record else obj


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
                document="CSV-выгрузка",
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
