import pytest
from django.test import Client

from projectoffice.classifiers.loaders import load_regions
from projectoffice.matching.models import MatchFeedback
from projectoffice.opportunities.catalogue import load_catalogue
from projectoffice.opportunities.models import Opportunity
from tests.api.helpers import assert_error_shape, bearer, post_json
from tests.factories import (
    FiguresFactory,
    OkvedFactory,
    OrganisationFactory,
    ProjectFactory,
    SubscriptionFactory,
    TenderFactory,
    UserFactory,
    member_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def catalogue(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    load_regions()
    with django_capture_on_commit_callbacks(execute=True):
        load_catalogue()


def test_the_catalogue_is_readable_without_a_token(client: Client) -> None:
    page = client.get("/api/v1/opportunities", {"q": "гранты разработчикам программ"}).json()
    assert page["results"][0]["source_url"]
    assert all(o["status"] == "published" for o in page["results"])
    assert client.get("/api/v1/opportunities", {"kind": "loan"}).json()["count"] >= 2


def test_only_staff_write_to_the_catalogue(client: Client) -> None:
    body = {"kind": "grant", "title": "Новый грант", "external_id": "new", "provider_name": "Фонд"}
    assert post_json(client, "/api/v1/opportunities", body, UserFactory(role="community")).status_code == 403
    response = post_json(client, "/api/v1/opportunities", body, UserFactory(role="staff"))
    assert response.status_code == 201, response.json()
    assert Opportunity.objects.get(external_id="new").status == "draft"


def test_classify_endpoint(client: Client) -> None:
    user = UserFactory()
    response = post_json(client, "/api/v1/classify", {"text": "Поставка ноутбуков", "scheme": "okpd2", "top": 3}, user)
    assert response.status_code == 200
    assert len(response.json()["codes"]) == 3
    bad = post_json(client, "/api/v1/classify", {"text": "x", "scheme": "okato"}, user)
    assert "scheme" in assert_error_shape(bad, "invalid")["fields"]
    huge = post_json(client, "/api/v1/classify", {"text": "а" * 30_000, "scheme": "okpd2"}, user)
    assert huge.status_code == 400


def test_matches_with_explanations_and_feedback(client: Client) -> None:
    organisation = OrganisationFactory(it_accredited=True)
    project = ProjectFactory(lead_organisation=organisation, title="Разработка цифрового продукта", trl=5)
    member = member_of(organisation)
    matches = client.get("/api/v1/matches", {"project": project.pk}, **bearer(member)).json()
    assert matches and {"score", "eligibility", "matched_terms", "matched_codes"} <= set(matches[0])
    assert matches[0]["eligibility"]["checks"][0]["reason"]
    first = matches[0]["opportunity"]["id"]
    response = post_json(
        client,
        "/api/v1/matches/feedback",
        {"opportunity": first, "verdict": "dismissed", "project": project.pk},
        member,
    )
    assert response.status_code == 201
    again = client.get("/api/v1/matches", {"project": project.pk}, **bearer(member)).json()
    assert first not in [m["opportunity"]["id"] for m in again]


def test_matches_of_another_organisation_are_refused(client: Client) -> None:
    own, other = OrganisationFactory(), OrganisationFactory()
    hidden = ProjectFactory(lead_organisation=other)
    member = member_of(own)
    assert client.get("/api/v1/matches", {"organisation": other.pk}, **bearer(member)).status_code == 403
    assert client.get("/api/v1/matches", {"project": hidden.pk}, **bearer(member)).status_code == 404
    opportunity = Opportunity.objects.first()
    body = {"opportunity": opportunity.pk, "verdict": "interested", "organisation": other.pk}
    assert post_json(client, "/api/v1/matches/feedback", body, member).status_code == 403
    assert not MatchFeedback.objects.exists()


def test_eligibility_and_participants_endpoints(client: Client) -> None:
    organisation = OrganisationFactory()
    start = Opportunity.objects.get(external_id="fsi_start")
    staff = UserFactory(role="staff")
    result = client.get(
        f"/api/v1/opportunities/{start.pk}/eligibility", {"organisation": organisation.pk}, **bearer(staff)
    ).json()
    assert result["verdict"] in {"eligible", "not_eligible", "unknown"}
    assert any(c["rule"] == "age" for c in result["checks"])
    assert client.get(f"/api/v1/opportunities/{start.pk}/participants", **bearer(staff)).status_code == 200
    assert (
        client.get(f"/api/v1/opportunities/{start.pk}/participants", **bearer(member_of(organisation))).status_code
        == 403
    )


def test_subscriptions_api_is_scoped_to_the_user(client: Client) -> None:
    own, other = OrganisationFactory(), OrganisationFactory()
    member = member_of(own)
    assert (
        post_json(
            client, "/api/v1/subscriptions", {"organisation": own.pk, "email": "a@example.invalid"}, member
        ).status_code
        == 201
    )
    assert (
        post_json(
            client, "/api/v1/subscriptions", {"organisation": other.pk, "email": "a@example.invalid"}, member
        ).status_code
        == 403
    )
    assert post_json(client, "/api/v1/subscriptions", {"email": "a@example.invalid"}, member).status_code == 400
    SubscriptionFactory(query="чужая")
    listed = client.get("/api/v1/subscriptions", **bearer(member)).json()
    assert [s["organisation"] for s in listed["results"]] == [own.pk]


def test_eligibility_reasons_show_revenue_only_to_those_who_may_see_the_figures(client: Client) -> None:
    organisation = OrganisationFactory()
    # Within «Бизнес-Старт»'s ceiling: measures whose rules fail are not offered, a passed rule still quotes it.
    FiguresFactory(organisation=organisation, year=2025, revenue=104_800_000, headcount=40)
    project = ProjectFactory(lead_organisation=organisation)
    measure = Opportunity.objects.filter(max_revenue__isnull=False).first()
    assert measure is not None
    url = f"/api/v1/opportunities/{measure.pk}/eligibility"
    expert, member = UserFactory(role="expert"), member_of(organisation)
    for user, sees in [(expert, False), (member, True), (UserFactory(role="grantor"), True)]:
        for response in [
            client.get(url, {"project": project.pk}, **bearer(user)),
            client.get("/api/v1/matches", {"project": project.pk, "limit": 50}, **bearer(user)),
        ]:
            assert response.status_code == 200
            text = response.content.decode()
            assert ("104,8" in text) is sees, (user.role, text[:400])
    expert_client = Client()
    expert_client.force_login(expert)
    panel = expert_client.get(f"/matching/project/{project.pk}/matches/")
    assert panel.status_code == 200
    assert "104,8" not in panel.content.decode()


def test_a_project_created_through_the_api_gets_grants_first_and_few_tenders(
    client: Client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    OkvedFactory()  # 62.01
    with django_capture_on_commit_callbacks(execute=True):
        for n, (title, code) in enumerate(
            [("Поставка компьютеров", "26.20.15.000"), ("Разработка портала для жителей", "62.01.11.000")]
        ):
            TenderFactory(registry_number=f"03420000000000009{n:02d}", title=title, items=[(code, title)],
                          customer_inn="6316000012")  # fmt: skip
    staff = UserFactory(role="staff")
    body = {"kind": "it_company", "name": "ООО «Двойник»", "inn": "6316195950", "region": "RU-SAM",
            "main_okved": "62.01", "founded_on": "2025-06-01"}  # fmt: skip
    organisation = post_json(client, "/api/v1/organisations", body, staff)
    assert organisation.status_code == 201, organisation.json()
    project = post_json(client, "/api/v1/projects", {
        "title": "Цифровой двойник линии окраски кузовов", "lead_organisation": organisation.json()["id"],
        "summary": "Модель линии окраски для подбора режимов", "trl": 4, "budget_total": "11000000",
        "own_funds": "2000000", "requested_support": "9000000"}, staff)  # fmt: skip
    assert project.status_code == 201, project.json()
    found = client.get("/api/v1/matches", {"project": project.json()["id"]}, **bearer(staff)).json()
    kinds = [m["opportunity"]["kind"] for m in found]
    titles = [m["opportunity"]["title"] for m in found]
    assert kinds[0] == "grant" and "Старт" in titles[:5]
    assert kinds[:3].count("tender") <= 1
    assert "Поставка компьютеров" not in titles
    assert not {
        "Аккредитация ИТ-компаний (реестр аккредитованных организаций)",
        "Компенсация половины процентов по ипотеке для ИТ-специалистов",
    } & set(titles[:3])
