"""Funders' channels in the catalogue: loaded with their sources, on hold and sanctions never open, stale warnings."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from projectoffice.matching.ranking import match_opportunities
from projectoffice.opportunities.funders import COLUMNS, FUNDERS, load_funders
from projectoffice.opportunities.models import Opportunity, OpportunityKind, OpportunityStatus
from tests.factories import OpportunityFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_all_forty_channels_load_with_source_quote_and_date_and_a_second_load_changes_nothing() -> None:
    first = load_funders()
    second = load_funders()
    assert (first.created, second.created, second.updated, second.unchanged) == (40, 0, 0, 40)
    channels = Opportunity.objects.exclude(channel_category="")
    assert channels.count() == 40
    for channel in channels:
        assert channel.source_url.startswith("http") and channel.source_quote and channel.source_date_note


def test_the_shipped_file_is_the_compiled_one() -> None:
    shared = Path("/work/shared/data/funders/funders_compiled.csv")
    if shared.exists():
        assert FUNDERS.read_bytes() == shared.read_bytes()


def test_on_hold_and_sanctioned_channels_are_suspended_with_their_reason_never_open() -> None:
    load_funders()
    suspended = dict(
        Opportunity.objects.filter(status=OpportunityStatus.SUSPENDED).values_list("external_id", "suspension_reason")
    )
    assert set(suspended) == {"ndb_brics_russia_hold_2022", "iib_relocation_sanctions_2023", "ndb_brics_russia_2018"}
    assert "приостановлены" in suspended["ndb_brics_russia_hold_2022"]
    assert "невозможны" in suspended["iib_relocation_sanctions_2023"]
    assert not Opportunity.objects.published().filter(external_id__in=suspended).exists()


def test_a_channel_taking_proposals_any_time_is_its_own_kind_without_deadline_and_stale_until_verified() -> None:
    load_funders()
    gazprom = Opportunity.objects.get(external_id="gazprom_rnd_program_open_call")
    assert gazprom.kind == OpportunityKind.ROLLING and gazprom.closes_on is None
    assert gazprom.is_stale()  # never checked by the office
    today = timezone.localdate()
    gazprom.verified_on = today - dt.timedelta(days=30)
    assert not gazprom.is_stale(today)
    gazprom.verified_on = today - dt.timedelta(days=200)
    assert gazprom.is_stale(today)


def test_a_channel_with_a_deadline_is_never_stale() -> None:
    assert not OpportunityFactory(verified_on=None).is_stale()


def test_the_detail_page_warns_about_a_stale_rolling_channel_and_shows_a_suspended_one_as_such(client) -> None:
    load_funders()
    rolling = Opportunity.objects.get(external_id="edb_investment_financing")
    page = client.get(f"/opportunities/{rolling.pk}/").content.decode()
    assert 'id="stale"' in page and "в любое время" in page
    held = Opportunity.objects.get(external_id="iib_relocation_sanctions_2023")
    page = client.get(f"/opportunities/{held.pk}/").content.decode()
    assert 'id="suspension"' in page and 'id="stale"' not in page


def test_a_verified_row_is_left_as_the_office_keeps_it(tmp_path) -> None:
    load_funders()
    row = Opportunity.objects.get(external_id="sber_sber500_accelerator")
    Opportunity.objects.filter(pk=row.pk).update(title="Исправлено офисом", verified_on=timezone.localdate())
    load_funders()
    assert Opportunity.objects.get(pk=row.pk).title == "Исправлено офисом"


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_a_row_without_a_source_is_refused_and_nothing_is_stored(tmp_path) -> None:
    with FUNDERS.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))[:3]
    rows[2]["source_url"] = ""
    with pytest.raises(ValidationError, match="source_url"):
        load_funders(_write(tmp_path / "bad.csv", rows))
    assert not Opportunity.objects.exists()


def test_the_command_reports_a_malformed_file_and_changes_nothing(tmp_path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("id,title\nx,y\n", encoding="utf-8")
    with pytest.raises(CommandError, match="данные не изменены"):
        call_command("load_funders", str(bad))
    assert not Opportunity.objects.exists()


def test_matching_never_offers_a_suspended_channel() -> None:
    load_funders()
    project = ProjectFactory(title="Финансирование проекта банком развития", summary="заём на проектное финансирование")
    UserFactory(role="staff")
    offered = {
        m.opportunity.external_id
        for m in match_opportunities(organisation=project.lead_organisation, project=project, limit=100)
    }
    assert not offered & {"ndb_brics_russia_hold_2022", "iib_relocation_sanctions_2023", "ndb_brics_russia_2018"}


def test_the_catalogue_knows_the_same_funder_classes_as_the_materials() -> None:
    from projectoffice.materials.funder_classes import FunderClass
    from projectoffice.opportunities.models import FUNDER_CLASS_CHOICES

    assert [(code, str(label)) for code, label in FunderClass.choices] == FUNDER_CLASS_CHOICES
