"""The KPI dashboard shows plan, fact and forecast in the indicator's unit: ₽ in whole roubles, counts whole."""

from __future__ import annotations

from decimal import Decimal

import pytest

from projectoffice.kpis.models import Indicator, Unit
from projectoffice.kpis.templatetags.kpi_format import kpi_value
from tests.conftest import client_for
from tests.factories import IndicatorFactory, TargetFactory, UserFactory

NBSP = "\u00a0"


def test_roubles_are_whole_with_the_rouble_sign_and_counts_are_rounded_to_whole_numbers() -> None:
    roubles, people, share = Indicator(unit=Unit.ROUBLES), Indicator(unit=Unit.PERSONS), Indicator(unit=Unit.PERCENT)
    assert kpi_value(Decimal("195382352.94"), roubles) == f"195{NBSP}382{NBSP}353{NBSP}₽"
    assert kpi_value(Decimal("182000000"), roubles) == f"182{NBSP}000{NBSP}000{NBSP}₽"
    assert kpi_value(Decimal("41.67"), people) == f"42{NBSP}чел."
    assert kpi_value(Decimal("12.5"), share) == f"12,5{NBSP}%"
    assert kpi_value(None, roubles) == ""


@pytest.mark.django_db
def test_the_dashboard_shows_the_roubles_target_with_the_rouble_sign_not_rub() -> None:
    indicator = IndicatorFactory(code="investments", unit=Unit.ROUBLES, method="investment")
    TargetFactory(indicator=indicator, value=Decimal("150000000"))
    body = client_for(UserFactory(role="staff")).get("/kpis/").content.decode()
    assert f"из 150{NBSP}000{NBSP}000{NBSP}₽" in body
    assert "руб." not in body.split('id="kpi-investments"')[1].split("</article>")[0]
