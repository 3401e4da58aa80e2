"""The catalogue reaches the search index only through the hooks matching connects: changes follow after the
commit (tantivy) or within it (PostgreSQL), a rollback leaves the index as it was, and a missing index refuses
loudly instead of finding nothing. Each test runs with both engines (PostgreSQL's when the suite runs on it)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from projectoffice.matching import index
from projectoffice.opportunities import search_index
from projectoffice.opportunities.selectors import opportunity_list
from projectoffice.opportunities.services import opportunity_create, opportunity_update
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DATA = {
    "external_id": "quantum",
    "kind": "grant",
    "title": "Гранты на квантовые вычисления",
    "provider_name": "ФСИ",
    "status": "published",
}


def test_matching_connects_the_index_when_django_starts() -> None:
    assert search_index._hooks.reindex is index.index_opportunities
    assert search_index._hooks.search is index.search_ids
    assert search_index._hooks.in_transaction is index.in_database


def test_a_saved_opportunity_is_found_by_the_catalogue_search_after_the_commit(
    search_engine: str, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        opportunity = opportunity_create(actor=None, data=DATA)
    assert len(callbacks) == {"tantivy": 1, "postgres": 0}[search_engine]  # PostgreSQL: written in the transaction
    found = opportunity_list(user=UserFactory(role="staff"), filters={"q": "квантовых вычислений"})
    assert list(found) == [opportunity]


def test_a_rolled_back_save_leaves_the_index_as_it_was(search_engine: str, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        opportunity = opportunity_create(actor=None, data=DATA)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        opportunity_update(actor=None, opportunity=opportunity, data={"title": "Субсидии на робототехнику"})
        raise RuntimeError("откат")
    assert callbacks == []
    assert index.search_ids("робототехнику", 10) == [] and index.search_ids("квантовых", 10) == [opportunity.pk]


def test_without_an_index_connected_a_search_and_a_change_refuse_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_index, "_hooks", search_index._Hooks())
    with pytest.raises(ImproperlyConfigured, match="Поисковый индекс не подключён"):
        search_index.search("квантовые", limit=10)
    with pytest.raises(ImproperlyConfigured, match="Поисковый индекс не подключён"):
        search_index.reindex_on_commit([1])
