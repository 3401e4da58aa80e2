"""A suspended call is shown with its reason and date and never offered as open; other regions' programmes show
in the home region's catalogue only when asked for."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from projectoffice.audit.models import AuditEvent
from projectoffice.classifiers.loaders import load_regions
from projectoffice.matching.digests import send_digests
from projectoffice.matching.ranking import match_opportunities
from projectoffice.opportunities import services
from projectoffice.opportunities.catalogue import load_catalogue
from projectoffice.opportunities.models import Opportunity
from projectoffice.opportunities.selectors import closing_soon
from tests.conftest import client_for
from tests.factories import (
    OkvedFactory,
    OrganisationFactory,
    SoftwareProductFactory,
    SubscriptionFactory,
    UserFactory,
    member_of,
)

pytestmark = pytest.mark.django_db
RFRIT = "rfrit_dev_grants_pp550"
KHABAROVSK = "frp_regional_joint_khabarovsk"


@pytest.fixture
def catalogue(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    load_regions()
    with django_capture_on_commit_callbacks(execute=True):
        load_catalogue()


def _open_soon(external_id: str, days: int = 10) -> Opportunity:
    opportunity = Opportunity.objects.get(external_id=external_id)
    Opportunity.objects.filter(pk=opportunity.pk).update(closes_on=timezone.localdate() + dt.timedelta(days=days))
    opportunity.refresh_from_db()
    return opportunity


def test_the_catalogue_loads_the_rfrit_grant_suspended_as_its_source_says_and_reloads_idempotently(catalogue) -> None:  # type: ignore[no-untyped-def]
    rfrit = Opportunity.objects.get(external_id=RFRIT)
    assert rfrit.status == "suspended" and rfrit.suspended_on == timezone.localdate()
    assert "приостановлен на неопределенный срок" in rfrit.suspension_reason
    assert "приостановлен на неопределенный срок" in rfrit.source_date_note  # the source the reason comes from
    result = load_catalogue()
    assert (result.created, result.updated) == (0, 0)


def test_a_suspended_entry_shows_its_reason_and_date_and_is_not_among_the_open_ones(catalogue, client: Client) -> None:  # type: ignore[no-untyped-def]
    rfrit = Opportunity.objects.get(external_id=RFRIT)
    page = client.get(reverse("opportunities:detail", args=[rfrit.pk])).content.decode()
    assert "Приём заявок приостановлен" in page and rfrit.suspension_reason.split("«")[1].split("»")[0] in page
    assert f"отмечено {rfrit.suspended_on:%d.%m.%Y}" in page
    listed = client.get(reverse("opportunities:list")).content.decode()
    assert "Гранты на разработку цифровых продуктов" not in listed
    suspended = client.get(reverse("opportunities:list"), {"status": "suspended"}).content.decode()
    assert "Гранты на разработку цифровых продуктов" in suspended and "badge suspended" in suspended


def test_suspended_entries_are_never_closing_soon_matched_or_sent_in_digests(catalogue) -> None:  # type: ignore[no-untyped-def]
    rfrit = _open_soon(RFRIT)
    open_one = _open_soon("fp_infosec_dev_grants")
    soon = list(closing_soon())
    assert open_one in soon and rfrit not in soon
    developer = OrganisationFactory(main_okved=OkvedFactory(), it_accredited=True,
                                    description="разработка цифровых продуктов, гранты на разработку ПО")  # fmt: skip
    SoftwareProductFactory(organisation=developer)  # the open grant is for products in the registry
    matched = [m.opportunity.pk for m in match_opportunities(organisation=developer, limit=50)]
    assert open_one.pk in matched and rfrit.pk not in matched
    Opportunity.objects.filter(pk__in=[rfrit.pk, open_one.pk]).update(created_at=timezone.now())  # as if new
    SubscriptionFactory(user=member_of(developer), organisation=developer, email="dev@example.invalid")
    assert send_digests().sent == 1
    [digest] = mail.outbox
    assert open_one.title in digest.body and "Гранты на разработку цифровых продуктов" not in digest.body


def test_the_offices_verification_marks_an_entry_suspended_with_reason_and_date(catalogue) -> None:  # type: ignore[no-untyped-def]
    entry = Opportunity.objects.get(external_id="skolkovo_microgrants")
    staff = client_for(UserFactory(role="staff"))
    url = reverse("opportunities:suspend", args=[entry.pk])
    detail = staff.get(reverse("opportunities:detail", args=[entry.pk])).content.decode()
    assert f'action="{url}"' in detail
    staff.post(url, {"reason": "  ", "on": "2026-11-20"})
    entry.refresh_from_db()
    assert entry.status == "published"  # no reason, nothing changed
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    staff.post(url, {"reason": "приём приостановлен фондом", "on": tomorrow.isoformat()})
    entry.refresh_from_db()
    assert entry.status == "published"
    assert client_for(UserFactory(role="member")).post(url, {"reason": "x", "on": "2026-11-20"}).status_code == 403
    day = timezone.localdate() - dt.timedelta(days=3)
    staff.post(url, {"reason": "Фонд: приём заявок приостановлен до особого распоряжения", "on": day.isoformat()})
    entry.refresh_from_db()
    assert (entry.status, entry.suspended_on, entry.verified_on) == ("suspended", day, timezone.localdate())
    assert AuditEvent.objects.filter(action="opportunities.suspended").count() == 1
    staff.post(reverse("opportunities:status", args=[entry.pk]), {"status": "published"})  # resumed
    entry.refresh_from_db()
    assert (entry.status, entry.suspended_on, entry.suspension_reason) == ("published", None, "")


def test_suspending_needs_the_reason_and_date_whatever_the_way_in(catalogue) -> None:  # type: ignore[no-untyped-def]
    entry = Opportunity.objects.get(external_id="skolkovo_microgrants")
    staff = UserFactory(role="staff")
    with pytest.raises(ValidationError):
        services.opportunity_set_status(actor=staff, opportunity=entry, status="suspended")
    with pytest.raises(ValidationError, match="причина и дата"):
        services.opportunity_update(actor=staff, opportunity=entry, data={"status": "suspended"})
    entry.refresh_from_db()
    assert entry.status == "published"


def test_other_regions_programmes_show_only_when_all_regions_are_asked_for(catalogue, client: Client) -> None:  # type: ignore[no-untyped-def]
    khabarovsk = _open_soon(KHABAROVSK)
    samara = Opportunity.objects.get(external_id="samara_gp_invest_innov")
    default = client.get(reverse("opportunities:list"), {"kind": "loan"}).content.decode()
    assert "Совместные программы" not in default and "Проекты развития" in default  # federal loans stay
    everywhere = client.get(reverse("opportunities:list"), {"kind": "loan", "region": "all"}).content.decode()
    assert "Совместные программы" in everywhere
    assert samara.title[:40] in client.get(reverse("opportunities:list"), {"kind": "subsidy"}).content.decode()
    assert 'value="all"' in default and "Все регионы" in default
    assert khabarovsk not in list(closing_soon())
