"""Every real file of ../shared/data/procurement-real (PROVENANCE.md there), imported and compared with the values
read by hand from its XML or JSON: dates in UTC, prices, INNs, items, statuses and winners."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from projectoffice.opportunities.models import (
    ContractReport,
    PendingProcurementDocument,
    Tender,
    TenderBid,
    TenderContract,
)
from projectoffice.opportunities.procurement_import import import_procurement
from projectoffice.opportunities.selectors import offered_opportunities, opportunity_list
from tests.factories import OrganisationFactory, TenderFactory, UserFactory

pytestmark = pytest.mark.django_db

REAL = Path(__file__).resolve().parents[3] / "shared" / "data" / "procurement-real"
PROTOCOLS = REAL / "Sterks-rXML"
CONTRACTS = REAL / "rummolprod999-ParserContracts44"
FZ223 = REAL / "Khudim-ZakupkiParser"
OCDS = REAL / "open-contracting-sample-data"
BEFORE = dt.datetime(2010, 1, 1, tzinfo=dt.UTC)

if not REAL.is_dir():  # the data folder sits beside the checkout; without it there is nothing to compare
    pytest.skip("нет папки procurement-real", allow_module_level=True)


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=dt.UTC)


def notice(number: str, law: str = "44") -> Tender:
    """The notice a protocol or contract refers to, published before it."""
    TenderFactory(registry_number=number, law=law, published_at=BEFORE, version_at=BEFORE)
    return Tender.objects.get(registry_number=number)


def bids(tender: Tender, document: str) -> list[tuple]:
    rows = TenderBid.objects.filter(tender=tender, document=document).order_by("id")
    return [(b.application, b.participant_inn, b.price, b.rank, b.is_winner) for b in rows]


# (file, purchase number, document, status after it, publication in UTC,
#  applications: (number, participant INN, price offered, place, winner))
PROTOCOL_CASES = [
    (
        "fcsProtocolEF1_0373200587820000039_30316592.xml", "0373200587820000039", "fcsProtocolEF1", "evaluation",
        utc(2020, 10, 1, 8, 50, 51, 695000),
        [(str(n), "", None, None, False) for n in (1, 2, 3, 5, 6, 7, 8, 9, 10)],
    ),
    (
        "fcsProtocolEF2_0373200557920000359_30317243.xml", "0373200557920000359", "fcsProtocolEF2", "evaluation",
        utc(2020, 10, 1, 9, 11, 13, 715000),
        [
            ("1", "", Decimal("6742083.65"), None, False),
            ("3", "", None, None, False),
            ("6", "", Decimal("6695586.52"), None, False),
            ("5", "", Decimal("9100000.00"), None, False),
            ("4", "", Decimal("9113437.28"), None, False),
        ],
    ),
    (
        "fcsProtocolEF3_0873500000820003425_30311379.xml", "0873500000820003425", "fcsProtocolEF3", "finished",
        utc(2020, 10, 1, 5, 40, 51, 93000),
        [
            ("1", "9729232422", Decimal("1960000.00"), 2, False),
            ("2", "613303041597", Decimal("1982840.78"), 4, False),
            ("3", "7727440800", Decimal("2138357.69"), 5, False),
            ("10", "401600167029", Decimal("1969880.00"), 3, False),
            ("4", "9703009483", Decimal("1840283.61"), 1, True),
            ("6", "524706440705", Decimal("2540109.69"), 6, False),
        ],
    ),
    (
        "fcsProtocolEFInvalidation_0373100034920000012_30311370.xml", "0373100034920000012",
        "fcsProtocolEFInvalidation", "failed", utc(2020, 10, 1, 5, 40, 41, 749000), [],
    ),
    (
        "fcsProtocolEFSingleApp_0173100000120000018_30317541.xml", "0173100000120000018", "fcsProtocolEFSingleApp",
        "finished", utc(2020, 10, 1, 9, 24, 17, 905000),
        [("1", "7702404085", Decimal("265000000.00"), None, True)],
    ),
    (
        "fcsProtocolEOK1_2073400000720000002_30308863.xml", "2073400000720000002", "epProtocolEOK1", "evaluation",
        utc(2020, 10, 1, 0, 14, 4),
        [(n, "", None, None, False) for n in ("201", "199", "39", "233")],
    ),
    (
        "fcsProtocolEOK2_0173200001320000027_30316640.xml", "0173200001320000027", "epProtocolEOK2", "evaluation",
        utc(2020, 10, 1, 8, 51, 11),
        [
            ("6", "9102200630", None, None, False),
            ("5", "7116511504", None, None, False),
            ("7", "7702798915", None, None, False),
            ("1", "7841040371", None, None, False),
            ("4", "7722348720", None, None, False),
        ],
    ),
    (
        "fcsProtocolEOK3_0373200041520000828_30314517.xml", "0373200041520000828", "epProtocolEOK3", "finished",
        utc(2020, 10, 1, 7, 45, 57),
        [("1", "7718195662", Decimal("7649776.38"), 1, True), ("2", "1655358649", Decimal("4949600.00"), 2, False)],
    ),
    (
        "fcsProtocolEOKOU1_0373200025620000354_30317342.xml", "0373200025620000354", "epProtocolEOKOU1",
        "evaluation", utc(2020, 10, 1, 9, 15, 33),
        [(n, "", None, None, False) for n in ("2", "3", "4", "5")],
    ),
    (
        "fcsProtocolEOKOU2_0373200025620000354_30317735.xml", "0373200025620000354", "epProtocolEOKOU2",
        "evaluation", utc(2020, 10, 1, 9, 30, 12),
        [
            ("2", "7712022825", None, None, False),
            ("3", "7720731800", None, None, False),
            ("5", "7604042447", None, None, False),
            ("4", "9721071156", None, None, False),
        ],
    ),
    (
        "fcsProtocolEZK1_0332200014320000017_30316689.xml", "0332200014320000017", "epProtocolEZK1", "failed",
        utc(2020, 10, 1, 8, 52, 7), [],
    ),
    (
        "fcsProtocolEZK2_0373200554120000039_30312504.xml", "0373200554120000039", "epProtocolEZK2", "finished",
        utc(2020, 10, 1, 6, 31, 24),
        [
            ("108314388", "771917383159", Decimal("99900"), None, False),
            ("108314489", "7718927411", Decimal("99550"), None, True),
        ],
    ),
    (
        "fcsProtocolPR615_027300000012001473_30312943.xml", "027300000012001473", "pprf615ProtocolEF1",
        "evaluation", utc(2020, 10, 1, 6, 50, 5, 346000),
        [("1", "7723806652", None, None, False), ("2", "7716836744", None, None, False)],
    ),
    (
        "fcsProtocolPP615_027300000012001473_30313173.xml", "027300000012001473", "pprf615ProtocolEF2", "finished",
        utc(2020, 10, 1, 6, 58, 4, 472000),
        [("1", "7723806652", Decimal("16519417.98"), 1, True)],
    ),
    (
        "fcsProtocolPZP_0373200029720003506_30312379.xml", "0373200029720003506", "epProtocolEZP1", "failed",
        utc(2020, 10, 1, 6, 26, 21), [],
    ),
    (
        "fcsProtocolVPP_0373200029720003504_30311128.xml", "0373200029720003504", "epProtocolEZP1Extract",
        "evaluation", utc(2020, 10, 1, 5, 25, 35), [],
    ),
]  # fmt: skip


@pytest.mark.parametrize(("name", "number", "document", "status", "published", "applications"), PROTOCOL_CASES)
def test_a_real_44_fz_protocol_updates_its_notice_with_its_applications_and_winner(
    name: str, number: str, document: str, status: str, published: dt.datetime, applications: list[tuple]
) -> None:
    tender = notice(number)
    report = import_procurement([PROTOCOLS / name])
    assert (report.problems, report.by_type[document]["updated"]) == ([], 1)
    tender.refresh_from_db()
    assert (tender.tender_status, tender.source_version_at) == (status, published)
    assert bids(tender, document) == applications
    assert tender.opportunity.status == ("closed" if status in {"finished", "failed"} else "published")


def test_a_corrected_ef3_protocol_replaces_the_first_one_and_keeps_one_winner() -> None:
    tender = notice("0873500000820003425")
    import_procurement([PROTOCOLS / "fcsProtocolEF3_0873500000820003425_30311379.xml"])
    report = import_procurement([PROTOCOLS / "fcsProtocolEF3_0873500000820003425_30317356.xml"])
    assert report.problems == []
    tender.refresh_from_db()
    assert tender.source_version_at == utc(2020, 10, 1, 9, 16, 7, 706000)  # 12:16:07.706 Moscow
    winners = TenderBid.objects.filter(tender=tender, is_winner=True)
    assert [(b.participant_inn, b.price, b.protocol_number) for b in winners] == [
        ("9703009483", Decimal("1840283.61"), "0873500000820003425-3-1")
    ]
    assert TenderBid.objects.filter(tender=tender).count() == 6


def test_a_protocol_before_its_notice_is_kept_named_and_applied_when_the_notice_arrives() -> None:
    report = import_procurement([PROTOCOLS / "fcsProtocolEOK3_0373200041520000828_30314517.xml"])
    assert (report.unknown_notices, report.by_type["epProtocolEOK3"]["waiting"]) == (1, 1)
    assert report.waiting_lines == [
        f"{PROTOCOLS / 'fcsProtocolEOK3_0373200041520000828_30314517.xml'}: epProtocolEOK3 к извещению "
        "0373200041520000828"
    ]
    assert PendingProcurementDocument.objects.get().purchase_number == "0373200041520000828"
    tender = notice("0373200041520000828")
    tender.refresh_from_db()
    assert tender.tender_status == "finished"
    assert bids(tender, "epProtocolEOK3")[0] == ("1", "7718195662", Decimal("7649776.38"), 1, True)
    assert not PendingProcurementDocument.objects.exists()


# (file, contract number, notice, customer INN, supplier INN, supplier, price, signed, execution, published UTC,
#  version)
CONTRACT_CASES = [
    (
        "contract_2366200608816001262_30400522.xml", "2366200608816001262", "0131200001016005027", "3662006088",
        "6829057730", 'ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "Р-ЛАБ"', Decimal("1207680.35"),
        dt.date(2016, 11, 21), (dt.date(2016, 11, 21), dt.date(2016, 12, 31)), utc(2016, 11, 21, 10, 44, 22, 541000),
        1,
    ),
    (
        "contract_2381103776916000030_27318511.xml", "2381103776916000030", "0134200000116000501", "3811037769",
        "3810026179", 'ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "РЕГИОНАЛЬНЫЙ ЦЕНТР ЗМЗ"', Decimal("1456000.00"),
        dt.date(2016, 4, 5), (dt.date(2016, 4, 5), dt.date(2016, 6, 30)), utc(2016, 4, 22, 4, 3, 5, 742000), 2,
    ),
    (
        "contract_2510205003117000004_31762298.xml", "2510205003117000004", "0149200002316005002", "5102050031",
        "", "", Decimal("214562.64"),  # <suppliers/> is empty in the published document
        dt.date(2017, 1, 9), (dt.date(2017, 1, 1), dt.date(2017, 7, 30)), utc(2017, 1, 16, 16, 12, 6, 771000), 1,
    ),
    (
        "contract_3312100001816000003_25649142.xml", "3312100001816000003", "0126300030515000080", "3121000018",
        "6901067107", 'Филиал ПАО "МРСК Центра" - "Белгородэнерго"', Decimal("6987268.99"),
        dt.date(2016, 1, 22), (dt.date(2016, 1, 22), dt.date(2016, 12, 31)), utc(2016, 1, 25, 12, 40, 59, 25000), 1,
    ),
    (
        "contract_3312601274715000015_25135446.xml", "3312601274715000015", "0126300015415000046", "3126012747",
        "3123050159", 'ООО " Газпром межрегионгаз Белгород"', Decimal("65000.00"),
        dt.date(2015, 12, 30), (dt.date(2015, 12, 30), dt.date(2016, 7, 31)), utc(2015, 12, 31, 9, 54, 30, 539000),
        1,
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "registry", "purchase", "customer_inn", "supplier_inn", "supplier", "price", "signed", "period",
     "published", "version"),
    CONTRACT_CASES,
)  # fmt: skip
def test_a_real_44_fz_contract_is_stored_as_awarded_and_linked_to_its_notice(
    name: str,
    registry: str,
    purchase: str,
    customer_inn: str,
    supplier_inn: str,
    supplier: str,
    price: Decimal,
    signed: dt.date,
    period: tuple[dt.date, dt.date],
    published: dt.datetime,
    version: int,
) -> None:
    report = import_procurement([CONTRACTS / name])
    assert (report.problems, report.by_type["contract"]["waiting"]) == ([], 1)  # its notice is not known yet
    contract = TenderContract.objects.get(registry_number=registry)
    assert (contract.purchase_number, contract.customer_inn, contract.supplier_inn, contract.supplier_name) == (
        purchase,
        customer_inn,
        supplier_inn,
        supplier,
    )
    assert (contract.price, contract.currency, contract.signed_on) == (price, "RUB", signed)
    assert (contract.starts_on, contract.ends_on, contract.published_at, contract.version_number) == (
        *period,
        published,
        version,
    )
    assert contract.tender is None
    tender = notice(purchase)
    contract.refresh_from_db()
    assert contract.tender == tender


def test_a_contract_of_a_known_notice_is_read_and_the_supplier_is_linked_to_the_registry() -> None:
    supplier = OrganisationFactory(inn="6829057730")
    tender = notice("0131200001016005027")
    report = import_procurement([CONTRACTS / "contract_2366200608816001262_30400522.xml"])
    assert report.by_type["contract"]["new"] == 1
    contract = TenderContract.objects.get()
    assert (contract.tender, contract.supplier) == (tender, supplier)
    assert import_procurement([CONTRACTS / "contract_2366200608816001262_30400522.xml"]).by_type["contract"] == {
        "new": 0,
        "updated": 0,
        "unchanged": 1,
        "waiting": 0,
        "refused": 0,
    }


def test_a_real_223_fz_protocol_of_a_single_supplier_purchase_names_its_supplier_the_winner() -> None:
    tender = notice("31704807799", law="223")
    report = import_procurement(
        [FZ223 / "purchaseProtocolPAEP_Tambovskaya_obl_20170217_000000_20170217_235959_daily_001.xml"]
    )
    assert (report.problems, report.by_type["purchaseProtocolPAEP"]["updated"]) == ([], 1)
    tender.refresh_from_db()
    assert (tender.tender_status, tender.source_version_at) == ("finished", utc(2017, 2, 17, 11, 34, 20))
    bid = TenderBid.objects.get(tender=tender)
    assert (bid.participant_name, bid.participant_inn, bid.price, bid.lot_number, bid.is_winner) == (
        'ООО "Тамбовские семена"',
        "6829105817",
        Decimal("362500"),
        1,
        True,
    )
    assert bid.protocol_number == "31704807799-01"


def test_a_real_223_fz_envelope_opening_protocol_records_the_application_and_keeps_the_purchase_open() -> None:
    tender = notice("31704712239", law="223")
    report = import_procurement(
        [FZ223 / "purchaseProtocol_Krasnodarskii_krai_20170221_000000_20170221_235959_daily_001.xml"]
    )
    assert report.problems == []
    tender.refresh_from_db()
    assert (tender.tender_status, tender.source_version_at) == ("evaluation", utc(2017, 2, 21, 5, 50, 40))
    bid = TenderBid.objects.get(tender=tender)
    assert (bid.participant_inn, bid.price, bid.admitted, bid.is_winner, bid.application) == (
        "7710713055",
        Decimal("1055628"),
        False,  # <accepted>N</accepted>
        False,
        "1",
    )


@pytest.mark.parametrize(
    ("name", "guid", "customer", "inn", "period", "published"),
    [
        (
            "0000000005_purchaseContractAccount_20170221_045247_004.xml",
            "2a700b52-0a7e-4433-8aad-fe336e44fce6",
            'КАЛИНИНГРАДСКИЙ ФИЛИАЛ ФЕДЕРАЛЬНОГО БЮДЖЕТНОГО УЧРЕЖДЕНИЯ "МОРСКАЯ СПАСАТЕЛЬНАЯ СЛУЖБА РОСМОРРЕЧФЛОТА"',
            "7707274249",
            dt.date(2017, 1, 1),
            utc(2017, 2, 20, 14, 30, 42),
        ),
        (
            "purchaseContractAccount_Habarovskii_krai_20170201_000000_20170228_235959_009.xml",
            "3dde2016-7f9a-492c-94b1-84cdb17ee06d",
            "МУНИЦИПАЛЬНОЕ АВТОНОМНОЕ ДОШКОЛЬНОЕ ОБРАЗОВАТЕЛЬНОЕ УЧРЕЖДЕНИЕ ДЕТСКИЙ САД  № 2",
            "2723042567",
            dt.date(2015, 4, 1),
            utc(2017, 2, 7, 12, 34, 23),
        ),
    ],
)
def test_a_real_223_fz_contract_account_is_stored_as_the_customers_report(
    name: str, guid: str, customer: str, inn: str, period: dt.date, published: dt.datetime
) -> None:
    report = import_procurement([FZ223 / name])
    assert (report.problems, report.by_type["purchaseContractAccount"]["new"]) == ([], 1)
    account = ContractReport.objects.get()
    assert (account.guid, account.customer_name, account.customer_inn, account.period) == (guid, customer, inn, period)
    assert (account.contracts_number, account.overall_cost, account.currency, account.published_at) == (
        0,
        Decimal("0"),
        "RUB",
        published,
    )
    assert account.kind.startswith("Договоры, заключенные заказчиком по результатам закупки у субъектов малого")
    assert import_procurement([FZ223 / name]).by_type["purchaseContractAccount"]["unchanged"] == 1


# (file, registry number, customer, status, price, currency, submission end UTC, items: (description start, code,
#  quantity))
OCDS_RECORDS = [
    (
        "moldova-ocds-ngfbwp-16949496.json", "16949496", "DETS  RÎŞCANI", "finished", None, "MDL",
        utc(2017, 1, 17, 10), [],
    ),
    (
        "moldova-ocds-ngfbwp-17614680.json", "17614680", "IMSP INSTITUTUL DE MEDICINĂ URGENTĂ", "finished", None,
        "MDL", utc(2017, 2, 21, 10), [],
    ),
    (
        "moldova-ocds-ngfbwp-19689876.json", "19689876", "Î.S. CENTRUL INFORMAŢIONAL AGRICOL", "open", None, "MDL",
        utc(2017, 7, 5, 10), [("Crotalii pentru animale", "03340000-6", Decimal("460000"))],
    ),
    (
        "ukraine-ocds-be6bcu-UA-2016-06-02-000468-c.json", "0000b29517f54e49828b1e8bf35d0667",
        'КЗО "Багатопрофільний навчально-реабілітаційний центр "Сузір\'я" ДОР"', "finished", Decimal("3000"),
        "UAH", utc(2016, 6, 9, 12), [("Стіл масажний", "39121200-8", Decimal("1"))],
    ),
    (
        "ukraine-ocds-be6bcu-UA-2016-06-07-000066-a.json", "00002ae3465a48a6a4e6deb82ca09294",
        'Комунальне некомерційне підприємство "Консультативно-діагностичний центр №2 Дарницького району м. Києва"',
        "failed", Decimal("3600"), "UAH", utc(2016, 6, 15, 7, 22), [("Згідно додатку", "44115000-9", Decimal("300"))],
    ),
    (
        "ukraine-ocds-be6bcu-UA-2016-06-08-000504-c.json", "0000058354d443a8a7b988198a1920c6",
        "Департамент муніципальної поліції Луцької міської ради", "finished", Decimal("7500"), "UAH",
        utc(2016, 6, 17, 14, 53), [("Чоловічий верхній головний убір", "18100000-0", Decimal("25"))],
    ),
]  # fmt: skip


@pytest.mark.parametrize(("name", "number", "customer", "status", "price", "currency", "ends", "items"), OCDS_RECORDS)
def test_a_real_ocds_record_of_another_country_keeps_its_country_currency_and_law(
    name: str,
    number: str,
    customer: str,
    status: str,
    price: Decimal | None,
    currency: str,
    ends: dt.datetime,
    items: list[tuple],
) -> None:
    report = import_procurement([OCDS / name])
    assert (report.problems, report.created) == ([], 1)
    tender = Tender.objects.select_related("opportunity").get()
    country = "MD" if name.startswith("moldova") else "UA"
    assert (tender.registry_number, tender.customer_name, tender.tender_status) == (number, customer, status)
    assert (tender.law, tender.country, tender.currency, tender.max_price) == ("other", country, currency, price)
    assert tender.submission_ends_at == ends
    assert [(i.name[: len(n)], i.code, i.code_scheme, i.okpd2_code, i.quantity) for i, n in
            zip(tender.items.all(), [n for n, _, _ in items], strict=False)] == [
        (n, code, "CPV", "", quantity) for n, code, quantity in items
    ]  # fmt: skip
    opportunity = tender.opportunity
    assert (opportunity.country, opportunity.is_federal, opportunity.region, opportunity.amount_max) == (
        country,
        False,
        None,
        None,  # an amount in lei or hryvnias is not a sum in roubles
    )


def test_a_moldovan_record_with_twenty_items_keeps_each_with_its_own_description() -> None:
    import_procurement([OCDS / "moldova-ocds-ngfbwp-19720585.json"])
    tender = Tender.objects.get(registry_number="19720585")
    items = list(tender.items.all())
    assert len(items) == 20
    assert (items[0].name[:16], items[0].code, items[0].quantity) == ("Atela pneumatica", "33140000-3", Decimal("250"))
    assert (items[1].name[:15], items[1].quantity) == ("Masca de Oxigen", Decimal("2500"))
    assert (tender.country, tender.currency, tender.tender_status) == ("MD", "MDL", "open")
    assert tender.submission_ends_at == utc(2017, 6, 30, 10)


def test_the_armenian_release_package_gives_planned_items_not_open_tenders() -> None:
    report = import_procurement([OCDS / "armenia-6.json"])
    # 100 releases: 27 tenders and 73 planning-only ones, 4 of which are budget cuts (negative amounts)
    assert (report.by_type["OCDS"]["new"], report.by_type["OCDS (план)"]["new"]) == (27, 69)
    assert report.by_type["OCDS (план)"]["refused"] == 4
    assert [p.position for p in report.problems] == ["releases[4]", "releases[45]", "releases[56]", "releases[87]"]
    planned = Tender.objects.filter(tender_status="planned")
    assert planned.count() == 69
    assert not planned.filter(registry_number__startswith="ocds").exists()
    water = Tender.objects.select_related("opportunity").get(registry_number="AM-PPS-7dbf4fa867c8925ba60bb408e1a3fd3e")
    assert (water.opportunity.title, water.max_price, water.currency) == (
        "Drinking-water distribution",
        Decimal("18900.0"),
        "AMD",
    )
    assert (water.customer_name, water.country, water.law) == ("Republic of Armenia Ministry of health", "AM", "other")
    assert water.published_at == utc(2018, 1, 11, 13, 29, 9)
    statuses = Tender.objects.exclude(tender_status="planned").values_list("tender_status", flat=True)
    assert sorted(statuses) == ["cancelled"] * 4 + ["failed"] * 4 + ["finished"] * 19
    court = Tender.objects.get(registry_number="123d83fa-c342-4d30-9fd2-53904d524774")
    assert (court.customer_name, court.max_price, court.currency, court.tender_status) == (
        "Constitutional Court RA",
        Decimal("16000.0"),
        "AMD",
        "cancelled",
    )
    assert (court.published_at, court.submission_ends_at) == (utc(2016, 6, 19, 20), utc(2016, 6, 23, 7))


def test_other_countries_tenders_are_not_offered_in_the_home_region_unless_asked() -> None:
    import_procurement([OCDS / "moldova-ocds-ngfbwp-19689876.json"])  # still «Primirea ofertelor»: open
    home = TenderFactory(registry_number="0342000000000777777")
    user = UserFactory()
    assert list(opportunity_list(user=user, filters={"region": "home", "status": ""})) == [home.opportunity]
    everything = opportunity_list(user=user, filters={"region": "all", "status": ""})
    assert {o.country for o in everything} == {"RU", "MD"}
    assert list(offered_opportunities()) == [home.opportunity]


def test_every_real_file_is_read_and_none_is_refused_as_unknown() -> None:
    files = sorted(p for p in REAL.rglob("*") if p.suffix in {".xml", ".json"})
    assert len(files) == 34
    report = import_procurement(files)
    assert report.outcomes("refused") == []
    assert not any("неизвестный тип" in problem.reason for problem in report.problems)
    assert sum(row["refused"] for row in report.by_type.values()) == 4  # the Armenian budget cuts only


@pytest.mark.parametrize(
    ("name", "registry", "supplier", "price", "currency", "signed", "period"),
    [
        (
            "moldova-ocds-ngfbwp-16949496.json",
            "ocds-ngfbwp-16949496/17956599",
            "S.C. ELINATCONS S.R.L.",  # named by the award the contract refers to
            Decimal("203179.71"),
            "MDL",
            dt.date(2017, 2, 14),
            (dt.date(2017, 2, 14), dt.date(2017, 12, 31)),
        ),
        (
            "ukraine-ocds-be6bcu-UA-2016-06-02-000468-c.json",
            "ocds-be6bcu-UA-2016-06-02-000468-c/c0500e8a1349409c8d2e8b5f786dc22d",
            'ЧП "ОКСИМЕД"',
            Decimal("2910.0"),
            "UAH",
            dt.date(2016, 6, 15),
            (dt.date(2016, 6, 15), dt.date(2016, 12, 31)),
        ),
        (
            "ukraine-ocds-be6bcu-UA-2016-06-08-000504-c.json",
            "ocds-be6bcu-UA-2016-06-08-000504-c/6ce50bc9eed44b8e9b4f9803bed8c1a8",
            "Туристично-комерційне товариство з обмеженою відповідальністю  “СХІД”",
            Decimal("2875.0"),
            "UAH",
            dt.date(2016, 7, 18),
            (dt.date(2016, 7, 18), dt.date(2016, 12, 31)),
        ),
    ],
)
def test_a_real_ocds_contract_is_stored_with_its_supplier_and_linked_to_its_tender(
    name: str,
    registry: str,
    supplier: str,
    price: Decimal,
    currency: str,
    signed: dt.date,
    period: tuple[dt.date, dt.date],
) -> None:
    report = import_procurement([OCDS / name])
    assert (report.problems, report.by_type["OCDS (контракт)"]["new"]) == ([], 1)
    contract = TenderContract.objects.select_related("tender").get()
    assert (contract.registry_number, contract.supplier_name, contract.supplier_inn) == (registry, supplier, "")
    assert (contract.price, contract.currency, contract.signed_on, (contract.starts_on, contract.ends_on)) == (
        price,
        currency,
        signed,
        period,
    )
    assert (contract.tender.registry_number, contract.law) == (contract.purchase_number, "other")


def test_the_armenian_package_keeps_the_contracts_of_its_tenders() -> None:
    import_procurement([OCDS / "armenia-6.json"])
    assert TenderContract.objects.filter(tender__isnull=False).count() == 21
    contract = TenderContract.objects.get(purchase_number="a3a71153-8d19-464c-824b-ef97651a14ee")
    assert (contract.supplier_name, contract.price, contract.currency, contract.signed_on) == (
        "PI-SI ELEKTRVoNIKS SPY",
        Decimal("6989880.0"),
        "AMD",
        dt.date(2016, 7, 28),
    )


def test_a_protocol_read_before_its_notice_in_the_same_run_counts_once_as_updated(tmp_path: Path) -> None:
    shipped = Path(__file__).parent / "fixtures" / "fcsNotificationEF_0111100000217000017_1.xml"
    notice_file = tmp_path / "fcsNotificationEF_0373200041520000828_1.xml"
    notice_file.write_text(
        shipped.read_text(encoding="utf-8").replace("0111100000217000017", "0373200041520000828"), encoding="utf-8"
    )
    report = import_procurement([PROTOCOLS / "fcsProtocolEOK3_0373200041520000828_30314517.xml", notice_file])
    assert report.by_type["epProtocolEOK3"] == {"new": 0, "updated": 1, "unchanged": 0, "waiting": 0, "refused": 0}
    assert (report.waiting_lines, report.unknown_notices, report.linked) == ([], 0, 1)
    assert Tender.objects.get(registry_number="0373200041520000828").tender_status == "finished"
