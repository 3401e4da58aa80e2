"""Pages: the role matrix, bad input, the showcase in both languages and its contact form."""

from __future__ import annotations

import time

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from projectoffice.flagships.forms import STAMP_SALT
from projectoffice.flagships.models import Deal, Flagship, FunderProfile
from tests.conftest import client_for
from tests.factories import DealFactory, FunderProfileFactory, ProjectFactory, UserFactory, member_of
from tests.flagships.helpers import complete_materials, engage, flagship_with_partners

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def staff():  # type: ignore[no-untyped-def]
    return UserFactory(role="staff")


def test_the_office_and_the_grantor_see_the_portfolio_board_and_funders_others_do_not(staff) -> None:
    flagship = flagship_with_partners(staff)
    deal = DealFactory(project=flagship.project)
    funder = FunderProfileFactory()
    urls = ["/flagships/", f"/flagships/{flagship.pk}/", "/flagships/deals/", "/flagships/funders/",
            f"/flagships/funders/{funder.pk}/", f"/flagships/deals/{deal.pk}/"]  # fmt: skip
    for role in ("staff", "grantor"):
        client = client_for(UserFactory(role=role))
        for url in urls:
            assert client.get(url).status_code == 200, (role, url)
    outsider = client_for(member_of(ProjectFactory().lead_organisation))
    for url in urls[:-1]:
        assert outsider.get(url).status_code == 403, url
    assert outsider.get(urls[-1]).status_code == 404
    assert Client().get("/flagships/").status_code == 302


def test_a_member_of_the_lead_organisation_sees_its_deal_but_cannot_move_it(staff) -> None:
    flagship = flagship_with_partners(staff)
    deal = DealFactory(project=flagship.project)
    member = client_for(member_of(flagship.project.lead_organisation))
    assert member.get(f"/flagships/deals/{deal.pk}/").status_code == 200
    response = member.post(f"/flagships/deals/{deal.pk}/move/", {"to_stage": "intro_made", "on": TODAY.isoformat(),
                                                                  "expected_stage": "intro_requested"})  # fmt: skip
    assert response.status_code == 403
    deal.refresh_from_db()
    assert deal.stage == "intro_requested"


def test_the_grantor_cannot_mark_a_flagship_or_start_a_deal(staff) -> None:
    flagship = flagship_with_partners(staff)
    grantor = client_for(UserFactory(role="grantor"))
    project = ProjectFactory()
    assert grantor.post(f"/flagships/mark/{project.pk}/", {"target_classes": ["large_company"]}).status_code == 403
    response = grantor.post(
        f"/flagships/{flagship.pk}/deals/add/", {"funder_name": "X", "funder_class": "large_company"}
    )
    assert response.status_code == 403 and not Deal.objects.exists()


def test_staff_mark_a_flagship_and_move_a_deal_on_the_pages(staff) -> None:
    client = client_for(staff)
    project = ProjectFactory()
    response = client.post(f"/flagships/mark/{project.pk}/", {"target_classes": ["large_company", "interstate_fund"]})
    assert response.status_code == 302
    flagship = project.flagship
    assert flagship.target_classes == ["large_company", "interstate_fund"]
    client.post(f"/flagships/{flagship.pk}/deals/add/", {"funder_name": "ЕАБР", "funder_class": "interstate_fund"})
    deal = Deal.objects.get()
    client.post(f"/flagships/deals/{deal.pk}/move/", {"to_stage": "intro_made", "on": TODAY.isoformat(),
                                                      "expected_stage": "intro_requested"})  # fmt: skip
    deal.refresh_from_db()
    assert deal.stage == "intro_made"


def test_a_mark_without_classes_is_refused_with_a_clear_error(staff) -> None:
    project = ProjectFactory()
    response = client_for(staff).post(f"/flagships/mark/{project.pk}/", {"target_classes": []})
    assert response.status_code == 400 and "Обязательное поле" in response.content.decode()
    assert not Flagship.objects.exists()


def _showcased(staff):  # type: ignore[no-untyped-def]
    flagship = flagship_with_partners(staff, showcase=True)
    complete_materials(staff, flagship, english=True)
    return flagship


def test_the_showcase_shows_teasers_in_russian_and_in_english(staff) -> None:
    flagship = _showcased(staff)
    hidden = flagship_with_partners(staff)
    complete_materials(staff, hidden, english=True)
    ru = Client().get("/showcase/").content.decode()
    en = Client().get("/en/showcase/").content.decode()
    assert '<html lang="ru">' in ru and "Цифровой двойник насосной станции" in ru
    assert '<html lang="en">' in en and "Digital twin of a pumping station" in en
    assert "Flagship projects of the Samara Region" in en and "Request an introduction" not in en
    assert ru.count("showcase-card") == 1  # the project not opted in is not shown
    detail = Client().get(f"/en/showcase/{flagship.pk}/").content.decode()
    assert "Request an introduction" in detail and "Your name" in detail
    assert Client().get(f"/showcase/{hidden.pk}/").status_code == 404


def _post(flagship, lang: str = "en", **extra):  # type: ignore[no-untyped-def]
    data = {"name": "John Smith", "organisation": "Acme GmbH", "email": "john@acme.example",
            "funder_class": "foreign_business", "message": "We would like to meet the team.",
            "started": signing.dumps(time.time() - 60, salt=STAMP_SALT), **extra}  # fmt: skip
    prefix = "/en" if lang == "en" else ""
    return Client().post(f"{prefix}/showcase/{flagship.pk}/", data)


def test_the_contact_form_creates_an_intro_request_for_the_office(staff) -> None:
    flagship = _showcased(staff)
    response = _post(flagship)
    assert response.status_code == 200 and 'id="sent"' in response.content.decode()
    deal = Deal.objects.get()
    assert (deal.stage, deal.source, deal.funder_name, deal.representative_email) == (
        "intro_requested",
        "showcase",
        "Acme GmbH",
        "john@acme.example",
    )


def test_the_contact_form_refuses_bots_and_bad_input_and_stores_nothing(staff) -> None:
    flagship = _showcased(staff)
    assert _post(flagship, website="http://spam").status_code == 400
    assert _post(flagship, started=signing.dumps(time.time(), salt=STAMP_SALT)).status_code == 400
    response = _post(flagship, email="not-an-address")
    assert response.status_code == 400 and "valid email" in response.content.decode()
    assert _post(flagship, lang="ru", funder_class="bank").status_code == 400
    assert not Deal.objects.exists()


def test_the_contact_form_is_rate_limited_per_address(staff, settings) -> None:
    settings.REGISTRATION_RATE_LIMIT = 2
    flagship = _showcased(staff)
    assert [_post(flagship).status_code for _ in range(3)] == [200, 200, 429]
    assert Deal.objects.count() == 2


def test_the_portfolio_page_keeps_a_constant_number_of_queries(staff, django_assert_max_num_queries) -> None:
    client = client_for(staff)
    engage(staff, flagship_with_partners(staff), TODAY)
    client.get("/flagships/")
    with django_assert_max_num_queries(30) as first:
        client.get("/flagships/")
    for _ in range(3):
        engage(staff, flagship_with_partners(staff), TODAY)
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.get("/flagships/").status_code == 200


def test_a_funder_with_reversed_ticket_and_trl_ranges_gets_russian_field_errors_and_nothing_is_stored(staff) -> None:
    response = client_for(staff).post(
        "/flagships/funders/new/",
        {"name": "Фонд", "funder_class": "large_company", "ticket_min": "5000000", "ticket_max": "1000000",
         "trl_min": "7", "trl_max": "3", "geography": "Россия"},
    )  # fmt: skip
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["ticket_max"] == ["Верхняя граница чека меньше нижней."]
    assert form.errors["trl_max"] == ["Верхняя граница TRL меньше нижней."]
    assert "Нарушено ограничение" not in response.content.decode()
    assert not FunderProfile.objects.exists()


def test_the_funder_and_deal_forms_show_a_russian_empty_choice(staff) -> None:
    client = client_for(staff)
    deal = DealFactory()
    for url in ("/flagships/funders/new/", f"/flagships/deals/{deal.pk}/"):
        body = client.get(url).content.decode()
        assert "---------" not in body, url
        assert "— не указано —" in body, url


def test_the_english_link_is_shown_only_when_the_project_has_a_whole_english_teaser(staff) -> None:
    flagship = flagship_with_partners(staff, showcase=True)
    complete_materials(staff, flagship)  # Russian only
    english = f"/en/showcase/{flagship.pk}/"
    assert Client().get(english).status_code == 404
    assert english not in Client().get(f"/showcase/{flagship.pk}/").content.decode()
    assert english not in client_for(staff).get(f"/flagships/{flagship.pk}/").content.decode()
    complete_materials(staff, flagship, english=True)
    assert Client().get(english).status_code == 200
    assert english in Client().get(f"/showcase/{flagship.pk}/").content.decode()
    assert english in client_for(staff).get(f"/flagships/{flagship.pk}/").content.decode()
