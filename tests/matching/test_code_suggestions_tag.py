"""The auto-coder's codes on the pages of projects and of tenders without OKPD2 codes (apps below matching, which
load the tag instead of importing the coder)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from projectoffice.opportunities.models import Tender, TenderItem
from tests.conftest import client_for
from tests.factories import OpportunityFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db

PANEL = "Коды ОКПД2 и ОКВЭД2 по описанию"


def test_a_project_page_suggests_codes_for_the_project_description() -> None:
    project = ProjectFactory(title="Разработка программного обеспечения", summary="Системы видеоаналитики")
    page = client_for(UserFactory(role="staff")).get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert PANEL in page and "<code>" in page.split(PANEL, 1)[1]


def test_a_tender_page_suggests_codes_only_while_its_items_have_none() -> None:
    opportunity = OpportunityFactory(kind="tender", title="Поставка программного обеспечения")
    tender = Tender.objects.create(opportunity=opportunity, registry_number="0142200001326000001")
    item = TenderItem.objects.create(tender=tender, name="Лицензия на программное обеспечение")
    client = client_for(UserFactory(role="staff"))
    url = reverse("opportunities:detail", args=[opportunity.pk])
    assert PANEL in client.get(url).content.decode()
    TenderItem.objects.filter(pk=item.pk).update(okpd2_code="58.29.29.000")
    assert PANEL not in client.get(url).content.decode()
