"""The FNS importers on the real samples of both format versions: region and kind filters, legal entities only,
idempotency, the office's edits kept, sources shown, income never called revenue, broken files reported."""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from projectoffice.opendata.imports import Options, run_import
from projectoffice.opendata.models import Company, FieldSource, YearFigure
from projectoffice.organisations import services as organisation_services
from tests.factories import OkvedFactory, OrganisationFactory, UserFactory, valid_ogrn
from tests.opendata.conftest import DATA

pytestmark = pytest.mark.django_db
EXCERPT_401 = "fns-rsmp/rsmp-v4.01-2019-excerpt.xml"
EXCERPT_404 = "fns-rsmp/rsmp-v4.04-2023-excerpt-ip-only.xml"


def _sme(fns_data: Path, *names: str, **options: object) -> object:
    return run_import("sme", [fns_data / n for n in names], options=Options(region_codes=frozenset({"89"}), **options))


def test_the_sme_registry_of_version_4_01_keeps_the_regions_it_and_industrial_legal_entities(fns_data: Path) -> None:
    run = _sme(fns_data, EXCERPT_401)
    companies = {c.inn: c for c in Company.objects.all()}
    assert sorted(companies) == [
        "8901026954", "8901026986", "8901027411", "8901030728", "8901034320", "8901036832", "8901036896", "8901037353",
    ]  # fmt: skip
    assert companies["8901037353"].kind == "it_company"
    assert companies["8901037353"].main_okved == "62.02"
    assert companies["8901037353"].municipality == "Лабытнанги"
    assert companies["8901027411"].kind == "industrial"
    assert run.files[0]["version"] == "4.01"
    assert run.files[0]["documents"] == 18
    assert (run.files[0]["skipped_individuals"], run.files[0]["skipped_region"]) == (1, 1)  # one in region 78
    assert run.created == 8


def test_other_kinds_are_kept_only_when_asked(fns_data: Path) -> None:
    _sme(fns_data, EXCERPT_401, all_kinds=True)
    assert Company.objects.count() == 16  # every legal entity of region 89
    assert Company.objects.get(inn="8901037297").kind == ""  # construction: no kind of the registry


def test_individual_entrepreneurs_of_version_4_04_are_left_out_by_default(fns_data: Path) -> None:
    run = run_import("sme", [fns_data / EXCERPT_404], options=Options(region_codes=frozenset({"94"})))
    assert run.files[0]["version"] == "4.04"
    assert run.files[0]["skipped_individuals"] == 5
    assert Company.objects.count() == 0


def test_individual_entrepreneurs_are_imported_only_with_the_setting_and_never_become_public_cards(
    fns_data: Path,
) -> None:
    run_import("sme", [fns_data / EXCERPT_404], options=Options(region_codes=frozenset({"94"}), individuals=True,
                                                                 all_kinds=True))  # fmt: skip
    entrepreneur = Company.objects.get(inn="941000024155")
    assert entrepreneur.individual is True
    assert entrepreneur.ogrn == "322940100061930"
    from projectoffice.opendata.services import company_confirm

    with pytest.raises(Exception, match="Индивидуальные предприниматели"):
        company_confirm(actor=UserFactory(role="staff"), company=entrepreneur, kind="it_company")


def test_the_published_zips_are_read_member_by_member(fns_data: Path) -> None:
    run = run_import("sme", [fns_data / "orig-zips" / "data-test-sme-1.zip"],
                     options=Options(region_codes=frozenset({"52"})))  # fmt: skip
    assert [f["documents"] for f in run.files] == [900, 900, 900]
    assert run.documents == 2700
    assert Company.objects.filter(region_code="52").count() == run.created > 0


def test_importing_the_same_file_again_changes_nothing(fns_data: Path) -> None:
    card = OrganisationFactory(inn="8901037353", name="Скайнет", short_name="", ogrn="", main_okved=None)
    _sme(fns_data, EXCERPT_401)
    card.refresh_from_db()
    sources = list(FieldSource.objects.values_list("field", "source", "value"))
    again = _sme(fns_data, EXCERPT_401)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 8)
    assert list(FieldSource.objects.values_list("field", "source", "value")) == sources
    card.refresh_from_db()
    assert card.short_name == 'ООО "СКАЙНЕТ"'


def test_an_existing_card_gets_empty_fields_with_their_source_and_keeps_the_offices_values(fns_data: Path) -> None:
    OkvedFactory(code="62.02", name="Деятельность консультативная")
    card = OrganisationFactory(inn="8901037353", name="Скайнет (название офиса)", short_name="", ogrn="",
                               main_okved=None)  # fmt: skip
    _sme(fns_data, EXCERPT_401)
    card.refresh_from_db()
    assert card.name == "Скайнет (название офиса)"  # typed by the office: never overwritten
    assert card.short_name == 'ООО "СКАЙНЕТ"'
    assert card.main_okved.code == "62.02"
    assert FieldSource.objects.get(organisation=card, field="short_name").source == "ФНС, реестр МСП на 10.02.2019"
    assert not FieldSource.objects.filter(organisation=card, field="name").exists()


def test_a_value_the_office_edits_after_the_import_is_not_overwritten_by_the_next_one(fns_data: Path) -> None:
    card = OrganisationFactory(inn="8901037353", name="x", short_name="", ogrn="", main_okved=None)
    _sme(fns_data, EXCERPT_401)
    organisation_services.organisation_update(actor=None, organisation=card, data={"short_name": "Скайнет"})
    run = _sme(fns_data, EXCERPT_401)
    card.refresh_from_db()
    assert card.short_name == "Скайнет"
    assert sum(f["kept_office"] for f in run.files) >= 1


def test_the_card_page_shows_each_imported_value_with_its_source(fns_data: Path, staff_client) -> None:  # type: ignore[no-untyped-def]
    card = OrganisationFactory(inn="8901037353", name="x", short_name="", ogrn="", main_okved=None)
    _sme(fns_data, EXCERPT_401)
    page = staff_client.get(f"/organisations/{card.pk}/").content.decode()
    assert '<h1>ООО &quot;СКАЙНЕТ&quot;</h1> <small class="source">ФНС, реестр МСП на 10.02.2019</small>' in page
    assert "Открытые данные ФНС" in page


def test_income_is_a_yearly_figure_called_income_never_revenue(fns_data: Path, staff_client) -> None:  # type: ignore[no-untyped-def]
    run = run_import("income", [fns_data / "orig-zips" / "data-test-revexp-2.zip"],
                     options=Options(region_codes=frozenset({"78"})))  # fmt: skip
    assert run.created == 55 + 35 + 58
    figure = YearFigure.objects.get(inn="7816745875", measure="expenses")
    assert (figure.year, figure.value) == (2023, Decimal("21000.00"))
    assert figure.source == "ФНС, доходы и расходы за 2023 г."
    card = OrganisationFactory(inn="7816745875")
    page = staff_client.get(f"/organisations/{card.pk}/").content.decode()
    fns = page[page.index('id="fns"') :]
    assert "Доходы, руб." in fns
    assert "выручк" not in fns.split("не выручка")[0].lower()
    assert card.figures.count() == 0  # income never goes into the card's revenue


def test_headcount_goes_into_the_cards_yearly_figures_with_its_source(fns_data: Path) -> None:
    card = OrganisationFactory(inn="7842219269")
    run_import("headcount", [fns_data / "orig-zips" / "data-test-empl-2.zip"],
               options=Options(region_codes=frozenset({"78"})))  # fmt: skip
    figures = card.figures.get(year=2023)
    assert figures.headcount == 24
    assert figures.revenue is None
    assert FieldSource.objects.get(organisation=card, field="headcount.2023").source == (
        "ФНС, среднесписочная численность за 2023 г."
    )


def test_taxes_paid_are_summed_per_company_of_the_region_by_its_inn(fns_data: Path) -> None:
    run_import("taxes", [fns_data / "fns-paytax"], options=Options(region_codes=frozenset({"63"})))
    figure = YearFigure.objects.get(inn="6321167860")
    assert (figure.measure, figure.year, figure.value) == ("taxes", 2017, Decimal("47545.00"))


def test_a_truncated_file_is_reported_with_its_position_while_the_next_file_is_read(
    fns_data: Path, tmp_path: Path
) -> None:
    text = (fns_data / EXCERPT_401).read_bytes()
    cut = tmp_path / "a-cut.xml"
    cut.write_bytes(text[: len(text) // 2])
    broken = tmp_path / "b-broken.xml"
    broken.write_bytes(text.replace(b"</\xd0\x94\xd0\xbe\xd0\xba\xd1\x83\xd0\xbc\xd0\xb5\xd0\xbd\xd1\x82>", b"</x>", 1))
    whole = tmp_path / "c-whole.xml"
    whole.write_bytes(text)
    run = run_import("sme", [tmp_path], options=Options(region_codes=frozenset({"89"})))
    verdicts = {f["name"]: f for f in run.files}
    assert "строка" in verdicts["a-cut.xml"]["error"] and "столбец" in verdicts["a-cut.xml"]["error"]
    assert verdicts["a-cut.xml"]["documents"] > 0
    assert "строка 3" in verdicts["b-broken.xml"]["error"]
    assert verdicts["c-whole.xml"]["error"] == ""
    assert verdicts["c-whole.xml"]["documents"] == 18
    assert Company.objects.count() == 8


def test_a_file_with_an_entity_declaration_or_a_damaged_zip_is_refused(tmp_path: Path) -> None:
    (tmp_path / "bomb.xml").write_text(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><Файл ТипИнф="РЕЕСТРМСП" ВерсФорм="4.05"></Файл>',
        encoding="utf-8",
    )
    (tmp_path / "damaged.zip").write_bytes(b"PK\x03\x04 not really a zip")
    run = run_import("sme", [tmp_path])
    errors = {f["name"]: f["error"] for f in run.files}
    assert "DTD" in errors["bomb.xml"]
    assert "архив повреждён" in errors["damaged.zip"]


def test_the_command_prints_a_russian_summary_and_fails_when_a_file_was_not_read(
    fns_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("import_fns_sme", str(fns_data / EXCERPT_401), "--region", "89")
    out = capsys.readouterr().out
    assert "Реестр МСП: документов 18, новых 8" in out
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("x.xml", "<Файл ТипИнф='РЕЕСТРМСП'><Документ")
    with pytest.raises(CommandError, match="не все файлы прочитаны"):
        call_command("import_fns_sme", str(bad), "--region", "89")


def test_a_company_that_grew_sharply_or_changed_category_shows_what_changed(fns_data: Path) -> None:
    _sme(fns_data, EXCERPT_401)
    Company.objects.filter(inn="8901037353").update(category="small", sme_as_of="2019-01-10")
    _sme(fns_data, EXCERPT_401)
    company = Company.objects.get(inn="8901037353")
    assert (company.change, company.change_note) == ("category", "Малое предприятие → Микропредприятие")


def test_a_whole_dump_marks_the_companies_it_no_longer_lists_as_left(fns_data: Path) -> None:
    Company.objects.create(inn="8901000000", name="Ушедшая", kind="it_company", in_sme_registry=True,
                           sme_as_of="2019-01-10", region_code="89")  # fmt: skip
    _sme(fns_data, EXCERPT_401, full_dump=True)
    assert Company.objects.get(inn="8901000000").change == "left"
    assert valid_ogrn(1)


def test_a_headcount_grown_sharply_since_the_year_before_shows_as_the_change(tmp_path: Path) -> None:
    Company.objects.create(inn="7842219269", name="Констел", kind="it_company", in_sme_registry=True)
    YearFigure.objects.create(inn="7842219269", year=2022, measure="headcount", value=10,
                              as_of=dt.date(2022, 12, 31), source="ФНС")  # fmt: skip
    run_import(
        "headcount", [DATA / "orig-zips" / "data-test-empl-2.zip"], options=Options(region_codes=frozenset({"78"}))
    )
    company = Company.objects.get(inn="7842219269")
    assert (company.change, company.change_note) == ("headcount", "10 → 24 чел. (2022 → 2023)")
