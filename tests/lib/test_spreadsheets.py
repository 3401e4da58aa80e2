"""XLSX files hold real numbers and dates with Russian number formats, so Excel can sum, sort and filter them.

Each spreadsheet the platform writes is read back with openpyxl: amounts are numbers, days and moments are dates
(moments in local time), and no text cell holds something that looks like a number or a date, identifiers
(INN, OGRN, codes, tickets) aside.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from projectoffice.kpis import services as kpi_services
from projectoffice.kpis.models import Indicator, QuarterlyReport
from projectoffice.lib import formats, spreadsheets
from projectoffice.organisations.imports import import_organisations
from projectoffice.organisations.models import Organisation
from projectoffice.participation import services as participation_services
from tests.conftest import client_for
from tests.events.factories import EventFactory, RegistrationFactory
from tests.factories import (
    FiguresFactory,
    IndicatorFactory,
    OrganisationFactory,
    ProjectInvestmentFactory,
    UserFactory,
)
from tests.needs.ops_factories import closed_need
from tests.participation.factories import open_process

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2] / "projectoffice"
SAMARA = ZoneInfo("Europe/Samara")
# Columns whose digits are identifiers, not quantities.
IDENTIFIERS = {"ИНН", "ОГРН", "Основной ОКВЭД2", "Дополнительные ОКВЭД2", "Регион", "Телефон", "Билет", "Показатель"}
LOOKS_LIKE_A_FIGURE = re.compile(
    r"-?\d[\d \u00a0]*(?:[.,]\d+)?|\d{2}\.\d{2}\.\d{4}(?: \d{2}:\d{2})?|\d{4}-\d{2}-\d{2}.*"
)


@pytest.fixture
def staff() -> Client:
    return client_for(UserFactory(role="staff"))


def _sheets(content: bytes) -> list[Worksheet]:
    return list(load_workbook(io.BytesIO(content)).worksheets)


def _column(sheet: Worksheet, header: str, header_row: int = 1) -> list[object]:
    headers = [cell.value for cell in sheet[header_row]]
    index = headers.index(header) + 1
    return [sheet.cell(row, index) for row in range(header_row + 1, sheet.max_row + 1)]


def _kpi_report(staff: Client) -> bytes:
    IndicatorFactory(code="investment", name="Привлечённые инвестиции", unit="rub", method="investment")
    ProjectInvestmentFactory(amount=Decimal("150000000.50"), received_on=dt.date(2026, 2, 14))
    kpi_services.target_set(
        actor=UserFactory(role="staff"),
        indicator=Indicator.objects.get(),
        year=2026,
        quarter=None,
        value=Decimal(300_000_000),
        agreement_number="С-1",
        agreement_date=dt.date(2026, 1, 15),
    )
    report = kpi_services.report_submit(
        actor=UserFactory(role="staff"), report=kpi_services.report_get_or_create(year=2026, quarter=1)
    )
    return staff.get(reverse("kpis:report_download", args=[report.pk, "xlsx"])).content


def _attendees(staff: Client) -> bytes:
    event = EventFactory(slug="forum")
    registration = RegistrationFactory(event=event)
    type(registration).objects.filter(pk=registration.pk).update(
        created_at=dt.datetime(2026, 5, 14, 8, 7, tzinfo=SAMARA)
    )
    return staff.get(reverse("events:attendees_xlsx", args=[event.slug])).content


def _organisations(staff: Client) -> bytes:
    organisation = OrganisationFactory(founded_on=dt.date(2019, 3, 1))
    FiguresFactory(organisation=organisation, year=2025, revenue=Decimal("604800000.50"), headcount=120)
    return staff.get(reverse("organisations:export", args=["xlsx"])).content


def _register(staff: Client) -> bytes:
    process = open_process()
    version = participation_services.version_publish(
        actor=UserFactory(role="staff"), process=process, title="С", text="# Р\n\nПункт.\n"
    )
    participation_services.remark_add(actor=UserFactory(), paragraph=version.paragraphs.get(), text="=1+1 замечание")
    return staff.get(reverse("participation:register_xlsx", args=[process.slug])).content


def _participation_stats(staff: Client) -> bytes:
    process = open_process()
    version = participation_services.version_publish(
        actor=UserFactory(role="staff"), process=process, title="С", text="# Р\n\nПункт.\n"
    )
    participation_services.remark_add(actor=UserFactory(), paragraph=version.paragraphs.get(), text="=1+1 замечание")
    return staff.get(reverse("participation:stats_xlsx", args=[process.slug])).content


def _needs_month(staff: Client) -> bytes:
    closed_need(0.01)
    return staff.get(
        reverse("needs:ops-stats") + "?format=xlsx&month=" + timezone.localdate().strftime("%Y-%m")
    ).content


# Every spreadsheet the platform writes, with how to get one.
SPREADSHEETS: dict[str, Callable[[Client], bytes]] = {
    "projectoffice/kpis/documents.py": _kpi_report,
    "projectoffice/events/exports.py": _attendees,
    "projectoffice/organisations/exports.py": _organisations,
    "projectoffice/participation/documents.py": _register,
    "projectoffice/participation/stats.py": _participation_stats,
    "projectoffice/needs/stats.py": _needs_month,
}


def test_every_module_that_writes_a_spreadsheet_is_checked() -> None:
    writers = {str(p.relative_to(ROOT.parent)) for p in ROOT.rglob("*.py") if "spreadsheets.workbook(" in p.read_text()}
    assert writers == set(SPREADSHEETS)


def test_only_the_spreadsheet_library_builds_a_workbook() -> None:
    """Every XLSX goes through lib.spreadsheets: the formula guard, typed cells, widths and the frozen header."""
    builders = {str(p.relative_to(ROOT.parent)) for p in ROOT.rglob("*.py") if "Workbook(" in p.read_text()}
    assert builders == {"projectoffice/lib/spreadsheets.py"}


@pytest.mark.parametrize("module", sorted(SPREADSHEETS))
def test_every_sheet_of_a_spreadsheet_has_a_bold_frozen_header_and_set_widths(staff: Client, module: str) -> None:
    for sheet in _sheets(SPREADSHEETS[module](staff)):
        header_row = sheet.freeze_panes and int(sheet.freeze_panes[1:]) - 1
        assert header_row, sheet.title
        headers = [cell for cell in sheet[header_row] if cell.value]
        assert headers and all(cell.font.bold for cell in headers), sheet.title
        widths = [sheet.column_dimensions[cell.column_letter].width for cell in headers]
        assert all(width and width >= 10 for width in widths), (sheet.title, widths)


@pytest.mark.parametrize("module", sorted(SPREADSHEETS))
def test_no_cell_of_a_spreadsheet_is_a_formula(staff: Client, module: str) -> None:
    for sheet in _sheets(SPREADSHEETS[module](staff)):
        assert not [cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"], sheet.title


def test_text_a_spreadsheet_would_run_as_a_formula_is_kept_as_text_in_xlsx_and_csv() -> None:
    columns = [spreadsheets.Column("Текст", 20), spreadsheets.Column("Сумма", 12, formats.XLSX_DECIMAL)]
    rows = [['=HYPERLINK("http://evil")', Decimal("-5.50")], ["-минус", Decimal("1234.5")], ["@SUM(A1)", None]]
    book, sheet = spreadsheets.workbook("Лист")
    spreadsheets.write_table(sheet, columns, rows)
    (read,) = _sheets(spreadsheets.xlsx_bytes(book))
    texts = _column(read, "Текст")
    assert [cell.value for cell in texts] == ['=HYPERLINK("http://evil")', "-минус", "@SUM(A1)"]  # type: ignore[attr-defined]
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in texts)  # type: ignore[attr-defined]
    assert [cell.value for cell in _column(read, "Сумма")] == [-5.5, 1234.5, None]  # type: ignore[attr-defined]
    lines = spreadsheets.csv_bytes(columns, rows).decode("utf-8-sig").splitlines()
    assert lines == ["Текст;Сумма", '"\'=HYPERLINK(""http://evil"")";-5,50', "'-минус;1234,5", "'@SUM(A1);"]


def test_plain_text_gets_no_apostrophe_and_no_quote_prefix() -> None:
    columns = [spreadsheets.Column("Телефон", 18, identifier=True), spreadsheets.Column("Адрес", 30)]
    book, sheet = spreadsheets.workbook("Лист")
    spreadsheets.write_table(sheet, columns, [["+7 846 200-00-00", "Самара, ул. Молодогвардейская, 1"]])
    (read,) = _sheets(spreadsheets.xlsx_bytes(book))
    phone, address = read["A2"], read["B2"]
    assert (phone.value, phone.data_type, phone.number_format) == ("+7 846 200-00-00", "s", "@")
    assert (address.value, address.quotePrefix) == ("Самара, ул. Молодогвардейская, 1", False)


def test_identifiers_in_csv_stay_text_for_a_spreadsheet_and_import_back() -> None:
    columns = [spreadsheets.Column("ОГРН", 16, identifier=True), spreadsheets.Column("Численность", 10)]
    line = spreadsheets.csv_bytes(columns, [["1026300000000", 120]]).decode("utf-8-sig").splitlines()[1]
    assert line == "\u20601026300000000;120"


@pytest.mark.parametrize("module", sorted(SPREADSHEETS))
def test_every_sheet_prints_on_a4_fitted_to_the_width_with_the_header_on_every_page(staff: Client, module: str) -> None:
    for sheet in _sheets(SPREADSHEETS[module](staff)):
        header_row = int(sheet.freeze_panes[1:]) - 1  # type: ignore[index]
        setup = sheet.page_setup
        assert (setup.paperSize, setup.fitToWidth, setup.fitToHeight) == (9, 1, 0), sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert sheet.print_title_rows == f"${header_row}:${header_row}", sheet.title
        width = sum(d.width for d in sheet.column_dimensions.values() if d.width)
        assert setup.orientation == ("landscape" if width > spreadsheets.A4_PORTRAIT_WIDTH else "portrait"), sheet.title


@pytest.mark.parametrize(
    ("module", "names"),
    [
        ("projectoffice/kpis/documents.py", ["Отчёт 1 кв. 2026", "Записи по показателям"]),
        ("projectoffice/events/exports.py", ["Участники"]),
        ("projectoffice/organisations/exports.py", ["Организации"]),
        ("projectoffice/participation/stats.py", ["Итоги", "По видам организаций", "По неделям"]),
    ],
)
def test_sheets_are_named_by_what_they_hold(staff: Client, module: str, names: list[str]) -> None:
    assert [sheet.title for sheet in _sheets(SPREADSHEETS[module](staff))] == names


@pytest.mark.parametrize("module", sorted(SPREADSHEETS))
def test_no_text_cell_of_a_spreadsheet_holds_a_number_or_a_date(staff: Client, module: str) -> None:
    for sheet in _sheets(SPREADSHEETS[module](staff)):
        headers: dict[int, str] = {}
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.row > 1 and headers.get(cell.column) not in IDENTIFIERS:
                    assert not LOOKS_LIKE_A_FIGURE.fullmatch(cell.value.strip()), (sheet.title, cell.coordinate)
                if isinstance(cell.value, str) and not headers.get(cell.column):
                    headers[cell.column] = cell.value


def test_the_grantors_report_holds_numbers_and_dates_excel_can_sum(staff: Client) -> None:
    report, records = _sheets(_kpi_report(staff))
    plan, fact, share = (
        _column(report, h, header_row=2)[0] for h in ("План на год", "Факт за квартал", "% годового плана")
    )
    assert plan.value == 300_000_000 and plan.number_format == formats.XLSX_DECIMAL  # type: ignore[attr-defined]
    assert fact.value == 150_000_000.5 and fact.number_format == formats.XLSX_DECIMAL  # type: ignore[attr-defined]
    assert share.value == 50 and share.number_format == formats.XLSX_PERCENT  # type: ignore[attr-defined]
    day, value = _column(records, "Дата")[0], _column(records, "Значение")[0]
    assert day.value == dt.datetime(2026, 2, 14) and day.number_format == formats.XLSX_DATE  # type: ignore[attr-defined]
    assert value.value == 150_000_000.5 and value.number_format == formats.XLSX_DECIMAL  # type: ignore[attr-defined]
    assert QuarterlyReport.objects.get().snapshot["indicators"][0]["fact_quarter"] == "150000000.50"  # type: ignore[index]


def test_the_attendee_list_holds_registration_moments_in_local_time(staff: Client) -> None:
    (sheet,) = _sheets(_attendees(staff))
    moment, checkins = _column(sheet, "Зарегистрирован")[0], _column(sheet, "Отметок")[0]
    assert moment.value == dt.datetime(2026, 5, 14, 8, 7) and moment.number_format == formats.XLSX_DATETIME  # type: ignore[attr-defined]
    assert checkins.value == 0  # type: ignore[attr-defined]


def test_the_registry_holds_founding_dates_and_revenue_as_values(staff: Client) -> None:
    (sheet,) = _sheets(_organisations(staff))
    founded, revenue = _column(sheet, "Дата регистрации")[0], _column(sheet, "Выручка, руб.")[0]
    assert founded.value == dt.datetime(2019, 3, 1) and founded.number_format == formats.XLSX_DATE  # type: ignore[attr-defined]
    assert revenue.value == 604_800_000.5 and revenue.number_format == formats.XLSX_DECIMAL  # type: ignore[attr-defined]


def test_the_registry_csv_has_russian_dates_and_decimal_commas_and_imports_back_unchanged(staff: Client) -> None:
    _organisations(staff)
    content = staff.get(reverse("organisations:export", args=["csv"])).content
    header, row = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))[:2]
    assert row[header.index("Дата регистрации")] == "01.03.2019"
    assert row[header.index("Выручка, руб.")] == "604800000,50"
    assert row[header.index("ОГРН")].startswith("\u2060") and row[header.index("ОГРН")][1:].isdigit()
    before = list(Organisation.objects.values())
    report = import_organisations(actor=None, upload=io.BytesIO(content), filename="export.csv")
    assert (report.unchanged, report.errors) == (1, []) and list(Organisation.objects.values()) == before


def test_public_figures_read_as_money_while_csv_and_json_stay_machine_readable(client: Client) -> None:
    IndicatorFactory(code="investment", name="Инвестиции", unit="rub", method="investment", is_public=True)
    ProjectInvestmentFactory(amount=Decimal(150_000_000))
    page = client.get(reverse("kpis:public")).content.decode()
    assert "150\u00a0000\u00a0000\u00a0₽" in page and "150000000" not in page
    data = client.get(reverse("kpis:public") + "?format=json").json()
    assert data["indicators"][0]["fact"] == "150000000.00"
    assert "150000000.00" in client.get(reverse("kpis:public") + "?format=csv").content.decode()
