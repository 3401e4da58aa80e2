import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from projectoffice.matching.digests import send_digests
from projectoffice.matching.models import DigestDelivery, Subscription
from tests.conftest import client_for
from tests.factories import (
    OkvedFactory,
    OrganisationFactory,
    SubscriptionFactory,
    TenderFactory,
    UserFactory,
    member_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscription() -> Subscription:
    developer = OrganisationFactory(main_okved=OkvedFactory(), description="разработка мобильных приложений")
    user = member_of(developer)
    subscription: Subscription = SubscriptionFactory(user=user, organisation=developer, email="dev@example.invalid")
    return subscription


def test_a_digest_lists_new_matching_items_with_an_unsubscribe_link(subscription: Subscription) -> None:
    TenderFactory(title="Разработка мобильного приложения")
    TenderFactory(title="Поставка бензина", items=[("19.20.21.110", "Поставка бензина")])
    report = send_digests()
    assert (report.sent, report.items) == (1, 1)
    message = mail.outbox[0]
    assert message.to == ["dev@example.invalid"]
    assert message.subject == "Дайджест: 1\u00a0новая возможность"  # the count agrees with its noun
    assert "Разработка мобильного приложения" in message.body and "бензина" not in message.body
    assert f"/matching/unsubscribe/{subscription.unsubscribe_token}/" in message.body


def test_running_again_never_sends_the_same_item_twice(subscription: Subscription) -> None:
    TenderFactory(title="Разработка мобильного приложения")
    send_digests()
    assert send_digests().sent == 0
    TenderFactory(title="Разработка мобильного приложения для школ")
    send_digests()
    assert len(mail.outbox) == 2
    assert "для школ" in mail.outbox[1].body and mail.outbox[1].body.count("• ") == 1
    assert DigestDelivery.objects.count() == 2


def test_a_failed_send_keeps_the_items_for_the_next_run(subscription: Subscription) -> None:
    TenderFactory(title="Разработка мобильного приложения")

    def broken(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise OSError("SMTP недоступен")

    report = send_digests(send=broken)
    assert report.errors and not DigestDelivery.objects.exists()
    assert send_digests().sent == 1


def test_saved_search_subscriptions_and_kind_filters() -> None:
    user = UserFactory(role="staff")
    SubscriptionFactory(user=user, query="бензин", email="fuel@example.invalid")
    SubscriptionFactory(user=user, query="бензин", kinds=["grant"], email="grants@example.invalid")
    TenderFactory(title="Поставка бензина АИ-92", items=[("19.20.21.110", "Поставка бензина АИ-92")])
    send_digests()
    assert [m.to for m in mail.outbox] == [["fuel@example.invalid"]]


def test_unsubscribe_link_asks_then_switches_off(subscription: Subscription, client: Client) -> None:
    url = reverse("matching:unsubscribe", args=[subscription.unsubscribe_token])
    assert "Отписаться" in client.get(url).content.decode()
    subscription.refresh_from_db()
    assert subscription.is_active  # a GET (e.g. a mail scanner) changes nothing
    client.post(url)
    subscription.refresh_from_db()
    assert not subscription.is_active
    assert client.get(reverse("matching:unsubscribe", args=["forged-token"])).status_code == 404


def test_the_command_prints_a_summary(subscription: Subscription, capsys) -> None:  # type: ignore[no-untyped-def]
    TenderFactory(title="Разработка мобильного приложения")
    call_command("send_digests")
    assert "писем: 1" in capsys.readouterr().out


def test_subscriptions_page_refuses_another_organisations_profile(subscription: Subscription) -> None:
    outsider = member_of(OrganisationFactory())
    client = client_for(outsider)
    response = client.post(
        reverse("matching:subscriptions"),
        {"organisation": subscription.organisation_id, "email": "x@example.invalid"},
        follow=True,
    )
    assert "Подписка не сохранена" in response.content.decode()
    assert Subscription.objects.count() == 1
    client.post(reverse("matching:subscriptions"), {"query": "мобильные приложения", "email": "x@example.invalid"})
    assert Subscription.objects.filter(user=outsider, query="мобильные приложения").exists()


def test_the_celery_task_runs_the_same_service(subscription: Subscription) -> None:
    from projectoffice.matching.tasks import send_digests_task

    TenderFactory(title="Разработка мобильного приложения")
    assert send_digests_task.delay().get()["sent"] == 1


def test_a_digest_goes_to_another_address_only_after_its_owner_confirms_it(
    client: Client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    organisation = OrganisationFactory(main_okved=OkvedFactory(), description="разработка мобильных приложений")
    member = member_of(organisation)
    body = {"organisation": organisation.pk, "email": "victim@example.org"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(member).post("/api/v1/subscriptions", body, content_type="application/json")
    assert response.status_code == 201 and response.json()["email_confirmed"] is False
    subscription = Subscription.objects.get()
    assert [m.to for m in mail.outbox] == [["victim@example.org"]]
    assert "Подтвердите адрес" in mail.outbox[0].subject
    link = next(word for word in mail.outbox[0].body.split() if "/confirm/" in word)
    mail.outbox.clear()
    TenderFactory(title="Разработка мобильного приложения")
    assert send_digests().sent == 0 and mail.outbox == []  # nothing goes to an unconfirmed address
    assert client.get(link.rstrip("/")[:-3] + "xyz/").status_code == 400
    assert "victim" not in link
    assert client.get(link).status_code == 200
    subscription.refresh_from_db()
    assert subscription.email_confirmed_at is not None
    send_digests()
    assert [m.to for m in mail.outbox] == [["victim@example.org"]]


def test_a_forged_confirmation_link_confirms_nothing(client: Client) -> None:
    subscription = SubscriptionFactory(query="бензин", email="other@example.org", email_confirmed_at=None)
    response = client.get(reverse("matching:subscription_confirm", args=[f"{subscription.pk}-0123:forged"]))
    assert response.status_code == 400
    subscription.refresh_from_db()
    assert subscription.email_confirmed_at is None


def test_the_accounts_own_address_needs_no_confirmation_and_the_page_says_when_one_is_pending() -> None:
    organisation = OrganisationFactory()
    member = member_of(organisation)
    page = client_for(member)
    page.post(reverse("matching:subscriptions"), {"organisation": organisation.pk, "email": member.email})
    page.post(reverse("matching:subscriptions"), {"query": "бензин", "email": "someone@example.org"})
    own, other = Subscription.objects.order_by("pk")
    assert own.email_confirmed_at is not None and other.email_confirmed_at is None
    assert "ждёт подтверждения адреса" in page.get(reverse("matching:subscriptions")).content.decode()
