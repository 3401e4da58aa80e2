from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from projectoffice.kpis.ledger import records_for
from projectoffice.kpis.methods import QUARTERS
from projectoffice.kpis.models import Method
from projectoffice.participation import services
from projectoffice.participation.models import Answer, Remark, Visibility
from tests.factories import IndicatorFactory, UserFactory
from tests.participation.factories import ProposalFactory, answer_state, open_process

pytestmark = pytest.mark.django_db

DRAFT = "# Данные\n\nПункт первый о данных.\n\nПункт второй о кадрах.\n\nПункт третий о промышленности.\n"
MAY, AUGUST = dt.datetime(2025, 5, 10, 12, tzinfo=dt.UTC), dt.datetime(2025, 8, 3, 12, tzinfo=dt.UTC)


def test_proposals_to_the_strategy_count_accepted_proposals_and_remarks_taken_into_account_by_quarter() -> None:
    staff = UserFactory(role="staff")
    accepted, partly, rejected = (answer_state(n) for n in ("Принято", "Принято частично", "Отклонено"))
    a, b, c = ProposalFactory(), ProposalFactory(), ProposalFactory()
    for proposal, state in ((a, accepted), (b, partly), (c, rejected)):
        services.answer_draft(actor=staff, proposal=proposal, state=state, text="Обоснование")
    services.answer_draft(actor=staff, proposal=ProposalFactory(), state=accepted, text="")  # a draft: not counted
    Answer.objects.filter(proposal__in=[a, c]).update(published_at=MAY)
    Answer.objects.filter(proposal=b).update(published_at=AUGUST)
    version = services.version_publish(actor=staff, process=open_process(), title="С", text=DRAFT)
    remarks = [
        services.remark_add(actor=UserFactory(), paragraph=p, text=f"Замечание {p.number}")
        for p in version.paragraphs.all()
    ]
    for remark, disposition in zip(remarks, ["accepted", "partial", "rejected"], strict=True):
        services.remark_dispose(actor=staff, remark=remark, disposition=disposition, justification="Так решили")
    Remark.objects.update(disposed_at=AUGUST)
    hidden = services.remark_add(actor=UserFactory(), paragraph=version.paragraphs.first(), text="Скрытое")
    services.remark_dispose(actor=staff, remark=hidden, disposition="accepted", justification="")
    Remark.objects.filter(pk=hidden.pk).update(visibility=Visibility.HIDDEN, disposed_at=AUGUST)

    indicator = IndicatorFactory(method=Method.STRATEGY)
    figures = QUARTERS[Method.STRATEGY](indicator, [2025])
    assert figures == {2025: {2: Decimal(1), 3: Decimal(3)}}
    records = records_for(indicator, 2025, None)
    assert sum(r.value for r in records) == Decimal(4)
    assert sorted(r.kind for r in records) == ["замечание", "замечание", "предложение", "предложение"]
    assert [r.label for r in records_for(indicator, 2025, 2)] == [f"{a.title} — {a.process.title}"]
    assert timezone.is_aware(MAY)
