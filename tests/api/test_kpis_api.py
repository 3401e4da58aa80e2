import datetime as dt
import json

import pytest
from django.test import Client

from projectoffice.kpis.models import QuarterlyReport
from tests.api.helpers import assert_error_shape, bearer
from tests.events.factories import EventFactory
from tests.factories import IndicatorFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_indicators_records_and_reports_through_the_api(client: Client) -> None:
    IndicatorFactory(code="events", name="Мероприятия", unit="pieces", method="events")
    EventFactory(starts_at=dt.datetime(2026, 2, 3, 10, tzinfo=dt.UTC), title="Митап")
    grantor, staff = bearer(UserFactory(role="grantor")), bearer(UserFactory(role="staff"))
    rows = client.get("/api/v1/kpis/indicators", {"year": 2026}, **grantor).json()
    assert rows[0]["code"] == "events" and rows[0]["facts"] == {"1": 1.0}
    records = client.get("/api/v1/kpis/indicators/events/records", {"year": 2026, "quarter": 1}, **grantor).json()
    assert records["count"] == 1 and records["records"][0]["label"] == "Митап"
    bad = client.get("/api/v1/kpis/indicators/events/records", {"year": 2026, "quarter": 5}, **grantor)
    assert "quarter" in assert_error_shape(bad, "invalid")["fields"]
    assert (
        client.post(
            "/api/v1/kpis/reports", json.dumps({"year": 2026, "quarter": 1}), content_type="application/json", **grantor
        ).status_code
        == 403
    )
    assert not QuarterlyReport.objects.exists()
    created = client.post(
        "/api/v1/kpis/reports", json.dumps({"year": 2026, "quarter": 1}), content_type="application/json", **staff
    )
    report_id = created.json()["id"]
    submitted = client.post(f"/api/v1/kpis/reports/{report_id}/submit", **staff).json()
    assert submitted["status"] == "submitted" and submitted["intact"] is True and len(submitted["sha256"]) == 64
    again = client.post(f"/api/v1/kpis/reports/{report_id}/submit", **staff)
    assert again.status_code == 400
    assert client.get("/api/v1/kpis/indicators", **bearer(UserFactory(role="member"))).status_code == 403
