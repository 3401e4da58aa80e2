from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from projectoffice.organisations.models import OrganisationKind
from projectoffice.participation import services, stats
from projectoffice.participation.models import Visibility
from tests.conftest import client_for
from tests.factories import OrganisationFactory, UserFactory, member_of
from tests.participation.factories import ProposalFactory, open_process

pytestmark = pytest.mark.django_db


def _world():  # type: ignore[no-untyped-def]
    process = open_process()
    university = OrganisationFactory(kind=OrganisationKind.UNIVERSITY)
    professor = member_of(university)
    proposal = ProposalFactory(process=process, author=professor, organisation=university)
    ProposalFactory(process=process)
    hidden = ProposalFactory(process=process, visibility=Visibility.HIDDEN)
    supporter = UserFactory()
    services.support_add(actor=supporter, proposal=proposal)
    services.comment_add(actor=supporter, subject=proposal, body="Поддерживаю, нужно сделать")
    return process, professor, hidden


def test_the_statistics_count_participants_and_contributions_but_not_hidden_content() -> None:
    process, _professor, hidden = _world()
    figures = stats.process_stats(process)
    assert figures.totals == {"proposals": 2, "supports": 1, "comments": 1, "remarks": 0}
    assert figures.participants == 3 and hidden.author_id not in stats.participant_ids(process)
    assert sum(w.total for w in figures.weeks) == 4


def test_the_statistics_split_by_the_registry_organisation_kinds() -> None:
    process, *_ = _world()
    rows = {r.kind: r for r in stats.process_stats(process).by_kind}
    assert rows[OrganisationKind.UNIVERSITY].participants == 1 and rows[OrganisationKind.UNIVERSITY].proposals == 1
    assert rows[OrganisationKind.IT_COMPANY].participants == 0
    assert rows[""].participants == 2 and rows[""].proposals == 1


def test_the_statistics_are_on_the_process_page_for_the_office_only() -> None:
    process, professor, _ = _world()
    assert (
        "Статистика участия"
        in client_for(UserFactory(role="staff")).get(f"/participation/{process.slug}/").content.decode()
    )
    assert "Статистика участия" not in client_for(professor).get(f"/participation/{process.slug}/").content.decode()
    assert "Статистика участия" not in Client().get(f"/participation/{process.slug}/").content.decode()


def test_the_statistics_xlsx_has_typed_cells_and_is_refused_to_participants() -> None:
    process, professor, _ = _world()
    assert client_for(professor).get(f"/participation/{process.slug}/stats.xlsx").status_code == 403
    assert Client().get(f"/participation/{process.slug}/stats.xlsx").status_code in (302, 403)
    response = client_for(UserFactory(role="staff")).get(f"/participation/{process.slug}/stats.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Итоги", "По видам организаций", "По неделям"]
    assert [c.value for c in book["Итоги"]["A2":"B2"][0]] == ["Участников", 3]
    week = book["По неделям"]["A2"].value
    assert week.weekday() == 0 and book["По неделям"]["F2"].value == 4
