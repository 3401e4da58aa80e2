"""The landscape of demand: public and anonymised (no enterprise name, INN, contact or text reaches the page, the
CSV or the JSON; small groups folded), the staff version with every group and the drill-down, constant queries."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from projectoffice.needs import landscape
from projectoffice.organisations.models import OrganisationKind
from tests.conftest import client_for
from tests.factories import OkvedFactory, OrganisationFactory, UserFactory
from tests.needs.ops_factories import IntakeRequestFactory, MunicipalityFactory, NeedFactory, SubjectFactory

pytestmark = pytest.mark.django_db

SECRET_BITS = ("ООО «Секретный завод»", "Секретзавод", "Иванова Мария Петровна", "ivanova@secret-zavod.example.invalid",
               "+7 846 999-99-99", "Нужна система диспетчеризации станков цеха №7")  # fmt: skip


def _world() -> dict[str, object]:
    okved = OkvedFactory(code="25.62", name="Обработка металлических изделий механическая")
    OkvedFactory(code="25", name="Производство готовых металлических изделий")
    plant = OrganisationFactory(kind=OrganisationKind.INDUSTRIAL, name=SECRET_BITS[0], short_name=SECRET_BITS[1],
                                main_okved=okved)  # fmt: skip
    request = IntakeRequestFactory(organisation=plant, contact_name=SECRET_BITS[2], contact_email=SECRET_BITS[3],
                                   contact_phone=SECRET_BITS[4], description=SECRET_BITS[5])  # fmt: skip
    mes, erp = SubjectFactory(name="MES и диспетчеризация"), SubjectFactory(name="Учёт и ERP")
    samara, rare = MunicipalityFactory(short_name="Самара"), MunicipalityFactory(short_name="Челно-Вершинский")
    for _ in range(4):
        NeedFactory(request=request, subject=mes, municipality=samara, description=SECRET_BITS[5])
    NeedFactory(request=request, subject=erp, municipality=rare, description=SECRET_BITS[5])  # a group of one
    return {"plant": plant, "mes": mes, "erp": erp, "samara": samara, "rare": rare}


def test_the_public_page_counts_by_subject_industry_municipality_and_month() -> None:
    _world()
    page = Client().get(reverse("needs:ops-landscape"))
    assert page.status_code == 200
    data = page.context["data"]
    assert data.total == 5
    assert [(g.label, g.count) for g in data.subjects] == [("Производство: MES и диспетчеризация", 4),
                                                          (landscape.OTHER, 1)]  # fmt: skip
    assert [(g.label, g.count) for g in data.municipalities] == [("Самара", 4), (landscape.OTHER, 1)]
    assert [(g.label, g.count) for g in data.industries] == [("25 Производство готовых металлических изделий", 5)]
    assert sum(g.count for g in data.months) == 5


def test_no_name_inn_contact_or_text_reaches_the_public_page_or_its_exports() -> None:
    world = _world()
    client = Client()
    page = client.get(reverse("needs:ops-landscape")).content.decode()
    csv = client.get(reverse("needs:ops-landscape") + "?format=csv").content.decode("utf-8-sig")
    raw = client.get(reverse("needs:ops-landscape") + "?format=json").content.decode()
    for text in (page, csv, raw):
        for secret in (*SECRET_BITS, world["plant"].inn, world["plant"].ogrn):
            assert secret not in text
    for text in (csv, raw):  # a group of one is folded («Прочие»); the page's filter still lists every place
        assert "Челно-Вершинский" not in text and "Учёт и ERP" not in text
    data = json.loads(raw)
    assert data["anonymised"] is True and data["total"] == 5
    assert "предмет;Производство: MES и диспетчеризация;4;0" in csv


def test_staff_see_every_group_and_drill_down_to_the_needs() -> None:
    world = _world()
    staff = client_for(UserFactory(role="staff"))
    page = staff.get(reverse("needs:ops-landscape-staff"))
    labels = [g.label for g in page.context["data"].municipalities]
    assert labels == ["Самара", "Челно-Вершинский"]
    drill = staff.get(reverse("needs:ops-landscape-needs") + f"?municipality={world['rare'].pk}")
    assert drill.status_code == 200 and drill.context["page"].paginator.count == 1
    assert str(world["plant"]) in drill.content.decode()
    data = json.loads(staff.get(reverse("needs:ops-landscape-staff") + "?format=json").content)
    assert data["anonymised"] is False and len(data["subjects"]) == 2


@pytest.mark.parametrize("role", ["expert", "member", "community"])
def test_the_staff_landscape_and_drill_down_are_closed_to_others(role: str) -> None:
    _world()
    client = client_for(UserFactory(role=role))
    assert client.get(reverse("needs:ops-landscape-staff")).status_code == 403
    assert client.get(reverse("needs:ops-landscape-needs")).status_code == 403
    assert Client().get(reverse("needs:ops-landscape-needs")).status_code == 302


def test_filters_narrow_the_landscape_and_bad_values_are_ignored() -> None:
    world = _world()
    client = Client()
    narrowed = client.get(reverse("needs:ops-landscape") + f"?subject={world['mes'].pk}&industry=25")
    assert narrowed.context["data"].total == 4
    junk = client.get(reverse("needs:ops-landscape") + "?from=2026-99&municipality=abc&industry=%27;drop")
    assert junk.status_code == 200 and junk.context["data"].total == 5


def test_the_public_page_takes_the_same_number_of_queries_for_more_needs(django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    _world()
    client = Client()
    client.get(reverse("needs:ops-landscape"))
    for _ in range(30):
        NeedFactory(subject=SubjectFactory(), municipality=MunicipalityFactory())
    with django_assert_max_num_queries(12):
        assert client.get(reverse("needs:ops-landscape")).status_code == 200
