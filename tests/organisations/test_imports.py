import csv
import io
import re
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from projectoffice.organisations.exports import export_csv, export_xlsx
from projectoffice.organisations.imports import ImportFileError, import_organisations
from projectoffice.organisations.models import Organisation
from tests import samples
from tests.conftest import client_for
from tests.factories import OkvedFactory, OrganisationFactory, RegionFactory, member_of, valid_inn

pytestmark = pytest.mark.django_db

HEADER = ["ИНН", "ОГРН", "Полное наименование", "Тип", "Регион", "Основной ОКВЭД2", "Технологии"]


def _csv(rows: list[list[str]], delimiter: str = ";", encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows([HEADER, *rows])
    return buffer.getvalue().encode(encoding)


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _reference() -> None:
    RegionFactory()
    OkvedFactory()


GOOD = [valid_inn(1), "", "ООО «Первая»", "ИТ-компания", "RU-SAM", "62.01", "Python, ГИС"]
GOOD_2 = [valid_inn(2), "", "ООО «Вторая»", "it_company", "Самарская обл", "62.01", ""]


def test_good_rows_are_saved_and_bad_rows_reported_with_row_and_reason() -> None:
    bad_inn = [
        valid_inn(3)[:-1] + "0" if valid_inn(3)[-1] != "0" else valid_inn(3)[:-1] + "1",
        "",
        "Плохой ИНН",
        "it_company",
        "RU-SAM",
        "",
        "",
    ]
    bad_okved = [valid_inn(4), "", "Плохой ОКВЭД", "it_company", "RU-SAM", "99.99", ""]
    bad_kind = [valid_inn(5), "", "Плохой тип", "кооператив", "RU-SAM", "", ""]
    data = _csv([GOOD, bad_inn, GOOD_2, bad_okved, bad_kind])
    report = import_organisations(actor=None, upload=io.BytesIO(data), filename="orgs.csv")
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    assert [(e.row, e.message.split(":")[0]) for e in report.errors] == [(3, "ИНН"), (5, "Основной ОКВЭД2"), (6, "Тип")]
    assert "контрольная сумма" in report.errors[0].message
    assert set(Organisation.objects.values_list("name", flat=True)) == {"ООО «Первая»", "ООО «Вторая»"}
    first = Organisation.objects.get(name="ООО «Первая»")
    assert sorted(t.name for t in first.technologies.all()) == ["Python", "ГИС"]


def test_importing_the_same_file_again_changes_nothing() -> None:
    data = _csv([GOOD, GOOD_2])
    import_organisations(actor=None, upload=io.BytesIO(data), filename="orgs.csv")
    before = list(Organisation.objects.order_by("pk").values())
    report = import_organisations(actor=None, upload=io.BytesIO(data), filename="orgs.csv")
    assert (report.created, report.updated, report.unchanged, report.errors) == (0, 0, 2, [])
    assert list(Organisation.objects.order_by("pk").values()) == before


def test_a_changed_row_updates_the_organisation_matched_by_inn() -> None:
    import_organisations(actor=None, upload=io.BytesIO(_csv([GOOD])), filename="orgs.csv")
    changed = [*GOOD[:2], "ООО «Первая» (новое имя)", *GOOD[3:]]
    report = import_organisations(actor=None, upload=io.BytesIO(_csv([changed])), filename="orgs.csv")
    assert report.updated == 1
    assert Organisation.objects.get().name == "ООО «Первая» (новое имя)"


def test_a_repeated_inn_within_one_file_is_reported() -> None:
    report = import_organisations(actor=None, upload=io.BytesIO(_csv([GOOD, GOOD])), filename="orgs.csv")
    assert report.created == 1
    assert report.errors[0].row == 3
    assert "уже встречался в строке 2" in report.errors[0].message


def test_windows_1251_csv_with_commas_is_read() -> None:
    report = import_organisations(actor=None, upload=io.BytesIO(_csv([GOOD], ",", "cp1251")), filename="orgs.csv")
    assert report.created == 1
    assert Organisation.objects.get().name == "ООО «Первая»"


def test_xlsx_is_imported() -> None:
    report = import_organisations(actor=None, upload=io.BytesIO(_xlsx([GOOD, GOOD_2])), filename="orgs.xlsx")
    assert report.created == 2


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"PK\x03\x04 broken zip", "orgs.xlsx", "не является корректной книгой XLSX"),
        (b"", "orgs.csv", "Файл пуст"),
        ("Название;Адрес\nА;Б\n".encode(), "orgs.csv", "нет обязательных столбцов"),
        (b"\x00\x01\x02\x03" * 10, "orgs.csv", "двоичные данные"),
        (b"a;b", "orgs.txt", "только файлы .csv и .xlsx"),
    ],
)
def test_a_broken_file_is_refused_whole_and_nothing_is_written(content: bytes, filename: str, message: str) -> None:
    with pytest.raises(ImportFileError, match=message):
        import_organisations(actor=None, upload=io.BytesIO(content), filename=filename)
    assert not Organisation.objects.exists()


def test_import_page_shows_the_report(staff_client: Client) -> None:
    upload = SimpleUploadedFile("orgs.csv", _csv([GOOD, [*GOOD_2[:5], "00.00", ""]]), content_type="text/csv")
    body = staff_client.post(reverse("organisations:import"), {"file": upload}).content.decode()
    assert "import-report" in body
    assert "Основной ОКВЭД2: Код «00.00» не найден в классификаторе ОКВЭД2." in body
    assert Organisation.objects.count() == 1


def test_oversized_upload_is_refused_with_a_clear_message(staff_client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.UPLOAD_MAX_BYTES = 1000
    upload = SimpleUploadedFile("orgs.csv", _csv([GOOD] * 50), content_type="text/csv")
    body = staff_client.post(reverse("organisations:import"), {"file": upload}).content.decode()
    assert "Файл больше допустимых" in body
    assert not Organisation.objects.exists()


def test_members_cannot_import_or_export(db) -> None:  # type: ignore[no-untyped-def]
    client = client_for(member_of(OrganisationFactory()))
    upload = SimpleUploadedFile("orgs.csv", _csv([GOOD]), content_type="text/csv")
    assert client.post(reverse("organisations:import"), {"file": upload}).status_code == 403
    assert client.get(reverse("organisations:export", args=["csv"])).status_code == 403
    assert Organisation.objects.count() == 1


def test_export_neutralises_spreadsheet_formulas() -> None:
    OrganisationFactory(name='=HYPERLINK("http://evil")', phone="+7 846 000-00-00", address="@SUM(A1)")
    rows = list(csv.reader(io.StringIO(export_csv(Organisation.objects.all()).decode("utf-8-sig")), delimiter=";"))
    header, row = rows[0], rows[1]
    assert row[header.index("Полное наименование")] == '\'=HYPERLINK("http://evil")'
    assert row[header.index("Телефон")] == "\u2060+7 846 000-00-00"  # an identifier: marked as text, not a formula
    assert row[header.index("Адрес")] == "'@SUM(A1)"
    sheet = load_workbook(io.BytesIO(export_xlsx(Organisation.objects.all()))).active
    cells = [cell for cell in sheet[2]]
    assert all(cell.data_type != "f" for cell in cells)
    assert (cells[2].value, cells[2].data_type, cells[2].quotePrefix) == ('=HYPERLINK("http://evil")', "s", True)
    assert (cells[14].value, cells[14].number_format) == ("+7 846 000-00-00", "@")  # typed text, no apostrophe


def test_export_then_import_round_trips_without_changes(staff_client: Client) -> None:
    OrganisationFactory(phone="+7 846 111-11-11", description="-минус в начале")
    before = list(Organisation.objects.values())
    content = staff_client.get(reverse("organisations:export", args=["xlsx"])).content
    report = import_organisations(actor=None, upload=io.BytesIO(content), filename="export.xlsx")
    assert (report.unchanged, report.errors) == (1, [])
    assert list(Organisation.objects.values()) == before


def test_an_xlsx_bomb_of_shared_strings_is_refused_in_well_under_a_second() -> None:
    bomb = samples.xlsx_shared_strings_bomb()  # 2 MB that unpack to 885 MiB
    assert len(bomb) < 3 * 1024 * 1024
    started = time.monotonic()
    with pytest.raises(ImportFileError, match=r"распаковывается в 885 МБ.*архив-бомба"):
        import_organisations(actor=None, upload=io.BytesIO(bomb), filename="orgs.xlsx")
    assert time.monotonic() - started < 0.5
    assert not Organisation.objects.exists()


def _with_dimension(data: bytes, dimension: str) -> bytes:
    """The same book with its first sheet declaring another size."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            part = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                part = re.sub(rb'<dimension ref="[^"]+"', f'<dimension ref="{dimension}"'.encode(), part)
            target.writestr(info.filename, part)
    return buffer.getvalue()


def test_an_xlsx_declaring_too_many_rows_or_columns_is_refused_before_its_rows_are_read() -> None:
    for dimension, message in [("A1:G25000", "больше 20000 строк"), ("A1:ZZ3", "больше 100 столбцов")]:
        with pytest.raises(ImportFileError, match=message):
            import_organisations(
                actor=None, upload=io.BytesIO(_with_dimension(_xlsx([GOOD, GOOD_2]), dimension)), filename="o.xlsx"
            )
    assert not Organisation.objects.exists()


def test_an_xlsx_declaring_fewer_rows_than_it_holds_is_read_whole() -> None:
    report = import_organisations(
        actor=None, upload=io.BytesIO(_with_dimension(_xlsx([GOOD, GOOD_2]), "A1:G2")), filename="o.xlsx"
    )
    assert report.created == 2


def test_a_csv_of_more_than_20000_rows_is_refused_before_anything_is_written() -> None:
    rows = [
        [valid_inn(10_000 + i), "", f"ООО «Организация {i}»", "it_company", "RU-SAM", "62.01", ""]
        for i in range(20_001)
    ]
    with pytest.raises(ImportFileError, match="В файле больше 20000 строк"):
        import_organisations(actor=None, upload=io.BytesIO(_csv(rows)), filename="orgs.csv")
    assert not Organisation.objects.exists()


def test_a_csv_with_a_row_of_too_many_columns_is_refused_before_anything_is_written() -> None:
    with pytest.raises(ImportFileError, match="В строке 3 больше 100 столбцов"):
        import_organisations(actor=None, upload=io.BytesIO(_csv([GOOD, GOOD_2 + [""] * 100])), filename="orgs.csv")
    assert not Organisation.objects.exists()


def test_an_import_stopped_midway_says_how_many_rows_were_written(staff_client: Client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from projectoffice.organisations import imports

    real_create = imports.organisation_create
    calls = []

    def failing_create(**kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 2:
            raise OperationalError("the database went away")
        return real_create(**kwargs)

    monkeypatch.setattr(imports, "organisation_create", failing_create)
    third = [valid_inn(7), "", "ООО «Третья»", "it_company", "RU-SAM", "62.01", ""]
    upload = SimpleUploadedFile("orgs.csv", _csv([GOOD, GOOD_2, third]), content_type="text/csv")
    body = staff_client.post(reverse("organisations:import"), {"file": upload}).content.decode()
    assert "Импорт остановлен на строке 3 (OperationalError)" in body
    assert "До остановки записано строк: 1 (добавлено 1, обновлено 0" in body
    assert "не обработано: 2" in body
    assert "import-report" in body
    assert list(Organisation.objects.values_list("name", flat=True)) == ["ООО «Первая»"]
