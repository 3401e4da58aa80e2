from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from projectoffice.participation import services
from projectoffice.participation.models import AnswerState, Debate, Phase, Process, Proposal
from projectoffice.participation.similar import text_lemmas
from tests.factories import UserFactory

ALL_ACTIONS = ["propose", "support", "comment", "remark", "survey"]


class ProcessFactory(DjangoModelFactory):
    class Meta:
        model = Process

    slug = factory.Sequence(lambda n: f"process-{n}")
    title = factory.Sequence(lambda n: f"Стратегия {n}: сбор предложений")
    description = "Собираем предложения в цифровой раздел стратегии."
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=10))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=60))
    is_published = True
    support_threshold = 2


class PhaseFactory(DjangoModelFactory):
    class Meta:
        model = Phase

    process = factory.SubFactory(ProcessFactory)
    title = "Сбор предложений"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=5))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=20))
    actions = factory.LazyFunction(lambda: list(ALL_ACTIONS))


def open_process(**kwargs: object) -> Process:
    """A published process whose current phase opens every action."""
    process: Process = ProcessFactory(**kwargs)
    PhaseFactory(process=process)
    return process


class ProposalFactory(DjangoModelFactory):
    class Meta:
        model = Proposal

    process = factory.LazyFunction(open_process)
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Открыть данные о транспорте {n}")
    body = "Публиковать расписания и движение автобусов в открытом формате."
    lemmas = factory.LazyAttribute(lambda o: " ".join(text_lemmas(f"{o.title} {o.body}")))


class DebateFactory(DjangoModelFactory):
    class Meta:
        model = Debate

    process = factory.LazyFunction(open_process)
    title = "Нужен ли региональный оператор данных?"
    description = "Обсуждаем, кто в регионе отвечает за данные."


def answer_state(name: str) -> AnswerState:
    """One of the office's default answer states (loaded again if a transactional test emptied the table)."""
    services.reference_load()
    return AnswerState.objects.get(name=name)
