import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projectoffice.audit.models import AuditEvent
from projectoffice.organisations.models import Organisation
from tests.conftest import client_for
from tests.factories import (
    OkvedFactory,
    OrganisationFactory,
    RegionFactory,
    TagFactory,
    UserFactory,
    member_of,
    valid_inn,
)

pytestmark = pytest.mark.django_db


def _form(**overrides: str) -> dict[str, str]:
    region = RegionFactory()
    OkvedFactory()
    data = {
        "kind": "it_company",
        "name": "ООО «Новая компания»",
        "inn": "7736207543",
        "ogrn": "1027700229193",
        "region": str(region.pk),
        "main_okved": "62.01",
        "extra_okveds": "",
        "technologies": "Python, машинное обучение",
        "competencies": "",
    }
    data.update(overrides)
    return data


def test_staff_creates_organisation_with_tags_and_audit_record(staff_client: Client) -> None:
    response = staff_client.post(reverse("organisations:create"), _form())
    organisation = Organisation.objects.get(inn="7736207543")
    assert response.status_code == 302
    assert sorted(t.name for t in organisation.technologies.all()) == ["Python", "машинное обучение"]
    event = AuditEvent.objects.get(action="organisations.created")
    assert event.changes["inn"] == {"before": None, "after": "7736207543"}


def test_bad_inn_shows_the_error_and_stores_nothing(staff_client: Client) -> None:
    response = staff_client.post(reverse("organisations:create"), _form(inn="7736207544"))
    assert response.status_code == 200
    assert "Неверная контрольная сумма ИНН" in response.content.decode()
    assert not Organisation.objects.exists()


def test_bad_ogrn_is_refused(staff_client: Client) -> None:
    response = staff_client.post(reverse("organisations:create"), _form(ogrn="1027700229194"))
    assert "контрольная цифра ОГРН" in response.content.decode()
    assert not Organisation.objects.exists()


def test_duplicate_inn_is_refused_and_the_first_record_stays(staff_client: Client) -> None:
    existing = OrganisationFactory(inn="7736207543", name="Первая")
    response = staff_client.post(reverse("organisations:create"), _form(ogrn=""))
    assert response.status_code == 200
    assert "ИНН" in response.content.decode()
    assert Organisation.objects.get().name == existing.name


def test_unknown_okved_code_is_refused(staff_client: Client) -> None:
    response = staff_client.post(
        reverse("organisations:create"), _form(main_okved="99.99", extra_okveds="62.01, 00.00")
    )
    body = response.content.decode()
    assert "Код «99.99» не найден" in body
    assert "00.00" in body
    assert not Organisation.objects.exists()


def test_html_in_text_fields_is_escaped_on_the_page(staff_client: Client) -> None:
    staff_client.post(reverse("organisations:create"), _form(name="<script>alert(1)</script>", description="<b>x</b>"))
    organisation = Organisation.objects.get()
    body = staff_client.get(reverse("organisations:detail", args=[organisation.pk])).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<b>x</b>" not in body


def test_forged_post_without_csrf_token_is_refused(db) -> None:  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(role="staff"))
    response = client.post(reverse("organisations:create"), _form())
    assert response.status_code == 403
    assert "Форма устарела" in response.content.decode()
    assert not Organisation.objects.exists()


def test_member_edits_own_organisation(db) -> None:  # type: ignore[no-untyped-def]
    organisation = OrganisationFactory()
    client = client_for(member_of(organisation))
    data = _form(inn=organisation.inn, ogrn=organisation.ogrn, name="Новое имя")
    response = client.post(reverse("organisations:edit", args=[organisation.pk]), data)
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "Новое имя"
    event = AuditEvent.objects.get(action="organisations.updated")
    assert event.changes["name"]["after"] == "Новое имя"


def test_member_cannot_edit_another_organisation(db) -> None:  # type: ignore[no-untyped-def]
    own, other = OrganisationFactory(), OrganisationFactory(name="Чужая")
    client = client_for(member_of(own))
    data = _form(inn=other.inn, ogrn=other.ogrn, name="Захвачено")
    assert client.get(reverse("organisations:edit", args=[other.pk])).status_code == 403
    assert client.post(reverse("organisations:edit", args=[other.pk]), data).status_code == 403
    assert client.post(reverse("organisations:figures_add", args=[other.pk]), {"year": 2025}).status_code == 403
    other.refresh_from_db()
    assert other.name == "Чужая"
    assert not other.figures.exists()


def test_private_figures_and_contacts_are_hidden_from_other_members(db) -> None:  # type: ignore[no-untyped-def]
    own, other = OrganisationFactory(), OrganisationFactory()
    other.contacts.create(full_name="Секретный Контакт")
    body = client_for(member_of(own)).get(reverse("organisations:detail", args=[other.pk])).content.decode()
    assert "Секретный Контакт" not in body
    assert "Показатели по годам" not in body
    body = client_for(member_of(other)).get(reverse("organisations:detail", args=[other.pk])).content.decode()
    assert "Секретный Контакт" in body


def test_figures_set_the_size_category(staff_client: Client) -> None:
    organisation = OrganisationFactory()
    url = reverse("organisations:figures_add", args=[organisation.pk])
    staff_client.post(url, {"year": 2025, "revenue": "90000000", "headcount": 12})
    organisation.refresh_from_db()
    assert organisation.size_category == "micro"
    staff_client.post(url, {"year": 2025, "revenue": "900000000", "headcount": 120})
    organisation.refresh_from_db()
    assert organisation.size_category == "medium"
    assert organisation.figures.count() == 1


def test_negative_revenue_is_refused(staff_client: Client) -> None:
    organisation = OrganisationFactory()
    staff_client.post(reverse("organisations:figures_add", args=[organisation.pk]), {"year": 2025, "revenue": "-5"})
    assert not organisation.figures.exists()


def test_search_finds_cyrillic_names_case_insensitively(staff_client: Client) -> None:
    OrganisationFactory(name="ООО «Волжские Решения»", short_name="", search_text="ооо «волжские решения»")
    OrganisationFactory(name="АО «Другое»", short_name="", search_text="ао «другое»")
    body = staff_client.get(reverse("organisations:list"), {"q": "ВОЛЖСКИЕ"}).content.decode()
    assert "Волжские Решения" in body
    assert "Другое" not in body


def test_htmx_filter_returns_only_the_results_fragment(staff_client: Client) -> None:
    OrganisationFactory()
    response = staff_client.get(reverse("organisations:list"), {"kind": "it_company"}, HTTP_HX_REQUEST="true")
    assert "<html" not in response.content.decode()
    assert "<table" in response.content.decode()


def test_list_page_uses_a_constant_number_of_queries(staff_client: Client) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(reverse("organisations:list")).status_code == 200
        return len(queries)

    for _ in range(3):
        OrganisationFactory().technologies.add(TagFactory())
    few = count()
    for _ in range(20):
        OrganisationFactory().technologies.add(TagFactory(), TagFactory())
    assert count() == few


def test_anonymous_user_is_sent_to_login(client: Client, db) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("organisations:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_unknown_export_format_is_not_found(staff_client: Client) -> None:
    assert staff_client.get(reverse("organisations:export", args=["pdf"])).status_code == 404


def test_valid_inn_helper_makes_valid_identifiers() -> None:
    from projectoffice.organisations.identifiers import is_valid_inn

    assert all(is_valid_inn(valid_inn(n)) for n in range(50))


def test_a_duplicate_inn_that_arrives_between_validation_and_save_is_refused(staff_client: Client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Two staff members submit the same INN at once: the second one gets the message, not a 500."""
    from projectoffice.organisations import views

    real_create = views.services.organisation_create

    def create_after_a_rival(**kwargs):  # type: ignore[no-untyped-def]
        OrganisationFactory(inn="7736207543", ogrn="", name="Соперник")
        return real_create(**kwargs)

    monkeypatch.setattr(views.services, "organisation_create", create_after_a_rival)
    response = staff_client.post(reverse("organisations:create"), _form(ogrn=""))
    assert response.status_code == 200
    assert "уже есть в реестре" in response.content.decode()
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Соперник"]
