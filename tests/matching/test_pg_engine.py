"""The PostgreSQL engine: lemmas of the project's pipeline, the title weighted above the rest, the kinds filter,
query syntax kept out, writes that commit and roll back with the record, a rebuild and the RUM index."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from projectoffice.matching.engine import SearchDocument
from projectoffice.matching.index import index_opportunities, opportunity_engine, rebuild_index
from projectoffice.matching.models import SearchEntry
from projectoffice.matching.pg_engine import PostgresEngine, tsquery_text
from projectoffice.opportunities.models import Opportunity, OpportunityStatus
from projectoffice.opportunities.services import opportunity_update
from tests.factories import OpportunityFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="движок PostgreSQL проверяется на PostgreSQL"),
]


@pytest.fixture
def engine(settings) -> PostgresEngine:  # type: ignore[no-untyped-def]
    settings.SEARCH_ENGINE = "postgres"
    return PostgresEngine()


def test_the_query_becomes_quoted_lemmas_ored_and_nothing_else() -> None:
    assert tsquery_text("Беспилотными аппаратами") == "'беспилотный' | 'аппарат'"
    assert tsquery_text("' OR 1=1 -- & ! :* <->") == "'or'"
    assert tsquery_text("кое-как") == "'кое-как'"
    assert tsquery_text("   ") == ""


def test_word_forms_find_the_lemmatised_entry_and_the_title_outranks_the_body(engine: PostgresEngine) -> None:
    engine.upsert(
        [
            SearchDocument(1, "grant", "Поддержка сельского хозяйства и беспилотные аппараты", title="Поддержка"),
            SearchDocument(2, "grant", "Беспилотные летательные аппараты", title="Беспилотные летательные аппараты"),
            SearchDocument(3, "tender", "Поставка бензина", title="Поставка бензина"),
        ]
    )
    assert [hit.id for hit in engine.search("беспилотными аппаратами")] == [2, 1]
    assert [hit.id for hit in engine.search("беспилотник аппарат", kinds=["tender"])] == []
    assert [hit.id for hit in engine.search("бензином", kinds=["tender", "loan"])] == [3]
    assert all(hit.score > 0 for hit in engine.search("аппараты"))


def test_an_upsert_replaces_the_entry_and_a_delete_removes_it(engine: PostgresEngine) -> None:
    engine.upsert([SearchDocument(7, "grant", "Квантовые вычисления", title="Квантовые вычисления")])
    engine.upsert([SearchDocument(7, "grant", "Робототехника", title="Робототехника")])
    assert engine.count() == 1
    assert engine.search("квантовые") == [] and [h.id for h in engine.search("робототехника")] == [7]
    engine.delete([7, 8])
    assert engine.count() == 0


@pytest.mark.parametrize("query", ["' OR 1=1 --", "title:* AND body:(", "%_\\", "a & !b | <-> :*", "а" * 5000])
def test_hostile_queries_answer_without_an_error(engine: PostgresEngine, query: str) -> None:
    engine.upsert([SearchDocument(1, "grant", "Гранты на квантовые вычисления")])
    assert isinstance(engine.search(query), list)


def test_an_edit_is_in_the_index_inside_the_transaction_and_leaves_with_its_rollback(engine: PostgresEngine) -> None:
    opportunity = OpportunityFactory(title="Гранты на квантовые вычисления")
    index_opportunities([opportunity.pk])
    with pytest.raises(RuntimeError), transaction.atomic():
        opportunity_update(actor=None, opportunity=opportunity, data={"title": "Субсидии на робототехнику"})
        assert [hit.id for hit in opportunity_engine().search("робототехника")] == [opportunity.pk]
        raise RuntimeError("откат")
    assert opportunity_engine().search("робототехника") == []
    assert [hit.id for hit in opportunity_engine().search("квантовые")] == [opportunity.pk]


def test_a_rebuild_holds_exactly_the_published_records(engine: PostgresEngine) -> None:
    published = OpportunityFactory(title="Поддержка экспорта беспилотников")
    closed = OpportunityFactory(title="Поддержка экспорта программ")
    Opportunity.objects.filter(pk=closed.pk).update(status=OpportunityStatus.CLOSED)
    SearchEntry.objects.create(id=999_999, kind="grant", title="сирота", body="сирота")
    assert rebuild_index() == 1
    assert list(SearchEntry.objects.values_list("id", flat=True)) == [published.pk]
    assert [hit.id for hit in opportunity_engine().search("экспорт")] == [published.pk]


def test_the_rum_index_orders_the_hits_when_the_server_has_it(engine: PostgresEngine) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")
        available = cursor.fetchone() is not None
    assert engine.uses_rum() is available
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'matching_searchentry' ORDER BY indexname")
        definitions = " ".join(row[0] for row in cursor.fetchall())
    assert "USING gin (tsv)" in definitions
    assert ("USING rum (tsv" in definitions) is available
    assert ("USING rum (title_tsv" in definitions) is available
    assert ("USING gin (title_tsv)" in definitions) is not available


def test_records_holding_every_word_come_first_and_any_word_fills_the_rest(engine: PostgresEngine) -> None:
    engine.upsert(
        [
            SearchDocument(1, "tender", "Поставка системы видеонаблюдения", title="Поставка системы видеонаблюдения"),
            SearchDocument(2, "tender", "Системы системы системы", title="Системы"),
            SearchDocument(3, "tender", "Видеонаблюдение", title="Видеонаблюдение"),
        ]
    )
    assert [hit.id for hit in engine.search("системы видеонаблюдения", limit=1)] == [1]
    hits = engine.search("системы видеонаблюдения", limit=10)
    assert hits[0].id == 1 and sorted(hit.id for hit in hits) == [1, 2, 3]
    assert hits[0].score > hits[1].score > 0  # the tiers' scores fall in order


def test_a_title_holding_every_word_outranks_a_text_holding_them_many_times(engine: PostgresEngine) -> None:
    engine.upsert(
        [
            SearchDocument(1, "tender", "Закупка: системы управления, системы управления", title="Закупка"),
            SearchDocument(2, "tender", "Системы управления освещением", title="Системы управления освещением"),
        ]
    )
    assert [hit.id for hit in engine.search("система управления")] == [2, 1]


@pytest.mark.parametrize("rum", [True, False], ids=["rum-when-installed", "gin-only"])
def test_among_titles_holding_every_word_the_shortest_comes_first(engine: PostgresEngine, rum: bool) -> None:
    if not rum:
        engine._rum = False  # the plan of a server without RUM: GIN answers, the rows are sorted by length
    engine.upsert(
        [
            SearchDocument(
                1, "tender", "Поставка бумаги для офисной техники", title="Поставка бумаги для офисной техники"
            ),
            SearchDocument(2, "tender", "Бумага офисная", title="Бумага офисная"),
            SearchDocument(3, "tender", "Бумага для принтеров", title="Бумага для принтеров"),
        ]
    )
    hits = engine.search("бумага", limit=10)
    assert [hit.id for hit in hits] in ([2, 3, 1], [3, 2, 1])
    assert hits[0].score >= hits[1].score > hits[2].score > 0


def test_a_title_holding_one_word_outranks_a_text_holding_it_and_a_typo_costs_no_full_ranking(
    engine: PostgresEngine,
) -> None:
    engine.upsert(
        [
            SearchDocument(1, "tender", "Ремонт кровли; заказчик: учреждение связи", title="Ремонт кровли"),
            SearchDocument(2, "tender", "Средства связи", title="Средства связи"),
        ]
    )
    assert [hit.id for hit in engine.search("связь ксилофонщик")] == [2, 1]


def test_the_title_index_keeps_the_title_length_for_ordering(engine: PostgresEngine) -> None:
    engine.upsert([SearchDocument(1, "grant", "Квантовые вычисления", title="Квантовые вычисления в облаке")])
    assert (
        SearchEntry.objects.raw("SELECT id, title_len FROM matching_searchentry")[0].title_len == 3
    )  # «в» is a stop word
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'matching_searchentry_title_tsv_rum'")
        row = cursor.fetchone()
    if engine.uses_rum():
        assert "rum_tsvector_addon_ops" in row[0] and "order_by_attach" in row[0]
