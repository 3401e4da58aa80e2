"""The quarterly report's PDF: tagged, Russian and titled; the moment it was built in local time; amounts in
roubles as in the application package."""

from __future__ import annotations

import io
from typing import Any

from pypdf import PdfReader

from projectoffice.kpis.documents import report_pdf
from tests import pdfs

SNAPSHOT: dict[str, Any] = {
    "year": 2026,
    "quarter": 4,
    "generated_at": "2026-11-27T02:15:00+00:00",  # 06:15 in Samara
    "columns": None,
    "indicators": [
        {
            "code": "investment",
            "name": "Привлечённые инвестиции",
            "unit": "руб.",
            "target_year": "300000000",
            "target_quarter": None,
            "fact_quarter": "150000000.00",
            "fact_cumulative": "150000000.00",
            "percent": "50.0",
            "comment": "",
            "records": [],
        },
        {
            "code": "events",
            "name": "Мероприятия",
            "unit": "ед.",
            "target_year": "12",
            "target_quarter": "3",
            "fact_quarter": "4",
            "fact_cumulative": "10",
            "percent": "83.3",
            "comment": "по плану",
            "records": [],
        },
    ],
}


def _text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_report_pdf_shows_local_time_and_russian_money() -> None:
    text = _text(report_pdf(SNAPSHOT, "ab" * 32))
    assert "Сформирован 27.11.2026 06:15" in text and "2026-11-27" not in text
    assert "150\u00a0000\u00a0000,00\u00a0₽" in text and "150000000.00" not in text
    assert "300\u00a0000\u00a0000,00\u00a0₽" in text and "83,3\u00a0%" in text


def test_the_report_pdf_is_tagged_russian_and_titled() -> None:
    types = pdfs.assert_accessible(
        report_pdf(SNAPSHOT, "ab" * 32), "Отчёт о достижении показателей, 4 кв. 2026", {"H1", "Table", "TH", "TD", "P"}
    )
    assert types.index("H1") < types.index("Table")
