"""Deal flow: the transitions, closing into an investment the KPI counts, refusals with reasons, reminders once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from projectoffice.flagships import services
from projectoffice.flagships.models import Deal, DealMove
from projectoffice.flagships.services import DealMoveError, send_overdue_reminders
from projectoffice.flagships.tasks import send_overdue_reminders_task
from projectoffice.kpis.methods import investment_quarters, investment_records
from projectoffice.projects.models import ProjectInvestment
from tests.factories import DealFactory, IndicatorFactory, OpportunityFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def staff():  # type: ignore[no-untyped-def]
    return UserFactory(role="staff", email="owner@example.invalid")


def _walk(staff, deal: Deal, *stages: str) -> Deal:  # type: ignore[no-untyped-def]
    for stage in stages:
        deal = services.deal_move(actor=staff, deal=deal, to_stage=stage, on=TODAY)
    return deal


def test_a_deal_goes_from_intro_requested_to_a_closed_pilot_and_the_investment_kpi_counts_it(staff) -> None:
    deal = services.deal_create(
        actor=staff,
        project=ProjectFactory(),
        data={"funder_name": "ПАО «Газпром нефть»", "funder_class": "large_company"},
    )
    deal = _walk(staff, deal, "intro_made", "meeting", "due_diligence", "term_sheet")
    deal = services.deal_move(
        actor=staff, deal=deal, to_stage="closed", on=TODAY, amount=Decimal("12000000"), instrument="pilot"
    )
    assert (deal.stage, deal.amount, deal.instrument, deal.closed_on) == ("closed", Decimal("12000000"), "pilot", TODAY)
    assert [m.to_stage for m in DealMove.objects.filter(deal=deal).order_by("id")] == [
        "intro_requested", "intro_made", "meeting", "due_diligence", "term_sheet", "closed",
    ]  # fmt: skip
    investment = ProjectInvestment.objects.get(deal=deal)
    assert investment.amount == Decimal("12000000") and investment.project == deal.project
    indicator = IndicatorFactory(method="investment")
    quarter = (TODAY.month - 1) // 3 + 1
    assert investment_quarters(indicator, [TODAY.year])[TODAY.year][quarter] == Decimal("12000000")
    records = investment_records(indicator, TODAY.year, None)
    assert [(r.model, r.pk) for r in records] == [("projects.projectinvestment", investment.pk)]


def test_a_stage_cannot_be_skipped_and_a_closed_deal_cannot_move(staff) -> None:
    deal = DealFactory()
    with pytest.raises(DealMoveError, match="нельзя перейти"):
        services.deal_move(actor=staff, deal=deal, to_stage="closed", amount=Decimal(1), instrument="grant")
    deal.refresh_from_db()
    assert deal.stage == "intro_requested"


def test_closing_needs_amount_and_instrument_and_nothing_changes_without_them(staff) -> None:
    deal = _walk(staff, DealFactory(), "intro_made", "meeting", "term_sheet")
    with pytest.raises(ValidationError, match="сумму"):
        services.deal_move(actor=staff, deal=deal, to_stage="closed", instrument="equity")
    with pytest.raises(ValidationError, match="инструмент"):
        services.deal_move(actor=staff, deal=deal, to_stage="closed", amount=Decimal(5))
    deal.refresh_from_db()
    assert deal.stage == "term_sheet" and not ProjectInvestment.objects.exists()


def test_a_refusal_needs_its_reason(staff) -> None:
    deal = _walk(staff, DealFactory(), "intro_made")
    with pytest.raises(ValidationError, match="причину"):
        services.deal_move(actor=staff, deal=deal, to_stage="declined", declined_reason="  ")
    deal = services.deal_move(actor=staff, deal=deal, to_stage="declined", declined_reason="Вне мандата фонда")
    assert deal.stage == "declined" and deal.declined_reason == "Вне мандата фонда"


def test_a_move_based_on_a_stale_page_is_refused(staff) -> None:
    deal = _walk(staff, DealFactory(), "intro_made")
    with pytest.raises(DealMoveError, match="Обновите страницу"):
        services.deal_move(actor=staff, deal=deal, to_stage="meeting", expected_stage="intro_requested")


def test_only_the_office_moves_deals() -> None:
    with pytest.raises(PermissionDenied):
        services.deal_move(actor=UserFactory(role="grantor"), deal=DealFactory(), to_stage="intro_made")


def test_a_deal_through_a_suspended_channel_is_not_started(staff) -> None:
    channel = OpportunityFactory(status="suspended", suspended_on=TODAY, suspension_reason="санкции")
    with pytest.raises(ValidationError, match="приостановлен"):
        services.deal_create(
            actor=staff, project=ProjectFactory(), data={"channel": channel, "funder_class": "interstate_fund"}
        )
    assert not Deal.objects.exists()


def test_an_overdue_next_step_reminds_its_owner_once_per_due_date(staff) -> None:
    deal = DealFactory(owner=staff, next_step="Отправить меморандум", next_step_due=TODAY - dt.timedelta(days=2))
    DealFactory(owner=staff, next_step="Ещё не срок", next_step_due=TODAY + dt.timedelta(days=2))
    DealFactory(owner=staff, stage="declined", declined_reason="нет", next_step_due=TODAY - dt.timedelta(days=5))
    assert send_overdue_reminders(today=TODAY).sent == 1
    assert len(mail.outbox) == 1 and "Отправить меморандум" in mail.outbox[0].body
    assert mail.outbox[0].to == ["owner@example.invalid"]
    report = send_overdue_reminders(today=TODAY)
    assert (report.sent, report.skipped) == (0, 1) and len(mail.outbox) == 1
    services.deal_update(actor=staff, deal=deal, data={"next_step_due": TODAY - dt.timedelta(days=1)})
    assert send_overdue_reminders(today=TODAY).sent == 1  # a new due date is a new reminder


def test_the_scheduled_task_sends_the_reminders_under_its_lock(staff) -> None:
    DealFactory(owner=staff, next_step="Созвон", next_step_due=TODAY - dt.timedelta(days=1))
    assert send_overdue_reminders_task()["sent"] == 1
    assert send_overdue_reminders_task()["sent"] == 0


def test_a_stage_move_dated_after_today_is_refused_and_the_deal_stays(staff) -> None:
    deal = DealFactory()
    tomorrow = TODAY + dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="позже сегодняшнего дня"):
        services.deal_move(actor=staff, deal=deal, to_stage="intro_made", on=tomorrow)
    deal.refresh_from_db()
    assert deal.stage == "intro_requested" and not deal.moves.exists()
