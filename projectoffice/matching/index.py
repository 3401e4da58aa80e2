"""The opportunities index: which engine, what text a record contributes, keeping it current."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from projectoffice.matching.engine import SearchDocument, SearchEngine, TantivyEngine
from projectoffice.opportunities.models import Opportunity, OpportunityStatus

logger = logging.getLogger(__name__)


@lru_cache(maxsize=4)
def _engine_at(path: str) -> TantivyEngine:
    return TantivyEngine(Path(path))


def opportunity_engine() -> SearchEngine:
    return _engine_at(str(Path(settings.SEARCH_INDEX_DIR) / "opportunities"))


def opportunity_text(opportunity: Opportunity, item_text: str = "") -> str:
    return " ".join([opportunity.title, opportunity.title, opportunity.summary, opportunity.provider_name,
                     opportunity.eligibility_text, item_text])  # fmt: skip


def _documents(queryset: object) -> Iterator[SearchDocument]:
    from projectoffice.opportunities.models import TenderItem

    for opportunity in queryset.iterator(chunk_size=2000):  # type: ignore[attr-defined]
        items = ""
        if opportunity.kind == "tender":
            items = " ".join(TenderItem.objects.filter(tender__opportunity=opportunity).values_list("name", flat=True))
        yield SearchDocument(opportunity.pk, opportunity.kind, opportunity_text(opportunity, items))


def index_opportunity(pk: int) -> None:
    """Bring one record's entry up to date (published ones are indexed, others removed)."""
    engine = opportunity_engine()
    try:
        queryset = Opportunity.objects.filter(pk=pk, status=OpportunityStatus.PUBLISHED)
        if queryset.exists():
            engine.upsert(_documents(queryset))
        else:
            engine.delete([pk])
    except Exception:  # the index is a cache of the database: a failure here must not lose the write
        logger.exception("search index update failed for opportunity %s; run rebuild_search_index", pk)


def rebuild_index(progress: Callable[[str], None] = lambda _: None) -> int:
    engine = opportunity_engine()
    assert isinstance(engine, TantivyEngine)
    engine.clear()
    queryset = Opportunity.objects.filter(status=OpportunityStatus.PUBLISHED).order_by("pk")
    total = engine.upsert(_documents(queryset))
    progress(f"проиндексировано: {total}")
    return total
