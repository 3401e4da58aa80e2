import csv
import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from projectoffice.audit.models import AuditEvent
from projectoffice.classifiers.loaders import load_regions
from projectoffice.opportunities.catalogue import CATALOGUE, SOURCE_KINDS, load_catalogue
from projectoffice.opportunities.models import Opportunity
from projectoffice.opportunities.services import opportunity_update
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    load_regions()
    with django_capture_on_commit_callbacks(execute=True):
        load_catalogue()


def test_the_catalogue_loads_every_row_with_its_source_and_structured_rules(catalogue: None) -> None:
    assert Opportunity.objects.count() == 19
    start = Opportunity.objects.get(external_id="fsi_start")
    assert start.amount_max == Decimal("24000000")
    assert start.max_company_age_years == 2
    assert start.size_categories == ["micro", "small"]
    assert start.source_url == "http://fasie.ru/programs/programma-start/"
    assert "не более 2-х лет" in start.source_quote
    rfrit = Opportunity.objects.get(external_id="rfrit_dev_grants_pp550")
    assert (rfrit.amount_min, rfrit.amount_max, rfrit.own_share_min) == (Decimal(20_000_000), Decimal(500_000_000), 20)
    assert Opportunity.objects.get(external_id="samara_gp_invest_innov").region.iso_code == "RU-SAM"
    # both conflicting RFRIT ranges are kept, each with its own source
    assert Opportunity.objects.get(external_id="rfrit_2022_range").amount_max == Decimal(300_000_000)


def test_reloading_changes_nothing_and_keeps_what_the_office_verified(catalogue: None) -> None:
    start = Opportunity.objects.get(external_id="fsi_start")
    opportunity_update(
        actor=None, opportunity=start, data={"amount_max": Decimal(30_000_000), "verified_on": dt.date(2026, 11, 1)}
    )
    result = load_catalogue()
    assert (result.created, result.updated) == (0, 0)
    assert Opportunity.objects.get(external_id="fsi_start").amount_max == Decimal(30_000_000)


def test_the_public_catalogue_needs_no_login_and_hides_drafts(client: Client, catalogue: None) -> None:
    body = client.get(reverse("opportunities:list")).content.decode()
    assert "Микрогранты" in body
    assert "Изменения правил аккредитации" not in body  # a draft
    draft = Opportunity.objects.get(external_id="it_accreditation_2025_changes")
    assert client.get(reverse("opportunities:detail", args=[draft.pk])).status_code == 404


def test_full_text_search_understands_russian_word_forms(search_engine: str, client: Client, catalogue: None) -> None:
    body = client.get(reverse("opportunities:list"), {"q": "грант для разработчика"}).content.decode()
    assert "Гранты разработчикам российского ПО" in body
    assert "Проекты развития" not in body


@pytest.mark.parametrize(
    "query", ["' OR 1=1 --", "title:* AND body:(", "%_\\", "<script>x</script>", "а" * 5000, "   "]
)
def test_hostile_or_odd_queries_answer_normally(
    search_engine: str, client: Client, catalogue: None, query: str
) -> None:
    response = client.get(reverse("opportunities:list"), {"q": query})
    assert response.status_code == 200
    assert "<script>x</script>" not in response.content.decode()


def test_filters_by_kind_audience_and_amount(client: Client, catalogue: None) -> None:
    body = client.get(reverse("opportunities:list"), {"kind": "loan"}).content.decode()
    assert "Проекты развития" in body and "Микрогранты" not in body
    body = client.get(
        reverse("opportunities:list"), {"audience": "industrial", "amount_min": 500_000_000}
    ).content.decode()
    assert "Проекты развития" in body and "Старт" not in body


def test_detail_shows_the_source_next_to_the_figures(client: Client, catalogue: None) -> None:
    rfrit = Opportunity.objects.get(external_id="rfrit_dev_grants_pp550")
    body = client.get(reverse("opportunities:detail", args=[rfrit.pk])).content.decode()
    assert "500\xa0000\xa0000" in body
    assert body.count('class="source-ref"') >= 3
    assert "mspmo.ru" in body


def test_closing_soon_lists_deadlines_within_30_days(client: Client, catalogue: None) -> None:
    soon = Opportunity.objects.get(external_id="skolkovo_microgrants")
    opportunity_update(actor=None, opportunity=soon, data={"closes_on": timezone.localdate() + dt.timedelta(days=5)})
    later = Opportunity.objects.get(external_id="fsi_start")
    opportunity_update(actor=None, opportunity=later, data={"closes_on": timezone.localdate() + dt.timedelta(days=90)})
    body = client.get(reverse("opportunities:closing_soon")).content.decode()
    assert "Микрогранты" in body and ">Старт<" not in body


def test_staff_edit_verify_and_publish_with_an_audit_trail(catalogue: None) -> None:
    staff = UserFactory(role="staff")
    client = client_for(staff)
    draft = Opportunity.objects.get(external_id="it_accreditation_2025_changes")
    client.post(reverse("opportunities:status", args=[draft.pk]), {"status": "published"})
    client.post(reverse("opportunities:verify", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == "published"
    assert draft.verified_on == timezone.localdate()
    actions = set(AuditEvent.objects.filter(actor=staff).values_list("action", flat=True))
    assert actions == {"opportunities.status_changed", "opportunities.verified"}


def test_the_editor_refuses_inconsistent_figures(catalogue: None) -> None:
    client = client_for(UserFactory(role="staff"))
    start = Opportunity.objects.get(external_id="fsi_start")
    response = client.post(
        reverse("opportunities:edit", args=[start.pk]),
        {"kind": "grant", "title": "Старт", "external_id": "fsi_start", "provider_name": "ФСИ", "recurrence": "yearly",
         "amount_min": "5000000", "amount_max": "1000", "trl_min": 7, "trl_max": 3, "okved_prefixes": "62, abc"},
    )  # fmt: skip
    body = response.content.decode()
    assert "Максимальная сумма меньше минимальной" in body
    assert "Верхняя граница TRL меньше нижней" in body
    assert "abc" in body
    start.refresh_from_db()
    assert start.amount_max == Decimal(24_000_000)


@pytest.mark.parametrize("role", ["community", "member", "grantor", "expert"])
def test_only_staff_edit_the_catalogue(role: str, catalogue: None) -> None:
    client = client_for(UserFactory(role=role))
    start = Opportunity.objects.get(external_id="fsi_start")
    assert client.get(reverse("opportunities:edit", args=[start.pk])).status_code == 403
    assert client.post(reverse("opportunities:status", args=[start.pk]), {"status": "closed"}).status_code == 403
    start.refresh_from_db()
    assert start.status == "published"


def test_the_index_follows_changes_to_records(
    search_engine: str, catalogue: None, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    from projectoffice.matching.index import opportunity_engine

    start = Opportunity.objects.get(external_id="fsi_start")
    with django_capture_on_commit_callbacks(execute=True):
        opportunity_update(actor=None, opportunity=start, data={"title": "Старт: квантовые вычисления"})
    assert [hit.id for hit in opportunity_engine().search("квантовых вычислений")] == [start.pk]
    with django_capture_on_commit_callbacks(execute=True):
        opportunity_update(actor=None, opportunity=start, data={"status": "draft"})
    assert opportunity_engine().search("квантовых вычислений") == []


def test_sources_are_described_in_russian_and_dated_in_the_russian_format(client: Client, catalogue: None) -> None:
    with CATALOGUE.open(encoding="utf-8") as handle:
        kinds = {row["source_kind"] for row in csv.DictReader(handle)}
    assert kinds <= set(SOURCE_KINDS), f"describe in SOURCE_KINDS: {kinds - set(SOURCE_KINDS)}"
    for opportunity in Opportunity.objects.all():
        assert re.search("[а-яё]", opportunity.source_kind, re.I), opportunity.source_kind
        assert not re.search(r"\d{4}-\d{2}", opportunity.source_date_note), opportunity.source_date_note
    microgrants = Opportunity.objects.get(external_id="skolkovo_microgrants")
    body = client.get(reverse("opportunities:detail", args=[microgrants.pk])).content.decode()
    assert "14.09.2022" in body and "2022-09-14" not in body and "СМИ" in body
    assert Opportunity.objects.get(external_id="samara_it_mortgage_comp").source_date_note == "март 2022"
