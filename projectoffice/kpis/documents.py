"""The quarterly report as XLSX (lib.spreadsheets) and PDF (Typst through lib.pdf), built from the frozen snapshot."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from projectoffice.lib import formats, pdf, spreadsheets
from projectoffice.lib.spreadsheets import Column

HEADERS = {
    "indicator": "Показатель",
    "unit": "Ед.",
    "target_year": "План на год",
    "target_quarter": "План на квартал",
    "fact_quarter": "Факт за квартал",
    "fact_cumulative": "Факт с начала года",
    "percent": "% годового плана",
    "comment": "Комментарий",
}


ROUBLES = "руб."  # the unit as the snapshot holds it (Unit.ROUBLES's label)
NUMERIC = {"target_year", "target_quarter", "fact_quarter", "fact_cumulative", "percent"}


def _value(item: dict[str, Any], column: str) -> str | Decimal | None:
    """One cell of the report as the snapshot holds it: amounts become numbers again, blanks stay None."""
    value = item["name"] if column == "indicator" else item.get(column)
    if value in (None, ""):
        return None
    return Decimal(str(value)) if column in NUMERIC else str(value)


def _text(value: str | Decimal | None, column: str, unit: str) -> str:
    if value is None:
        return "—"
    if column == "percent":
        return formats.percent(value)
    if isinstance(value, Decimal):
        return formats.money(value, kopecks=True) if unit == ROUBLES else formats.number(value)
    return value


def report_rows(snapshot: dict[str, Any]) -> list[list[str]]:
    """The table as people read it (PDF): Russian number formats, «—» for a missing figure."""
    columns = snapshot.get("columns") or list(HEADERS)
    return [
        [HEADERS[c] for c in columns],
        *[[_text(_value(item, c), c, item.get("unit", "")) for c in columns] for item in snapshot["indicators"]],
    ]


def _title(snapshot: dict[str, Any]) -> str:
    return f"Отчёт о достижении показателей за {snapshot['quarter']} квартал {snapshot['year']} г."


def _generated(snapshot: dict[str, Any]) -> str:
    return formats.datetime(snapshot["generated_at"])


RECORD_COLUMNS = [
    Column("Показатель", 18),
    Column("Вид", 18),
    Column("Запись", 60),
    Column("Дата", 12, formats.XLSX_DATE),
    Column("Значение", 18, formats.XLSX_DECIMAL),
    Column("Адрес", 40),
]


def _report_column(column: str) -> Column:
    if column not in NUMERIC:
        return Column(HEADERS[column], 60 if column == "indicator" else 18)
    return Column(HEADERS[column], 18, formats.XLSX_PERCENT if column == "percent" else formats.XLSX_DECIMAL)


def _record_rows(snapshot: dict[str, Any]) -> Iterator[list[object]]:
    for item in snapshot["indicators"]:
        for record in item["records"]:
            day = formats.parse_iso(record["day"])
            value = Decimal(record["value"])
            yield [item["code"], record["kind"], record["label"], day or record["day"], value, record["url"]]


def report_xlsx(snapshot: dict[str, Any], sha: str) -> bytes:
    """Figures are numbers and record days are dates, with Russian number formats, so Excel can sum and sort."""
    columns = snapshot.get("columns") or list(HEADERS)
    book, sheet = spreadsheets.workbook(f"Отчёт {snapshot['quarter']} кв. {snapshot['year']}")
    spreadsheets.write_line(sheet, [_title(snapshot)], bold=True, size=13)
    rows = ([_value(item, c) for c in columns] for item in snapshot["indicators"])
    spreadsheets.write_table(sheet, [_report_column(c) for c in columns], rows)
    spreadsheets.write_table(book.create_sheet("Записи по показателям"), RECORD_COLUMNS, _record_rows(snapshot))
    spreadsheets.write_line(sheet, [None])
    spreadsheets.write_line(sheet, [f"Сформирован {_generated(snapshot)}. SHA-256 замороженных данных: {sha}"])
    return spreadsheets.xlsx_bytes(book)


PDF_WIDTHS = {"indicator": 3, "comment": 2}  # fractions of the free width; other columns fit their text


def report_pdf(snapshot: dict[str, Any], sha: str) -> bytes:
    """The report as a tagged PDF (lib.pdf): amounts in roubles as in the application package («150 000 000,00 ₽»),
    the moment it was built in local time."""
    columns = snapshot.get("columns") or list(HEADERS)
    return pdf.render(
        "kpis/typst/report.typ",
        {
            "title": f"Отчёт о достижении показателей, {snapshot['quarter']} кв. {snapshot['year']}",
            "author": "Проектный офис цифрового развития",
            "heading": _title(snapshot),
            "table": report_rows(snapshot),
            "widths": [PDF_WIDTHS.get(c, 0) for c in columns],
            "numeric": [index for index, c in enumerate(columns) if c in NUMERIC],
            "footnote": f"Сформирован {_generated(snapshot)}. SHA-256 замороженных данных: {sha}",
        },
    )
