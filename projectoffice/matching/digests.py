"""Digests: new published opportunities that match each subscription, e-mailed once per item.

The matching is done in bulk: the new items' lemmas and OKPD2 classes go into an in-memory inverted index
(numpy arrays), and every subscription's profile is scored against it at once, so thousands of profiles
against thousands of new notices take seconds. Each item reaches a subscription at most once
(DigestDelivery is unique per pair), and a subscription row is locked while its digest is sent, so two
workers never send the same digest.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.core.mail import get_connection, send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from projectoffice.lib import formats
from projectoffice.lib.jobs import Failure, JobRun
from projectoffice.lib.links import absolute_url
from projectoffice.matching.coding import class_of
from projectoffice.matching.models import DigestDelivery, Subscription
from projectoffice.matching.ranking import organisation_classes, organisation_profile_text
from projectoffice.matching.text import lemmas
from projectoffice.opportunities.models import Opportunity, OpportunityStatus, TenderItem

MAX_ITEMS = 15
MIN_SCORE = 2.0
CLASS_WEIGHT = 4.0
COMMON_SHARE = 0.2  # words in more than this share of new items say nothing about a match

logger = logging.getLogger(__name__)


@dataclass
class NewItems:
    """New opportunities as an inverted index: term → array of positions, with idf weights."""

    opportunities: list[Opportunity]
    postings: dict[str, np.ndarray]
    idf: dict[str, float]

    @classmethod
    def build(cls, opportunities: list[Opportunity], items: dict[int, list[TenderItem]]) -> NewItems:
        lists: dict[str, list[int]] = defaultdict(list)
        for position, opportunity in enumerate(opportunities):
            words = set(lemmas(f"{opportunity.title} {opportunity.summary}"))
            codes = {f"class:{class_of(i.okpd2_code)}" for i in items.get(opportunity.pk, []) if class_of(i.okpd2_code)}
            for term in words | codes:
                lists[term].append(position)
        n = max(len(opportunities), 1)
        limit = max(5, int(n * COMMON_SHARE))
        postings = {
            t: np.fromiter(p, dtype=np.int32) for t, p in lists.items() if len(p) <= limit or t.startswith("class:")
        }
        idf = {
            t: math.log(1 + n / len(p)) * (CLASS_WEIGHT if t.startswith("class:") else 1.0) for t, p in postings.items()
        }
        return cls(opportunities, postings, idf)

    def top(self, terms: Iterable[str], *, limit: int, exclude: set[int]) -> list[tuple[Opportunity, float]]:
        arrays, weights = [], []
        for term in set(terms):
            array = self.postings.get(term)
            if array is not None:
                arrays.append(array)
                weights.append(np.full(len(array), self.idf[term]))
        if not arrays:
            return []
        # A short saved search ("бензин") matches on its one word; a rich profile needs several words or a class.
        threshold = min(MIN_SCORE, 0.5 * sum(float(w[0]) for w in weights))
        scores = np.bincount(np.concatenate(arrays), weights=np.concatenate(weights), minlength=len(self.opportunities))
        wanted = min(limit + len(exclude), len(scores))
        best = np.argpartition(-scores, wanted - 1)[:wanted]
        order = best[np.lexsort((best, -scores[best]))]
        result = []
        for position in order:
            if scores[position] < threshold:
                break
            opportunity = self.opportunities[int(position)]
            if opportunity.pk not in exclude:
                result.append((opportunity, float(scores[position])))
            if len(result) == limit:
                break
        return result


@dataclass
class DigestReport:
    subscriptions: int = 0
    sent: int = 0
    items: int = 0
    skipped_empty: int = 0
    failures: list[Failure] = field(default_factory=list)  # not sent this time; their items are offered next run


def _new_opportunities(since: dt.datetime) -> tuple[list[Opportunity], dict[int, list[TenderItem]]]:
    opportunities = list(
        Opportunity.objects.filter(status=OpportunityStatus.PUBLISHED, created_at__gte=since)
        .domestic()  # other countries' tenders are offered only when asked for, never in a digest
        .filter(Q(closes_on__isnull=True) | Q(closes_on__gte=timezone.localdate()))
        .order_by("pk")
    )
    items: dict[int, list[TenderItem]] = defaultdict(list)
    for item in TenderItem.objects.filter(tender__opportunity__in=[o.pk for o in opportunities]).select_related(
        "tender"
    ):
        items[item.tender.opportunity_id].append(item)
    return opportunities, items


def subscription_terms(subscription: Subscription) -> list[str]:
    if subscription.organisation_id:
        organisation = subscription.organisation
        assert organisation is not None
        terms = lemmas(organisation_profile_text(organisation))
        terms += [f"class:{klass}" for klass in organisation_classes(organisation)]
    else:
        terms = []
    return terms + lemmas(subscription.query)


def send_digests(
    *,
    now: dt.datetime | None = None,
    lookback: dt.timedelta = dt.timedelta(days=7),
    send: Callable[..., None] | None = None,
    chunk: int = 200,
) -> DigestReport:
    """Build and send every active subscription's digest; safe to run again (nothing is sent twice).

    Deliveries are recorded and committed before the e-mails go out (a chunk of subscriptions per transaction,
    their rows locked so that a second worker skips them); a failed e-mail deletes its records so that the items
    are offered again next time, is logged with the subscription, and the others go on. A crash between the commit
    and the sending can lose a digest, never repeat one.
    """
    now = now or timezone.now()
    report = DigestReport()
    run = JobRun("digests", logger)
    opportunities, items = _new_opportunities(now - lookback)
    index = NewItems.build(opportunities, items)
    deliver = send or _email
    subscriptions = list(
        Subscription.objects.filter(is_active=True, email_confirmed_at__isnull=False)
        .select_related("organisation__main_okved")
        .prefetch_related(
            "organisation__extra_okveds",
            "organisation__technologies",
            "organisation__competencies",
            "organisation__products",
        )
        .order_by("pk")
    )
    new_ids = [o.pk for o in opportunities]
    delivered: dict[int, set[int]] = defaultdict(set)
    for subscription_id, opportunity_id in DigestDelivery.objects.filter(opportunity__in=new_ids).values_list(
        "subscription_id", "opportunity_id"
    ):
        delivered[subscription_id].add(opportunity_id)
    report.subscriptions = len(subscriptions)
    connection = get_connection()
    for start in range(0, len(subscriptions), chunk):
        planned: list[tuple[Subscription, list[tuple[Opportunity, float]]]] = []
        for subscription in subscriptions[start : start + chunk]:
            with run.item(_label(subscription)):
                picks = index.top(subscription_terms(subscription), limit=MAX_ITEMS, exclude=delivered[subscription.pk])
                if subscription.kinds:
                    picks = [(o, score) for o, score in picks if o.kind in subscription.kinds]
                if picks:
                    planned.append((subscription, picks))
                else:
                    report.skipped_empty += 1
        ready: list[tuple[Subscription, list[tuple[Opportunity, float]]]] = []
        if planned:
            with run.item(f"recording subscriptions={planned[0][0].pk}..{planned[-1][0].pk} ({len(planned)})"):
                ready = _record(planned, now)
        for subscription, fresh in ready:
            with run.item(f"{_label(subscription)} items={len(fresh)}"):
                try:
                    deliver(subscription, fresh, connection=connection)
                except Exception:  # its items were recorded as delivered: take that back, they are offered next run
                    DigestDelivery.objects.filter(
                        subscription=subscription, opportunity__in=[o.pk for o, _ in fresh]
                    ).delete()
                    raise
                report.sent += 1
                report.items += len(fresh)
    report.failures = run.failures
    run.finish(f"subscriptions: {report.subscriptions}, sent: {report.sent}, items: {report.items}")
    return report


def _label(subscription: Subscription) -> str:
    return f"subscription={subscription.pk} <{subscription.email}>"


@transaction.atomic
def _record(
    planned: list[tuple[Subscription, list[tuple[Opportunity, float]]]], now: dt.datetime
) -> list[tuple[Subscription, list[tuple[Opportunity, float]]]]:
    """Lock the chunk's subscriptions, drop what was sent meanwhile, record the rest as delivered."""
    if not planned:
        return []
    ids = [subscription.pk for subscription, _ in planned]
    locked = set(
        Subscription.objects.select_for_update(skip_locked=True)
        .filter(pk__in=ids, is_active=True, email_confirmed_at__isnull=False)
        .values_list("pk", flat=True)
    )
    picked = {o.pk for _, picks in planned for o, _ in picks}
    already: dict[int, set[int]] = defaultdict(set)
    for subscription_id, opportunity_id in DigestDelivery.objects.filter(
        subscription__in=locked, opportunity__in=picked
    ).values_list("subscription_id", "opportunity_id"):
        already[subscription_id].add(opportunity_id)
    ready = []
    for subscription, picks in planned:
        if subscription.pk not in locked:
            continue  # another worker is sending it right now, or it was just switched off
        fresh = [(o, score) for o, score in picks if o.pk not in already[subscription.pk]]
        if fresh:
            ready.append((subscription, fresh))
    DigestDelivery.objects.bulk_create(
        [DigestDelivery(subscription=subscription, opportunity=o) for subscription, fresh in ready for o, _ in fresh]
    )
    Subscription.objects.filter(pk__in=[s.pk for s, _ in ready]).update(last_sent_at=now)
    return ready


def _email(subscription: Subscription, picks: list[tuple[Opportunity, float]], *, connection: Any = None) -> None:
    subject = f"«{subscription.organisation}»" if subscription.organisation else f"поиска «{subscription.query}»"
    lines = [f"Новые возможности для {subject}:", ""]
    for opportunity, _score in picks:
        deadline = f", заявки до {formats.date(opportunity.closes_on)}" if opportunity.closes_on else ""
        lines.append(f"• {opportunity.title} ({opportunity.get_kind_display().lower()}{deadline})")
        lines.append(f"  {absolute_url(reverse('opportunities:detail', args=[opportunity.pk]))}")
    lines += ["", f"Отписаться: {absolute_url(reverse('matching:unsubscribe', args=[subscription.unsubscribe_token]))}"]
    news = formats.plural(len(picks), "новая возможность", "новые возможности", "новых возможностей")
    send_mail(
        subject=f"Дайджест: {news}",
        message="\n".join(lines),
        from_email=None,
        recipient_list=[subscription.email],
        fail_silently=False,
        connection=connection,
    )
