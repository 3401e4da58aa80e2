"""The opportunities index: which engine, what text a record contributes, keeping it current."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from projectoffice.matching.engine import LiveIndex, SearchDocument, SearchEngine
from projectoffice.matching.pg_engine import PostgresEngine
from projectoffice.opportunities.models import Opportunity, OpportunityStatus, TenderItem

logger = logging.getLogger(__name__)

# Records changed since this long before a rebuild began are indexed again after the swap: a change committed
# while the new generation was being filled went to the old one (the margin covers transactions still open).
CATCH_UP_MARGIN = dt.timedelta(minutes=10)


@lru_cache(maxsize=4)
def _index_at(path: str) -> LiveIndex:
    return LiveIndex(Path(path))


def _opportunity_index() -> LiveIndex:
    return _index_at(str(Path(settings.SEARCH_INDEX_DIR) / "opportunities"))


@lru_cache(maxsize=1)
def _postgres_engine() -> PostgresEngine:
    return PostgresEngine()


def in_database() -> bool:
    """Whether the index is a table of the database (SEARCH_ENGINE=postgres): written in the record's transaction."""
    return bool(settings.SEARCH_ENGINE == "postgres")


def opportunity_engine() -> SearchEngine:
    return _postgres_engine() if in_database() else _opportunity_index()


def opportunity_text(opportunity: Opportunity, item_text: str = "") -> str:
    return " ".join(
        [
            opportunity.title,
            opportunity.title,
            opportunity.summary,
            opportunity.provider_name,
            opportunity.eligibility_text,
            item_text,
        ]
    )


def _documents(queryset: object, batch: int = 2000) -> Iterator[SearchDocument]:
    """Documents in batches: one query for the records and one for their tender items per batch."""
    ids = list(queryset.values_list("pk", flat=True))  # type: ignore[attr-defined]
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        items: dict[int, list[str]] = {}
        for opportunity_id, name in TenderItem.objects.filter(tender__opportunity_id__in=chunk).values_list(
            "tender__opportunity_id", "name"
        ):
            items.setdefault(opportunity_id, []).append(name)
        for opportunity in Opportunity.objects.filter(pk__in=chunk).order_by("pk"):
            text = opportunity_text(opportunity, " ".join(items.get(opportunity.pk, [])))
            yield SearchDocument(opportunity.pk, opportunity.kind, text, title=opportunity.title)


def search_ids(query: str, limit: int) -> list[int]:
    """Ids of the published opportunities matching the query, most relevant first (the catalogue's search)."""
    return [hit.id for hit in opportunity_engine().search(query, limit=limit)]


def index_opportunities(pks: list[int]) -> None:
    """Bring these records' entries up to date (published ones are indexed, the others removed).

    With the PostgreSQL engine this runs inside the record's transaction (in a savepoint, so a failure here
    leaves the record's write standing); with tantivy, after the commit.
    """
    if not pks:
        return
    engine = opportunity_engine()
    try:
        with transaction.atomic() if in_database() else nullcontext():
            published = Opportunity.objects.filter(pk__in=pks, status=OpportunityStatus.PUBLISHED)
            published_ids = set(published.values_list("pk", flat=True))
            engine.delete([pk for pk in pks if pk not in published_ids])
            engine.upsert(_documents(published.order_by("pk")))
    except Exception:  # the index can be rebuilt from the database: a failure here must not lose the write
        logger.exception("search index update failed for %d opportunities; run rebuild_search_index", len(pks))


def rebuild_index(progress: Callable[[str], None] = lambda _: None) -> int:
    """Build the index anew beside the live one and swap it in; searches keep their answers meanwhile."""
    started = timezone.now()
    queryset = Opportunity.objects.filter(status=OpportunityStatus.PUBLISHED).order_by("pk")
    if in_database():  # one transaction: other connections search the old entries until it commits
        total = _postgres_engine().rebuild(_documents(queryset))
        progress(f"проиндексировано: {total}")
        return total
    total = _opportunity_index().rebuild(_documents(queryset))
    progress(f"проиндексировано: {total}")
    changed = list(Opportunity.objects.filter(updated_at__gte=started - CATCH_UP_MARGIN).values_list("pk", flat=True))
    index_opportunities(changed)
    if changed:
        progress(f"изменённых во время перестройки: {len(changed)}")
    logger.info("search index rebuilt: %d documents, %d changed meanwhile re-indexed", total, len(changed))
    return total
