"""The registry reads in the order of the names it shows, and every sortable column sorts with the filters kept."""

import datetime as dt
import html
import re
from typing import Any

import pytest
from django.urls import reverse

from projectoffice.organisations.models import Organisation
from tests.conftest import client_for
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

ROW_NAME = re.compile(r'<td data-label="Организация"><a href="/organisations/\d+/">([^<]+)</a>')


def _names(client, **params: str) -> list[str]:  # type: ignore[no-untyped-def]
    body = client.get(reverse("organisations:list"), params).content.decode()
    return [html.unescape(name) for name in ROW_NAME.findall(body)]


@pytest.fixture
def registry() -> dict[str, Any]:
    rows = {
        "Яхонт": OrganisationFactory(name="АО «Яхонт»", short_name="Яхонт", kind="industrial",
                                     founded_on=dt.date(2001, 5, 1)),
        "Альфа": OrganisationFactory(name="ООО «Альфа»", short_name="Альфа", kind="it_company",
                                     founded_on=dt.date(2019, 2, 1)),
        "ЗАО «Берег»": OrganisationFactory(name="ЗАО «Берег»", short_name="", kind="investor", founded_on=None),
        "Дельта": OrganisationFactory(name="АНО «Дельта»", short_name="Дельта", kind="it_company",
                                      founded_on=dt.date(2010, 1, 1)),
    }  # fmt: skip
    Organisation.objects.filter(pk=rows["Яхонт"].pk).update(size_category="large")
    Organisation.objects.filter(pk=rows["Альфа"].pk).update(size_category="micro")
    Organisation.objects.filter(pk=rows["Дельта"].pk).update(size_category="small")
    return rows


def test_the_registry_is_in_the_order_of_the_names_it_shows_not_of_legal_names(registry) -> None:  # type: ignore[no-untyped-def]
    client = client_for(UserFactory(role="community"))
    # by legal name it would be АНО «Дельта», АО «Яхонт», ЗАО «Берег», ООО «Альфа»: random to the reader
    assert _names(client) == ["Альфа", "Дельта", "ЗАО «Берег»", "Яхонт"]


def test_each_column_sorts_both_ways_and_rows_without_a_value_come_last(registry) -> None:  # type: ignore[no-untyped-def]
    client = client_for(UserFactory(role="community"))
    assert _names(client, sort="-name") == ["Яхонт", "ЗАО «Берег»", "Дельта", "Альфа"]
    assert _names(client, sort="founded") == ["Яхонт", "Дельта", "Альфа", "ЗАО «Берег»"]
    assert _names(client, sort="-founded") == ["Альфа", "Дельта", "Яхонт", "ЗАО «Берег»"]
    assert _names(client, sort="size") == ["Альфа", "Дельта", "Яхонт", "ЗАО «Берег»"]  # micro, small, large, none
    assert _names(client, sort="-size") == ["Яхонт", "Дельта", "Альфа", "ЗАО «Берег»"]
    kinds = _names(client, sort="kind")  # by the kind's Russian label: ИТ-компания, Инвестор…, Промышленное…
    assert kinds == ["Альфа", "Дельта", "ЗАО «Берег»", "Яхонт"]


def test_sorting_keeps_the_filters_and_the_links_sort_the_other_way(registry) -> None:  # type: ignore[no-untyped-def]
    client = client_for(UserFactory(role="community"))
    assert _names(client, kind="it_company", sort="-founded") == ["Альфа", "Дельта"]
    body = client.get(reverse("organisations:list"), {"kind": "it_company", "sort": "founded", "page": "1"},
                      HTTP_HX_REQUEST="true").content.decode()  # fmt: skip
    founded = re.search(r'<th aria-sort="ascending"><a class="sort" href="([^"]+)"', body)
    assert founded and "kind=it_company" in html.unescape(founded.group(1))
    assert "sort=-founded" in founded.group(1) and "page=" not in founded.group(1)
    assert 'hx-get="' in body and 'name="sort" value="founded" form="registry-filters"' in body


def test_an_unknown_sort_falls_back_to_names_without_dropping_the_filters(registry) -> None:  # type: ignore[no-untyped-def]
    client = client_for(UserFactory(role="community"))
    assert _names(client, kind="it_company", sort="inn; drop") == ["Альфа", "Дельта"]
    assert _names(client, kind="it_company", sort="--founded") == ["Альфа", "Дельта"]
