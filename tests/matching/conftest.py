"""What the matching tests share: a small market of Samara tenders and a member's digest subscription."""

import datetime as dt
from collections.abc import Callable

import pytest

from projectoffice.matching.models import Subscription
from projectoffice.opportunities.models import Opportunity, Tender
from tests.factories import (
    OkvedFactory,
    OrganisationFactory,
    RegionFactory,
    SubscriptionFactory,
    TenderFactory,
    member_of,
)

NOTICE_DAY = dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC)  # a week before the day the ranking tests rank on


@pytest.fixture
def samara_tender() -> Callable[..., Tender]:
    """Makes a notice of a Samara customer (INN 63…), published on NOTICE_DAY, open for twenty days."""

    def make(**fields: object) -> Tender:
        tender: Tender = TenderFactory(customer_inn="6316000012", published_at=NOTICE_DAY, **fields)
        return tender

    return make


@pytest.fixture
def market(search_engine, samara_tender, django_capture_on_commit_callbacks) -> dict[str, Opportunity]:  # type: ignore[no-untyped-def]
    """Three open tenders by title: a mobile application, petrol and a web portal (indexed by each engine in turn)."""
    RegionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        samara_tender(
            title="Разработка мобильного приложения для записи к врачу",
            items=[("62.01.11.000", "Услуги по разработке мобильного приложения")],
        )
        samara_tender(title="Поставка бензина АИ-92", items=[("19.20.21.110", "Бензин автомобильный")])
        samara_tender(title="Разработка веб-портала для жителей", items=[("62.01.11.000", "Разработка портала")])
    return {o.title: o for o in Opportunity.objects.all()}


@pytest.fixture
def subscription() -> Subscription:
    """A member's digest of matches for a mobile-app developer, to the member's own (confirmed) address."""
    developer = OrganisationFactory(main_okved=OkvedFactory(), description="разработка мобильных приложений")
    subscription: Subscription = SubscriptionFactory(
        user=member_of(developer), organisation=developer, email="dev@example.invalid"
    )
    return subscription
