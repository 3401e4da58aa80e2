import logging

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from projectoffice.matching.digests import send_digests
from projectoffice.matching.models import DigestDelivery, Subscription
from projectoffice.opportunities.models import Opportunity
from tests.factories import (
    SubscriptionFactory,
    TenderFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


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


def test_another_countrys_tender_is_left_out_of_digests(subscription: Subscription) -> None:
    TenderFactory(title="Разработка мобильного приложения", registry_number="ocds-md-7")
    Opportunity.objects.update(country="MD")
    assert send_digests().sent == 0 and not mail.outbox


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
    assert report.failures and not DigestDelivery.objects.exists()
    assert send_digests().sent == 1


def test_saved_search_subscriptions_and_kind_filters() -> None:
    user = UserFactory(role="staff")
    SubscriptionFactory(user=user, query="бензин", email="fuel@example.invalid")
    SubscriptionFactory(user=user, query="бензин", kinds=["grant"], email="grants@example.invalid")
    TenderFactory(title="Поставка бензина АИ-92", items=[("19.20.21.110", "Поставка бензина АИ-92")])
    send_digests()
    assert [m.to for m in mail.outbox] == [["fuel@example.invalid"]]


def test_the_command_prints_a_summary(subscription: Subscription, capsys) -> None:  # type: ignore[no-untyped-def]
    TenderFactory(title="Разработка мобильного приложения")
    call_command("send_digests")
    assert "писем: 1" in capsys.readouterr().out


def test_the_celery_task_runs_the_same_service(subscription: Subscription) -> None:
    from projectoffice.matching.tasks import send_digests_task

    TenderFactory(title="Разработка мобильного приложения")
    assert send_digests_task.delay().get()["sent"] == 1


def test_one_refused_mailbox_does_not_stop_the_digests_and_is_retried_next_run(
    refusing_mailbox: set[str], caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    from projectoffice.matching.tasks import send_digests_task

    user = UserFactory(role="staff")
    refused = SubscriptionFactory(user=user, query="бензин", email="refused@example.invalid")
    reached = SubscriptionFactory(user=user, query="бензин", email="reached@example.invalid")
    refusing_mailbox.add("refused@example.invalid")
    TenderFactory(title="Поставка бензина АИ-92", items=[("19.20.21.110", "Поставка бензина АИ-92")])

    with caplog.at_level(logging.ERROR, logger="projectoffice.matching.digests"):
        result = send_digests_task.delay().get()
    assert result["sent"] == 1 and [m.to for m in mail.outbox] == [["reached@example.invalid"]]
    assert result["failed"] == [
        f"subscription={refused.pk} <refused@example.invalid> items=1: SMTPRecipientsRefused: "
        "{'refused@example.invalid': (550, b'5.1.1 mailbox unavailable')}"
    ]
    assert f"subscription={refused.pk} <refused@example.invalid>" in caplog.records[0].getMessage()
    assert not DigestDelivery.objects.filter(subscription=refused).exists()
    assert DigestDelivery.objects.filter(subscription=reached).count() == 1

    with pytest.raises(CommandError, match="не удалось: 1"):
        call_command("send_digests")
    assert "refused@example.invalid" in capsys.readouterr().err

    refusing_mailbox.clear()
    again = send_digests()
    assert (again.sent, again.failures) == (1, [])
    assert mail.outbox[-1].to == ["refused@example.invalid"] and len(mail.outbox) == 2
