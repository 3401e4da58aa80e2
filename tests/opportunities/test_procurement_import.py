import random
import re
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from projectoffice.classifiers.loaders import load_regions
from projectoffice.opportunities import procurement_import
from projectoffice.opportunities.models import Opportunity, Tender
from projectoffice.opportunities.procurement import ItemRecord, TenderRecord
from projectoffice.opportunities.procurement_import import import_procurement, import_records
from tests import samples

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
REAL = Path(__file__).resolve().parents[2] / "projectoffice" / "opportunities" / "data" / "zakupki"
REAL_PROTOCOL = REAL / "xml_examples" / "fcsProtocolEF3_0111100000217000017_15585361.xml"


@pytest.fixture(autouse=True)
def _regions() -> None:
    load_regions()


def test_a_44_fz_notice_is_imported_with_customer_items_price_and_dates() -> None:
    report = import_procurement([FIXTURES / "fcsNotificationEF_0111100000217000017_1.xml"])
    assert (report.created, report.problems) == (1, [])
    tender = Tender.objects.get(registry_number="0111100000217000017")
    assert tender.law == "44"
    assert tender.customer_inn == "1655065008"
    assert tender.max_price == Decimal("2450000.00")
    assert tender.opportunity.region.iso_code == "RU-TA"
    assert tender.submission_ends_at.isoformat() == "2017-10-09T06:00:00+00:00"
    assert [(i.okpd2_code, i.quantity) for i in tender.items.all()] == [("58.29.29.000", 120), ("62.01.29.000", 1)]
    assert tender.opportunity.kind == "tender"


def test_importing_the_same_data_twice_changes_nothing() -> None:
    path = FIXTURES / "fcsNotificationEF_0111100000217000017_1.xml"
    import_procurement([path])
    before = list(Tender.objects.values()), list(Opportunity.objects.values())
    report = import_procurement([path])
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
    assert (list(Tender.objects.values()), list(Opportunity.objects.values())) == before


def test_a_notice_without_a_version_date_is_compared_by_what_it_says() -> None:
    def notice(price: str) -> TenderRecord:
        return TenderRecord(
            "0342000000000000077",
            "44",
            "Поставка ноутбуков",
            "ГБУ «ДЕМО»",
            max_price=Decimal(price),
            items=[ItemRecord("26.20.11.110", "Ноутбук")],
        )

    assert import_records(iter([notice("100")]), "first.csv").created == 1
    again = import_records(iter([notice("100")]), "second.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert Tender.objects.get().source_file == "first.csv"
    changed = import_records(iter([notice("90")]), "third.csv")
    assert (changed.updated, changed.unchanged) == (1, 0)
    assert (Tender.objects.get().max_price, Tender.objects.get().source_file) == (Decimal("90"), "third.csv")


def test_a_newer_version_updates_and_an_older_one_does_not() -> None:
    first, second = (FIXTURES / f"fcsNotificationEF_0111100000217000017_{n}.xml" for n in (1, 2))
    import_procurement([first])
    assert import_procurement([second]).updated == 1
    assert Tender.objects.get().max_price == Decimal("2300000.00")
    assert import_procurement([first]).unchanged == 1
    assert Tender.objects.get().max_price == Decimal("2300000.00")


def test_a_real_protocol_finishes_the_notice_and_closes_the_opportunity() -> None:
    import_procurement([FIXTURES / "fcsNotificationEF_0111100000217000017_1.xml"])
    report = import_procurement([REAL_PROTOCOL])
    assert report.status_updates == 1
    tender = Tender.objects.get()
    assert tender.tender_status == "finished"
    assert tender.opportunity.status == "closed"


def test_every_real_xml_example_is_read_without_errors() -> None:
    report = import_procurement([REAL / "xml_examples"])
    assert report.files == 21
    assert report.problems == []
    assert report.unknown_notices == 21  # protocols of notices we do not hold are counted, not errors


def test_the_real_portal_csv_export_is_imported() -> None:
    report = import_procurement([REAL / "notices44_okpd2-26_2019_multiregion.csv"])
    assert report.problems == []
    assert report.created + report.unchanged == 159
    tender = Tender.objects.get(registry_number="0124200000619003171")
    assert tender.max_price == Decimal("3021953.42")
    assert tender.items.filter(okpd2_code__startswith="26.20").exists()


def test_223_fz_notice_and_ocds_packages_are_imported() -> None:
    report = import_procurement(
        [FIXTURES / "purchaseNotice_31806423111.xml", FIXTURES / "ocds_release_package.json",
         FIXTURES / "ocds_record_package.json"]
    )  # fmt: skip
    assert report.problems == []
    assert report.created == 4
    notice = Tender.objects.get(registry_number="31806423111")
    assert (notice.law, notice.max_price, notice.customer_inn) == ("223", Decimal("5400000.00"), "6311000019")
    assert notice.opportunity.region.iso_code == "RU-SAM"
    active = Tender.objects.get(registry_number="0373200000124000001")
    assert active.max_price == Decimal("1250000.50")
    assert active.opportunity.status == "published"
    assert Tender.objects.get(registry_number="0373200000124000002").opportunity.status == "closed"
    assert Tender.objects.get(registry_number="0373200000124000003").items.get().okpd2_code == "62.01.11.000"


def test_cp1251_files_with_right_or_wrong_declarations_are_read() -> None:
    report = import_procurement(
        [FIXTURES / "fcsNotificationEF_0111100000217000099_cp1251.xml",
         FIXTURES / "fcsNotificationEF_0111100000217000098_mislabelled.xml"]
    )  # fmt: skip
    assert report.problems == []
    titles = set(Opportunity.objects.values_list("title", flat=True))
    assert titles == {"Поставка программного обеспечения и лицензий для автоматизированных рабочих мест"}
    assert Tender.objects.count() == 2


def test_hostile_and_broken_files_are_reported_and_the_rest_goes_on(tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    for name in ("billion_laughs.xml", "broken.xml", "fcsNotificationEF_0111100000217000017_1.xml"):
        shutil.copy(FIXTURES / name, folder / name)
    (folder / "notes.txt").write_text("not procurement")
    (folder / "bad.json").write_text('{"releases": [{"tender": {"id": "1", "title": "x"}}, {"oops"')
    report = import_procurement([folder])
    problems = {Path(p.file).name: p for p in report.problems}
    assert "запрещённая конструкция XML" in problems["billion_laughs.xml"].reason
    assert problems["broken.xml"].position.startswith("строка")
    assert "неизвестный формат" in problems["notes.txt"].reason
    assert "JSON" in problems["bad.json"].reason
    assert Tender.objects.filter(registry_number="0111100000217000017").exists()
    assert not Tender.objects.filter(registry_number="1").exists()  # nothing half-way from the broken package


def test_zip_archives_are_read_and_a_truncated_one_is_reported(tmp_path: Path) -> None:
    archive = tmp_path / "notices.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.write(FIXTURES / "fcsNotificationEF_0111100000217000017_1.xml", "fcsNotificationEF_1.xml")
        out.write(FIXTURES / "ocds_release_package.json", "ocds.json")
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(archive.read_bytes()[:-200])
    report = import_procurement([archive, truncated])
    assert report.created == 3
    assert [Path(p.file).name for p in report.problems] == ["truncated.zip"]
    assert "повреждён" in report.problems[0].reason


def test_unknown_okpd2_codes_are_kept_as_text_without_a_link() -> None:
    import_procurement([FIXTURES / "fcsNotificationEF_0111100000217000017_1.xml"])
    item = Tender.objects.get().items.first()
    assert item.okpd2 is None  # the classifier is not loaded in this test
    assert item.okpd2_code == "58.29.29.000"


def test_the_command_prints_a_summary_and_the_problems_and_fails_when_a_file_was_refused(capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="Не прочитано файлов: 1"):
        call_command(
            "import_procurement", str(FIXTURES / "purchaseNotice_31806423111.xml"), str(FIXTURES / "broken.xml")
        )
    captured = capsys.readouterr()
    assert "закупок новых 1" in captured.out
    assert "broken.xml: не прочитан" in captured.err


def test_the_2020_ep_notice_schema_is_read() -> None:
    report = import_procurement([FIXTURES / "epNotificationEF2020_0342300000124000010.xml"])
    assert report.problems == []
    tender = Tender.objects.get(registry_number="0342300000124000010")
    assert (tender.max_price, tender.customer_inn) == (Decimal("7800000.00"), "6315000010")
    assert tender.opportunity.region.iso_code == "RU-SAM"
    assert tender.items.get().okpd2_code == "62.01.11.000"
    assert tender.submission_ends_at.date().isoformat() == "2024-05-31"
    assert tender.opportunity.title.startswith("Оказание услуг по развитию регионального портала")


def test_a_223_fz_purchase_plan_gives_one_planned_tender_per_position() -> None:
    report = import_procurement([FIXTURES / "purchasePlan_2190000012.xml"])
    assert (report.created, report.problems) == (2, [])
    first = Tender.objects.get(registry_number="2190000012-1")
    assert (first.tender_status, first.law, first.max_price) == ("planned", "223", Decimal("12000000"))
    assert first.opportunity.title == "Внедрение системы предиктивной аналитики оборудования"


# --- every file gets a verdict; the batch goes on ---------------------------------------------------------------

PORTAL_HEADER = "ContractID;Type;Status;Law;StartPrice;NameCustomer;PostedDate;UpdatedDate;ObjectName"


def _portal_row(number: int, padding: int = 0) -> str:
    row = (
        f"0342100000124{number:06d};Электронный аукцион;Подача заявок;44-ФЗ;{100000 + number},00;"
        f"ГКУ «Заказчик {number}»;01.02.2024;02.02.2024;62.01.11.000: Разработка ПО"
    )
    return row + (";" + "П" * padding if padding else "")


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_a_random_binary_csv_is_refused_with_its_reason_and_the_batch_goes_on(tmp_path: Path) -> None:
    (tmp_path / "random.csv").write_bytes(random.Random(9).randbytes(8192))  # NUL bytes among them
    (tmp_path / "undecodable.csv").write_bytes(bytes(range(1, 256)) * 8)  # 0x98: neither UTF-8 nor cp1251
    (tmp_path / "good.csv").write_text(PORTAL_HEADER + "\n" + _portal_row(1) + "\n", encoding="utf-8")
    report = import_procurement([tmp_path])
    verdicts = {Path(v.file).name: v for v in report.verdicts}
    assert verdicts["random.csv"].outcome == "refused" and "двоичные данные" in verdicts["random.csv"].note
    assert verdicts["undecodable.csv"].outcome == "refused"
    assert "ни как UTF-8, ни как Windows-1251" in verdicts["undecodable.csv"].note
    assert (verdicts["good.csv"].outcome, verdicts["good.csv"].note) == ("read", "записей: 1")
    assert Tender.objects.filter(registry_number="0342100000124000001").exists()


def test_a_csv_with_a_field_over_the_csv_limit_is_refused_at_its_row(tmp_path: Path) -> None:
    data = "\n".join([PORTAL_HEADER, _portal_row(1), _portal_row(2, padding=200_000), _portal_row(3)]) + "\n"
    archive = _zip(tmp_path / "export.zip", {"export.csv": data.encode()})
    report = import_procurement([archive])
    (verdict,) = report.verdicts
    assert verdict.outcome == "refused"
    assert "поле длиннее допустимых 131\u00a0072\u00a0символов" in verdict.note and "(строка 3)" in verdict.note
    assert "до ошибки импортировано записей: 1" in verdict.note


def test_a_zip_holding_a_1_gb_csv_of_one_endless_row_is_refused_without_reading_it_whole(tmp_path: Path) -> None:
    bomb = samples.deflate_bomb_zip(
        {}, "huge.csv", (PORTAL_HEADER + "\n0342100000124000001;").encode(), b"A" * 4096, b"\n", 1024**3
    )
    (tmp_path / "huge.zip").write_bytes(bomb)
    (tmp_path / "good.csv").write_text(PORTAL_HEADER + "\n" + _portal_row(1) + "\n", encoding="utf-8")
    report = import_procurement([tmp_path])
    verdicts = {Path(v.file).name.split("!")[-1]: v for v in report.verdicts}
    assert verdicts["huge.csv"].outcome == "refused"
    assert "строка длиннее 50 МБ" in verdicts["huge.csv"].note
    assert verdicts["good.csv"].outcome == "read"


def test_a_csv_in_a_zip_over_50_mb_is_cut_at_a_row_with_a_warning_that_says_what_was_cut(tmp_path: Path) -> None:
    rows = [_portal_row(number, padding=120_000) for number in range(1, 251)]  # about 60 MB
    data = (PORTAL_HEADER + ";Padding\n" + "\n".join(rows) + "\n").encode()
    assert len(data) > 50 * 1024 * 1024
    archive = _zip(tmp_path / "export.zip", {"export.csv": data})
    report = import_procurement([archive])
    (verdict,) = report.verdicts
    assert verdict.outcome == "cut"
    assert "больше допустимых 50 МБ" in verdict.note and "остальное не прочитано" in verdict.note
    read_rows = int(re.search(r"импортированы строки 2–(\d+)", verdict.note).group(1)) - 1
    assert 150 < read_rows < 250
    assert f"записей: {read_rows}" in verdict.note
    assert Tender.objects.count() == read_rows


def test_the_command_reports_every_verdict_and_exits_non_zero_when_a_file_was_refused(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "random.csv").write_bytes(random.Random(9).randbytes(4096))
    (tmp_path / "good.csv").write_text(PORTAL_HEADER + "\n" + _portal_row(1) + "\n", encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("import_procurement", str(tmp_path), verbosity=2)
    assert refused.value.returncode == 1  # what manage.py exits with
    captured = capsys.readouterr()
    assert "random.csv: не прочитан — в файле двоичные данные" in captured.err
    assert "good.csv: прочитан — записей: 1" in captured.out
    assert "Файлов: 2 (прочитано 1, прочитано не целиком 0, не прочитано 1)" in captured.out


def test_a_cut_is_printed_but_does_not_fail_the_command(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(procurement_import, "MAX_FILE_BYTES", 4096)
    rows = [_portal_row(number) for number in range(1, 101)]
    (tmp_path / "export.csv").write_text(PORTAL_HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    call_command("import_procurement", str(tmp_path))
    captured = capsys.readouterr()
    assert "export.csv: прочитан не весь — файл 19 КБ больше допустимых 4 КБ: импортированы строки 2–20" in captured.err
    assert "прочитано не целиком 1" in captured.out
