"""Notices read right: Moscow time of its year, publication and version from the document's own fields, the
buyer's item names, codes in their own classifier, every lot and item of a 223-FZ notice, joint purchases."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from projectoffice.opportunities.models import Tender
from projectoffice.opportunities.procurement import parse_date, parse_datetime
from projectoffice.opportunities.procurement_import import import_procurement
from projectoffice.opportunities.selectors import won_tender_counts, won_tenders
from tests.factories import OkpdFactory, OrganisationFactory, TenderFactory

FIXTURES = Path(__file__).parent / "fixtures"


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("written", "moment"),
    [
        ("2011-03-26T12:00:00", utc(2011, 3, 26, 9)),  # UTC+3 until the clocks moved on 27.03.2011
        ("2011-03-28T12:00:00", utc(2011, 3, 28, 8)),  # UTC+4 from then
        ("2014-05-20T12:13:00", utc(2014, 5, 20, 8, 13)),
        ("2014-10-27T12:13:00", utc(2014, 10, 27, 9, 13)),  # UTC+3 again since 26.10.2014
        ("2020-10-01T11:50:51.695+03:00", utc(2020, 10, 1, 8, 50, 51, 695000)),
        ("2020-10-01+03:00", utc(2020, 9, 30, 21)),
        ("2017-01-03T00:00:00.000Z", utc(2017, 1, 3)),
        ("05.05.2014", utc(2014, 5, 4, 20)),
    ],
)
def test_naive_portal_times_are_moscow_time_of_their_year(written: str, moment: dt.datetime) -> None:
    assert parse_datetime(written) == moment


def test_a_document_date_is_read_as_written() -> None:
    assert (parse_date("2020-10-01+03:00"), parse_date("2016-11-21"), parse_date("")) == (
        dt.date(2020, 10, 1),
        dt.date(2016, 11, 21),
        None,
    )


@pytest.mark.django_db
def test_a_joint_purchase_keeps_each_customer_the_placer_apart_and_the_buyers_item_names() -> None:
    OkpdFactory(code="45.11.11.000", name="Услуги по оптовой торговле легковыми автомобилями")
    laptops = OkpdFactory(code="26.20.11.110", name="Компьютеры портативные")
    report = import_procurement([FIXTURES / "fcsNotificationEF_0142200001314000056_joint.xml"])
    assert (report.created, report.problems) == (1, [])
    tender = Tender.objects.get(registry_number="0142200001314000056")
    assert (tender.customer_name, tender.customer_inn) == ("ГБОУ СОШ № 1 ДЕМО", "")  # never the placer's INN
    assert (tender.placer_name, tender.placer_inn) == ("ДЕПАРТАМЕНТ ПО ЗАКУПКАМ ДЕМО-ОБЛАСТИ", "6315800001")
    assert [(c.name, c.inn, c.max_price) for c in tender.customers.all()] == [
        ("ГБОУ СОШ № 1 ДЕМО", "", Decimal("2000000.00")),
        ("ГБОУ СОШ № 2 ДЕМО", "", Decimal("1500000.00")),
    ]
    assert tender.opportunity.region is None  # the placer's region is not the customers' evidence
    # 2014: Moscow was UTC+4, the deadline of 12:13 is 08:13 UTC
    assert (tender.published_at, tender.submission_ends_at) == (utc(2014, 5, 5, 5, 30), utc(2014, 5, 20, 8, 13))
    items = [(i.name, i.code, i.code_scheme, i.okpd2_code, i.okpd2, i.quantity) for i in tender.items.all()]
    assert items == [
        ("Снос здания бывшей котельной по ул. Демо, 5", "45.11.11.000", "OKPD", "", None, Decimal("1")),
        ("Ноутбук для кабинета информатики", "26.20.11.110", "OKPD2", "26.20.11.110", laptops, Decimal("50")),
    ]
    assert tender.max_price == Decimal("3500000.00")


@pytest.mark.django_db
def test_a_223_fz_notice_keeps_every_lot_and_item_and_its_price_is_the_sum_of_its_lots() -> None:
    report = import_procurement([FIXTURES / "purchaseNotice_31300000777_lots.xml"])
    assert (report.created, report.problems) == (1, [])
    tender = Tender.objects.get(registry_number="31300000777")
    assert tender.max_price == Decimal("1500000.50")
    assert [(lot.number, lot.subject, lot.max_price) for lot in tender.lots.all()] == [
        (1, "Компьютерная техника", Decimal("1200000.00")),
        (2, "Лицензии на офисное программное обеспечение", Decimal("300000.50")),
    ]
    assert [(i.lot_number, i.name, i.code, i.code_scheme, i.okpd2_code, i.quantity) for i in tender.items.all()] == [
        (1, "Системный блок офисный", "3020000", "OKDP", "", Decimal("10")),
        (1, "Монитор 24 дюйма", "3020311", "OKDP", "", Decimal("10")),
        (2, "Лицензии на офисное программное обеспечение", "7220000", "OKDP", "", Decimal("10")),
    ]
    assert (tender.customer_name, tender.customer_inn) == ("ОАО «ДЕМО-ЭНЕРГО»", "6311000027")
    assert (tender.placer_name, tender.placer_inn) == ("ООО «ДЕМО-ОРГАНИЗАТОР ТОРГОВ»", "7700000111")
    # 2013: UTC+4
    assert (tender.published_at, tender.submission_ends_at) == (utc(2013, 7, 1, 7), utc(2013, 7, 15, 6))


@pytest.mark.django_db
def test_a_second_version_that_keeps_the_first_attachment_updates_the_notice() -> None:
    import_procurement([FIXTURES / "epNotificationEF2020_0342300000124000011_v1.xml"])
    tender = Tender.objects.get(registry_number="0342300000124000011")
    assert (tender.published_at, tender.version_number) == (
        utc(2024, 5, 20, 6),
        1,
    )  # publishDTInEIS (+04:00), not docDate
    report = import_procurement([FIXTURES / "epNotificationEF2020_0342300000124000011_v2.xml"])
    assert report.updated == 1
    tender.refresh_from_db()
    assert (tender.max_price, tender.version_number, tender.published_at) == (
        Decimal("7500000.00"),
        2,
        utc(2024, 5, 22, 12, 3),
    )
    assert import_procurement([FIXTURES / "epNotificationEF2020_0342300000124000011_v1.xml"]).unchanged == 1
    tender.refresh_from_db()
    assert tender.max_price == Decimal("7500000.00")


@pytest.mark.django_db
def test_won_tenders_come_from_winning_protocols_and_contracts_by_inn() -> None:
    winner = OrganisationFactory(inn="9703009483")
    tender = TenderFactory(
        registry_number="0873500000820003425",
        published_at=utc(2020, 9, 1),
        version_at=utc(2020, 9, 1),
    )
    real = Path(__file__).resolve().parents[3] / "shared" / "data" / "procurement-real" / "Sterks-rXML"
    if not real.is_dir():
        pytest.skip("нет папки procurement-real")
    import_procurement([real / "fcsProtocolEF3_0873500000820003425_30311379.xml"])
    won = won_tenders(winner.inn)
    assert [(w.purchase_number, w.price, w.evidence, w.opportunity_id) for w in won] == [
        ("0873500000820003425", Decimal("1840283.61"), "протокол 0873500000820003425-3", tender.opportunity_id)
    ]
    assert won_tender_counts([winner.inn, "7727440800"]) == {winner.inn: 1, "7727440800": 0}
