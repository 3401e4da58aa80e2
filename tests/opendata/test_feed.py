"""The discovery feed: staff only, filters, confirm (with sources and an invitation), merge, ignore, XLSX."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core import mail
from openpyxl import load_workbook

from projectoffice.accounts.models import Membership
from projectoffice.opendata.imports import Options, run_import
from projectoffice.opendata.models import Company
from projectoffice.organisations.models import Organisation
from tests.conftest import client_for
from tests.factories import OkvedFactory, OrganisationFactory, RegionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(fns_data: Path) -> None:
    RegionFactory()
    RegionFactory(iso_code="RU-YAN", name="Ямало-Ненецкий", name_with_type="Ямало-Ненецкий АО", tax_code="89")
    OkvedFactory(code="62.02", name="Деятельность консультативная и работы в области компьютерных технологий")
    run_import("sme", [fns_data / "fns-rsmp" / "rsmp-v4.01-2019-excerpt.xml"],
               options=Options(region_codes=frozenset({"89"})))  # fmt: skip


@pytest.mark.parametrize("role", ["grantor", "expert", "member", "community"])
def test_only_the_office_opens_the_feed_and_its_export(imported: None, role: str) -> None:
    client = client_for(UserFactory(role=role))
    assert client.get("/opendata/").status_code == 403
    assert client.get("/opendata/export.xlsx").status_code == 403
    company = Company.objects.get(inn="8901037353")
    assert client.post(f"/opendata/companies/{company.pk}/confirm/", {"kind": ""}).status_code == 403
    assert not Organisation.objects.filter(inn="8901037353").exists()


def test_the_feed_filters_by_kind_okved_and_municipality(imported: None, staff_client) -> None:  # type: ignore[no-untyped-def]
    page = staff_client.get("/opendata/?kind=it_company&municipality=Лабытнанги").content.decode()
    assert "ООО &quot;СКАЙНЕТ&quot;" in page
    assert "ЭНЕРГОПРОМНАЛАДКА" not in page
    page = staff_client.get("/opendata/?okved=33").content.decode()
    assert "ЭНЕРГОПРОМНАЛАДКА" in page and "СКАЙНЕТ" not in page


def test_confirming_makes_the_card_with_sources_and_invites_the_company(imported: None, staff_client) -> None:  # type: ignore[no-untyped-def]
    company = Company.objects.get(inn="8901037353")
    answer = staff_client.post(
        f"/opendata/companies/{company.pk}/confirm/", {"kind": "", "email": "ceo@skynet.example"}
    )
    card = Organisation.objects.get(inn="8901037353")
    assert answer.status_code == 302 and answer["Location"] == f"/organisations/{card.pk}/"
    assert (card.kind, card.short_name, card.main_okved.code, card.region.tax_code) == (
        "it_company", 'ООО "СКАЙНЕТ"', "62.02", "89",
    )  # fmt: skip
    page = staff_client.get(f"/organisations/{card.pk}/").content.decode()
    assert page.count("ФНС, реестр МСП на 10.02.2019") >= 3
    assert mail.outbox[0].to == ["ceo@skynet.example"]
    link = re.search(r"http://testserver(/opendata/join/\S+/)", mail.outbox[0].body).group(1)  # type: ignore[union-attr]
    client = client_for(UserFactory(role="community"))
    client.logout()
    answer = client.post(link, {"first_name": "Иван", "last_name": "Петров", "username": "ivan",
                                "password": "long-enough-password"})  # fmt: skip
    assert answer.status_code == 302
    assert Membership.objects.get(user__username="ivan").organisation_id == card.pk


def test_a_forged_invitation_link_is_refused(imported: None, client) -> None:  # type: ignore[no-untyped-def]
    answer = client.get("/opendata/join/forged-token/")
    assert answer.status_code == 400
    assert "повреждена" in answer.content.decode()


def test_merging_links_the_company_to_an_existing_card_and_ignoring_hides_it(imported: None, staff_client) -> None:  # type: ignore[no-untyped-def]
    card = OrganisationFactory(name="Карточка офиса")
    company = Company.objects.get(inn="8901037353")
    staff_client.post(f"/opendata/companies/{company.pk}/merge/", {"inn": card.inn})
    company.refresh_from_db()
    assert (company.status, company.organisation_id) == ("merged", card.pk)
    other = Company.objects.get(inn="8901027411")
    staff_client.post(f"/opendata/companies/{other.pk}/ignore/")
    assert "ЭНЕРГОПРОМНАЛАДКА" not in staff_client.get("/opendata/").content.decode()


def test_merging_with_an_unknown_inn_says_so_and_changes_nothing(imported: None, staff_client) -> None:  # type: ignore[no-untyped-def]
    company = Company.objects.get(inn="8901037353")
    answer = staff_client.post(f"/opendata/companies/{company.pk}/merge/", {"inn": "0000000000"}, follow=True)
    assert "В реестре нет организации с таким ИНН" in answer.content.decode()
    company.refresh_from_db()
    assert (company.status, company.organisation_id) == ("new", None)


def test_the_export_has_typed_cells(imported: None, staff_client) -> None:  # type: ignore[no-untyped-def]
    answer = staff_client.get("/opendata/export.xlsx?kind=it_company")
    sheet = load_workbook(io.BytesIO(answer.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("ИНН", "ОГРН", "Наименование")
    assert len(rows) == 5
    assert sheet.cell(2, 9).number_format == "DD.MM.YYYY"
    assert sheet.cell(2, 9).value.year == 2019


def test_staff_import_a_file_from_the_page_and_see_each_files_verdict(
    fns_data: Path, staff_client, settings, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path  # uploads go through the storage API, so any worker can read them
    with (fns_data / "fns-paytax" / "paytax-2017-excerpt.xml").open("rb") as handle:
        answer = staff_client.post("/opendata/imports/", {"dataset": "taxes", "file": handle})
    assert answer.status_code == 302
    page = staff_client.get(answer["Location"]).content.decode()
    assert "Уплаченные налоги: документов 3, новых 1" in page
    assert "paytax-2017-excerpt.xml" in page  # the file's own name in its verdict
    assert [
        p for p in (tmp_path / "fns-uploads").rglob("*") if p.is_file()
    ] == []  # gone from the storage once imported
