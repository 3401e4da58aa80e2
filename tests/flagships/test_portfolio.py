"""The flagship portfolio and the KPI «Флагманские проекты»: what meets the promise, with the records behind it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from projectoffice.flagships import selectors, services
from projectoffice.flagships.matching import match_funders
from projectoffice.kpis.methods import RECORDS, flagships_quarters, flagships_records
from projectoffice.kpis.models import Method
from tests.factories import FunderProfileFactory, IndicatorFactory, OpportunityFactory, UserFactory
from tests.flagships.helpers import complete_materials, engage, flagship_with_partners

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def staff():  # type: ignore[no-untyped-def]
    return UserFactory(role="staff")


def test_a_flagship_meets_the_promise_with_partners_materials_and_an_engaged_funder_of_its_class(staff) -> None:
    flagship = flagship_with_partners(staff)
    card = selectors.card(selectors.flagships_queryset().get(pk=flagship.pk))
    assert not card.meets_promise and len(card.reasons) == 2  # partners are there; materials and a funder are not
    complete_materials(staff, flagship)
    engage(staff, flagship, TODAY)
    card = selectors.card(selectors.flagships_queryset().get(pk=flagship.pk))
    assert card.meets_promise and card.engaged_on == TODAY
    assert card.science and card.business


def test_a_funder_of_another_class_or_one_only_asked_for_an_intro_does_not_count(staff) -> None:
    flagship = flagship_with_partners(staff)
    complete_materials(staff, flagship)
    engage(staff, flagship, TODAY, funder_class="interstate_fund")
    services.deal_create(
        actor=staff, project=flagship.project, data={"funder_name": "X", "funder_class": "large_company"}
    )
    card = selectors.card(selectors.flagships_queryset().get(pk=flagship.pk))
    assert not card.meets_promise and "инвестора целевого класса" in card.reasons[0]


def test_the_kpi_counts_flagships_meeting_the_promise_in_the_quarter_of_engagement_with_their_records(staff) -> None:
    flagship = flagship_with_partners(staff)
    complete_materials(staff, flagship)
    engage(staff, flagship, TODAY)
    flagship_with_partners(staff)  # a second flagship that does not meet it
    indicator = IndicatorFactory(method=Method.FLAGSHIPS)
    quarter = (TODAY.month - 1) // 3 + 1
    assert flagships_quarters(indicator, [TODAY.year]) == {TODAY.year: {quarter: 1}}
    records = flagships_records(indicator, TODAY.year, None)
    assert [(r.model, r.pk) for r in records] == [("flagships.flagship", flagship.pk)]
    assert f"/flagships/{flagship.pk}/" == records[0].url and "наука" in records[0].label
    assert RECORDS[Method.FLAGSHIPS] is flagships_records
    assert flagships_records(indicator, TODAY.year - 1, None) == []


def test_a_flagship_needs_a_target_class_and_refuses_an_unknown_one(staff) -> None:
    flagship = flagship_with_partners(staff)
    with pytest.raises(ValidationError, match="хотя бы один"):
        services.flagship_mark(actor=staff, project=flagship.project, data={"target_classes": []})
    with pytest.raises(ValidationError, match="Неизвестные"):
        services.flagship_mark(actor=staff, project=flagship.project, data={"target_classes": ["bank"]})
    flagship.refresh_from_db()
    assert flagship.target_classes == ["large_company"]


def test_matching_offers_funders_of_the_targeted_classes_with_reasons_and_hides_closed_channels(staff) -> None:
    flagship = flagship_with_partners(staff, targets=["large_company", "interstate_fund"])
    good = FunderProfileFactory(
        name="Корпоративный фонд", funder_class="large_company", sectors="водоснабжение\nнасосы", trl_min=4, trl_max=8
    )
    FunderProfileFactory(name="Чужой класс", funder_class="foreign_business")
    held = OpportunityFactory(
        title="Фонд на паузе", status="suspended", suspended_on=TODAY, suspension_reason="санкции",
        funder_class="interstate_fund", channel_category="interstate_fund",
    )  # fmt: skip
    FunderProfileFactory(name="Профиль закрытого канала", funder_class="interstate_fund", channel=held)
    OpportunityFactory(
        title="Открытый фонд", provider_name="ЕАБР", funder_class="interstate_fund", channel_category="interstate_fund"
    )
    matches = match_funders(flagship)
    names = [m.name for m in matches]
    assert "Корпоративный фонд" in names and "ЕАБР" in names
    assert not {"Чужой класс", "Профиль закрытого канала", "Фонд на паузе"} & set(names)
    mine = next(m for m in matches if m.profile == good)
    assert any("TRL проекта 5 входит в диапазон мандата 4–8" in r for r in mine.reasons), mine.reasons
    assert mine.reasons[0].startswith("целевой класс проекта")


def test_the_portfolio_keeps_a_constant_number_of_queries(staff, django_assert_max_num_queries) -> None:
    for _ in range(2):
        f = flagship_with_partners(staff)
        engage(staff, f, TODAY - dt.timedelta(days=1))
    with django_assert_max_num_queries(12) as first:
        selectors.portfolio()
    for _ in range(3):
        f = flagship_with_partners(staff)
        engage(staff, f, TODAY)
    with django_assert_max_num_queries(len(first.captured_queries)):
        selectors.portfolio()


def test_matching_reasons_read_as_russian_and_keep_acronyms_upper_case(staff) -> None:
    flagship = flagship_with_partners(staff)
    profile = FunderProfileFactory(
        name="Фонд НИОКР", funder_class="large_company", trl_min=1, trl_max=9, instruments=["contract", "equity"]
    )
    mine = next(m for m in match_funders(flagship) if m.profile == profile)
    assert "инструменты: доля в капитале, договор (НИОКР, поставка)" in mine.reasons
    assert any(r.startswith("TRL проекта ") and "входит в диапазон мандата 1–9" in r for r in mine.reasons)
    assert not any(" в мандата" in r for r in mine.reasons)
