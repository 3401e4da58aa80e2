"""The search index is rebuilt beside the live one and swapped in: searches never see it empty."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from projectoffice.matching import index
from projectoffice.matching.engine import LiveIndex, SearchDocument
from projectoffice.matching.index import opportunity_engine, rebuild_index
from projectoffice.opportunities.models import Opportunity, OpportunityStatus
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


def _ids(query: str) -> set[int]:
    return {hit.id for hit in opportunity_engine().search(query)}


def test_a_search_during_a_rebuild_keeps_finding_what_the_live_index_holds(monkeypatch: pytest.MonkeyPatch) -> None:
    drones = OpportunityFactory(title="Беспилотные летательные аппараты для сельского хозяйства")
    OpportunityFactory.create_batch(30)
    rebuild_index()
    found_during: list[set[int]] = []
    building = threading.Event()
    original = index._documents

    def slow_documents(queryset: object, batch: int = 2000) -> Iterator[SearchDocument]:
        for document in original(queryset, batch):
            building.set()
            time.sleep(0.005)  # a rebuild that takes a while, so the searching thread runs many times meanwhile
            yield document

    def search_in_a_loop() -> None:
        building.wait(timeout=10)
        while not done.is_set():
            found_during.append(_ids("беспилотные аппараты"))

    monkeypatch.setattr(index, "_documents", slow_documents)
    done = threading.Event()
    searcher = threading.Thread(target=search_in_a_loop)
    searcher.start()
    try:
        rebuild_index()
    finally:
        done.set()
        searcher.join()
    assert len(found_during) > 10
    assert all(found == {drones.pk} for found in found_during), [f for f in found_during if f != {drones.pk}]
    assert _ids("беспилотные аппараты") == {drones.pk}


def test_a_search_between_the_build_and_the_swap_answers_from_the_old_generation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    old = OpportunityFactory(title="Поддержка экспорта программного обеспечения")
    rebuild_index()
    Opportunity.objects.filter(pk=old.pk).update(status=OpportunityStatus.CLOSED)
    new = OpportunityFactory(title="Поддержка экспорта беспилотников")
    seen_before_swap: list[set[int]] = []
    swap = LiveIndex._swap

    def look_then_swap(self: LiveIndex, name: str) -> None:
        seen_before_swap.append(_ids("поддержка экспорта"))
        swap(self, name)

    monkeypatch.setattr(LiveIndex, "_swap", look_then_swap)
    rebuild_index()
    assert seen_before_swap == [{old.pk}]
    assert _ids("поддержка экспорта") == {new.pk}


def test_a_change_saved_during_the_rebuild_is_in_the_new_index(monkeypatch: pytest.MonkeyPatch) -> None:
    quiet = OpportunityFactory(title="Субсидия на облачные сервисы")
    rebuild_index()
    original = index._documents
    changed: list[int] = []

    def documents_with_a_change_meanwhile(queryset: object, batch: int = 2000) -> Iterator[SearchDocument]:
        yield from original(queryset, batch)
        if not changed:  # once, from the rebuild: the update below reads its documents through here too
            changed.append(quiet.pk)
            # saved after the new generation read the records: its own index update went to the old generation
            Opportunity.objects.filter(pk=quiet.pk).update(title="Субсидия на квантовые сенсоры")
            index.index_opportunities([quiet.pk])

    monkeypatch.setattr(index, "_documents", documents_with_a_change_meanwhile)
    rebuild_index()
    assert _ids("квантовые сенсоры") == {quiet.pk}
    assert _ids("облачные сервисы") == set()


def test_a_failed_rebuild_leaves_the_live_index_as_it_was(monkeypatch: pytest.MonkeyPatch) -> None:
    kept = OpportunityFactory(title="Грант на робототехнику")
    rebuild_index()
    live = index._opportunity_index().live_generation()

    def broken(queryset: object, batch: int = 2000) -> Iterator[SearchDocument]:
        yield SearchDocument(kept.pk, kept.kind, "частично")
        raise RuntimeError("база данных недоступна")

    monkeypatch.setattr(index, "_documents", broken)
    with pytest.raises(RuntimeError):
        rebuild_index()
    assert index._opportunity_index().live_generation() == live
    assert _ids("робототехника") == {kept.pk}
    assert sorted(p.name for p in index._opportunity_index().root.iterdir() if p.is_dir()) == [live]


def test_another_process_sees_the_swap_and_old_generations_are_removed(tmp_path: Path) -> None:
    root = tmp_path / "shared"
    builder, reader = LiveIndex(root), LiveIndex(root)  # two processes' views of one folder
    reader.upsert([SearchDocument(1, "grant", "умный город")])
    assert [hit.id for hit in builder.search("умный город")] == [1]
    for generation in range(3):
        builder.rebuild([SearchDocument(10 + generation, "grant", "умный город")])
        assert [hit.id for hit in reader.search("умный город")] == [10 + generation]
    generations = sorted(p.name for p in root.iterdir() if p.is_dir())
    assert len(generations) == 2 and reader.live_generation() in generations  # the live one and the one before


def test_an_index_of_the_older_layout_is_searched_until_the_first_rebuild(tmp_path: Path) -> None:
    from projectoffice.matching.engine import TantivyEngine

    root = tmp_path / "opportunities"
    TantivyEngine(root).upsert([SearchDocument(7, "grant", "цифровое здравоохранение")])
    live = LiveIndex(root)
    assert [hit.id for hit in live.search("цифровое здравоохранение")] == [7]
    live.rebuild([SearchDocument(8, "grant", "цифровое здравоохранение")])
    assert [hit.id for hit in live.search("цифровое здравоохранение")] == [8]
    live.rebuild([SearchDocument(9, "grant", "цифровое здравоохранение")])
    assert not (root / "meta.json").exists()  # the older layout's files go once nobody can be reading them
    assert [hit.id for hit in LiveIndex(root).search("цифровое здравоохранение")] == [9]
