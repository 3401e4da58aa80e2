"""Statistics: response time to the first take-up, share helped and satisfaction per expert, institution and
subject; the monthly XLSX with typed cells; staff and the grantor only."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from projectoffice.needs import stats
from projectoffice.needs.models import MatchStatus, SatisfactionSurvey
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.needs.ops_factories import closed_need

pytestmark = pytest.mark.django_db


def _month() -> tuple[dt.date, dt.date]:
    return stats.month_bounds(timezone.localdate().strftime("%Y-%m"))


def test_the_figures_per_expert_institution_and_subject() -> None:
    helped = closed_need(0.01)
    closed_need(0.01, status=MatchStatus.NOT_HELPED, subject=helped.subject)
    SatisfactionSurvey.objects.create(need=helped, token="t1", sent_at=timezone.now(), answered_at=timezone.now(),
                                      useful=True, rating=4, outcome="started")  # fmt: skip
    data = stats.compute(*_month())
    subject = data.subjects[0]
    assert subject.sent == 2 and subject.closed == 2 and subject.helped == 1
    assert subject.helped_percent == Decimal("50.0") and subject.median_response_days == Decimal("1.0")
    assert subject.useful_percent == Decimal("100.0") and subject.mean_rating == Decimal("4.0")
    assert len(data.experts) == 2 and {e.helped for e in data.experts} == {0, 1}
    assert len(data.institutions) == 2


def test_the_monthly_xlsx_has_typed_cells() -> None:
    closed_need(0.01)
    staff = client_for(UserFactory(role="staff"))
    start, _ = _month()
    answer = staff.get(reverse("needs:ops-stats") + f"?month={start:%Y-%m}&format=xlsx")
    assert answer.status_code == 200 and answer["Content-Disposition"].endswith(f'needs-{start:%Y-%m}.xlsx"')
    book = load_workbook(io.BytesIO(answer.content))
    assert book.sheetnames == ["По предметам", "По экспертам", "По институтам"]
    sheet = book["По предметам"]
    header = [c.value for c in sheet[3]]
    assert header[:4] == ["Предмет", "Отправлено", "Взято в работу", "Медиана до взятия, дней"]
    row = [c for c in sheet[4]]
    assert isinstance(row[1].value, int) and row[1].value == 1
    assert isinstance(row[3].value, float | int) and row[3].number_format == "#,##0.00"
    assert row[6].value == 100 and row[6].number_format == '0.0 "%"'


def test_the_page_shows_the_month_and_other_roles_are_refused() -> None:
    closed_need(0.01)
    for role in ("staff", "grantor"):
        assert client_for(UserFactory(role=role)).get(reverse("needs:ops-stats")).status_code == 200
    for role in ("expert", "member", "community"):
        client = client_for(UserFactory(role=role))
        assert client.get(reverse("needs:ops-stats")).status_code == 403
        assert client.get(reverse("needs:ops-stats") + "?format=xlsx").status_code == 403


def test_a_bad_month_falls_back_to_the_previous_one() -> None:
    today = dt.date(2026, 3, 15)
    assert stats.month_bounds("2026-13", today) == (dt.date(2026, 2, 1), dt.date(2026, 3, 1))
    assert stats.month_bounds("2025-12", today) == (dt.date(2025, 12, 1), dt.date(2026, 1, 1))
