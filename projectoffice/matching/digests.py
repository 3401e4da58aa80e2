"""Digests: new published opportunities that match each subscription, e-mailed once per item.

The matching is done in bulk: the new items' lemmas and OKPD2 classes go into an in-memory inverted index
(numpy arrays), and every subscription's profile is scored against it at once, so thousands of profiles
against thousands of new notices take seconds. Each item reaches a subscription at most once
(DigestDelivery is unique per pair), and a subscription row is locked while its digest is sent, so two
workers never send the same digest.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from projectoffice.matching.coding import class_of
from projectoffice.matching.models import DigestDelivery, Subscription
from projectoffice.matching.ranking import organisation_classes, organisation_profile_text
from projectoffice.matching.text import lemmas
from projectoffice.opportunities.models import Opportunity, OpportunityStatus, TenderItem

MAX_ITEMS = 15
MIN_SCORE = 2.0
CLASS_WEIGHT = 4.0
COMMON_SHARE = 0.2  # words in more than this share of new items say nothing about a match


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
        order = np.argsort(-scores, kind="stable")
        result = []
        for position in order[: limit + len(exclude)]:
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
    errors: list[str] = field(default_factory=list)


def _new_opportunities(since: dt.datetime) -> tuple[list[Opportunity], dict[int, list[TenderItem]]]:
    opportunities = list(
        Opportunity.objects.filter(status=OpportunityStatus.PUBLISHED, created_at__gte=since)
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
    send: Callable[[Subscription, list[tuple[Opportunity, float]]], None] | None = None,
) -> DigestReport:
    """Build and send every active subscription's digest; safe to run again (nothing is sent twice)."""
    now = now or timezone.now()
    report = DigestReport()
    opportunities, items = _new_opportunities(now - lookback)
    index = NewItems.build(opportunities, items)
    deliver = send or _email
    subscriptions = (
        Subscription.objects.filter(is_active=True)
        .select_related("organisation__main_okved")
        .prefetch_related(
            "organisation__extra_okveds",
            "organisation__technologies",
            "organisation__competencies",
            "organisation__products",
        )
    )
    delivered: dict[int, set[int]] = defaultdict(set)
    for subscription_id, opportunity_id in DigestDelivery.objects.filter(
        opportunity__in=[o.pk for o in opportunities]
    ).values_list("subscription_id", "opportunity_id"):
        delivered[subscription_id].add(opportunity_id)
    for subscription in subscriptions:
        report.subscriptions += 1
        picks = index.top(subscription_terms(subscription), limit=MAX_ITEMS, exclude=delivered[subscription.pk])
        if subscription.kinds:
            picks = [(o, s) for o, s in picks if o.kind in subscription.kinds]
        if not picks:
            report.skipped_empty += 1
            continue
        try:
            _deliver(subscription, picks, now, deliver)
        except Exception as exc:  # one failing mailbox must not stop the others
            report.errors.append(f"{subscription.email}: {exc}")
            continue
        report.sent += 1
        report.items += len(picks)
    return report


def _deliver(
    subscription: Subscription,
    picks: list[tuple[Opportunity, float]],
    now: dt.datetime,
    deliver: Callable[[Subscription, list[tuple[Opportunity, float]]], None],
) -> None:
    with transaction.atomic():
        locked = (
            Subscription.objects.select_for_update(skip_locked=True).filter(pk=subscription.pk, is_active=True).first()
        )
        if locked is None:
            return  # another worker is sending this digest right now, or it was just switched off
        already = set(
            DigestDelivery.objects.filter(subscription=locked, opportunity__in=[o.pk for o, _ in picks]).values_list(
                "opportunity_id", flat=True
            )
        )
        fresh = [(o, s) for o, s in picks if o.pk not in already]
        if not fresh:
            return
        DigestDelivery.objects.bulk_create([DigestDelivery(subscription=locked, opportunity=o) for o, _ in fresh])
        locked.last_sent_at = now
        locked.save(update_fields=["last_sent_at"])
        deliver(locked, fresh)  # an exception rolls the deliveries back, so the items are offered again next time
    picks[:] = fresh


def _email(subscription: Subscription, picks: list[tuple[Opportunity, float]]) -> None:
    site = settings.SITE_URL.rstrip("/")
    subject = f"«{subscription.organisation}»" if subscription.organisation else f"поиска «{subscription.query}»"
    lines = [f"Новые возможности для {subject}:", ""]
    for opportunity, _score in picks:
        deadline = f", заявки до {opportunity.closes_on:%d.%m.%Y}" if opportunity.closes_on else ""
        lines.append(f"• {opportunity.title} ({opportunity.get_kind_display().lower()}{deadline})")
        lines.append(f"  {site}{reverse('opportunities:detail', args=[opportunity.pk])}")
    lines += ["", f"Отписаться: {site}{reverse('matching:unsubscribe', args=[subscription.unsubscribe_token])}"]
    send_mail(
        subject=f"Дайджест возможностей: {len(picks)} новых",
        message="\n".join(lines),
        from_email=None,
        recipient_list=[subscription.email],
        fail_silently=False,
    )
