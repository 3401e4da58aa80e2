"""Results on pages: a tender's page shows its applications and winner, an organisation's page the purchases
it won; the import command ends with its table of documents by type."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from projectoffice.opportunities.models import Tender
from projectoffice.opportunities.procurement import BidRecord, StatusRecord
from projectoffice.opportunities.procurement_import import import_records
from tests.conftest import client_for
from tests.factories import OrganisationFactory, TenderFactory, UserFactory

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"


def _won(number: str, winner_inn: str) -> Tender:
    TenderFactory(
        registry_number=number,
        title="Разработка портала",
        published_at=dt.datetime(2024, 1, 10, tzinfo=dt.UTC),
        version_at=dt.datetime(2024, 1, 10, tzinfo=dt.UTC),
    )
    protocol = StatusRecord(
        number,
        "finished",
        version_at=dt.datetime(2024, 2, 1, 9, tzinfo=dt.UTC),
        document="epProtocolEOK3",
        protocol_number=f"{number}-3",
        bids=[
            BidRecord("ООО «ПОБЕДИТЕЛЬ»", winner_inn, Decimal("950000.00"), 1, True, True, "1"),
            BidRecord("ООО «ВТОРОЕ МЕСТО»", "7727440800", Decimal("990000.00"), 2, True, False, "2"),
        ],
    )
    import_records(iter([protocol]), "protocol.xml")
    return Tender.objects.get(registry_number=number)


def test_a_tenders_page_shows_its_applications_and_winner() -> None:
    tender = _won("0342000000024000001", "6312000017")
    body = client_for(UserFactory()).get(reverse("opportunities:detail", args=[tender.opportunity_id])).content
    text = body.decode()
    assert "Итоги" in text and "ООО «ПОБЕДИТЕЛЬ» · ИНН 6312000017 <strong>— победитель</strong>" in text
    assert "990\xa0000,00" in text and "Определён поставщик" in text
    assert 'ИНН 6312000017 <strong>— победитель</strong> <span class="muted small">(побед в закупках: 1)</span>' in text


def test_an_organisations_page_shows_the_purchases_it_won() -> None:
    winner = OrganisationFactory()
    _won("0342000000024000002", winner.inn)
    loser = OrganisationFactory(inn="7727440800")
    viewer = client_for(UserFactory(role="staff"))
    won = viewer.get(reverse("organisations:detail", args=[winner.pk])).content.decode()
    assert "Выигранные закупки" in won and "Победитель в 1 закупке" in won
    assert "Разработка портала" in won and "950\xa0000,00 руб." in won and "протокол 0342000000024000002-3" in won
    lost = viewer.get(reverse("organisations:detail", args=[loser.pk])).content.decode()
    assert "Побед в закупках по данным ЕИС нет." in lost


def test_the_command_ends_with_its_table_and_names_documents_waiting_for_their_notice(capsys) -> None:  # type: ignore[no-untyped-def]
    real = Path(__file__).resolve().parents[3] / "shared" / "data" / "procurement-real" / "Sterks-rXML"
    if not real.is_dir():
        pytest.skip("нет папки procurement-real")
    path = real / "fcsProtocolEZK2_0373200554120000039_30312504.xml"
    call_command("import_procurement", str(path), str(FIXTURES / "purchaseNotice_31300000777_lots.xml"))
    out = capsys.readouterr().out
    assert f"ждёт извещения: {path}: epProtocolEZK2 к извещению 0373200554120000039" in out
    table = out.split("Документы по типам:\n", 1)[1].splitlines()
    assert table[0].split() == [
        "тип", "документа", "прочитано", "новых", "обновлено", "без", "изменений", "ждут", "извещения", "отклонено",
    ]  # fmt: skip
    assert table[1].split() == ["epProtocolEZK2", "0", "0", "0", "1", "0"]
    assert table[2].split() == ["purchaseNotice", "1", "0", "0", "0", "0"]
    assert table[3].split() == ["всего", "1", "0", "0", "1", "0"]
