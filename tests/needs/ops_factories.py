"""Factories for the needs operations tests (reminders, outcomes, landscape, statistics, API): small and explicit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from projectoffice.needs.models import (
    Expert,
    IntakeRequest,
    IntakeStatus,
    Match,
    MatchKind,
    MatchStatus,
    Municipality,
    MunicipalityKind,
    Need,
    NeedStatus,
    PartnerInstitution,
    Solution,
    Subject,
    Theme,
)
from projectoffice.organisations.models import OrganisationKind
from tests.factories import OrganisationFactory, UserFactory


class ThemeFactory(DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ["name"]

    name = "Производство"


class SubjectFactory(DjangoModelFactory):
    class Meta:
        model = Subject
        django_get_or_create = ["theme", "name"]

    theme = factory.SubFactory(ThemeFactory)
    name = factory.Sequence(lambda n: f"MES и диспетчеризация {n}")


class MunicipalityFactory(DjangoModelFactory):
    class Meta:
        model = Municipality

    name = factory.Sequence(lambda n: f"городской округ Тестовый-{n} Самарской области")
    short_name = factory.Sequence(lambda n: f"Тестовый-{n}")
    kind = MunicipalityKind.URBAN_DISTRICT
    oktmo = factory.Sequence(lambda n: f"36{n:09d}")


class IntakeRequestFactory(DjangoModelFactory):
    class Meta:
        model = IntakeRequest

    organisation = factory.SubFactory(OrganisationFactory, kind=OrganisationKind.INDUSTRIAL)
    inn = factory.LazyAttribute(lambda o: o.organisation.inn)
    organisation_name = factory.LazyAttribute(lambda o: o.organisation.name)
    contact_name = "Иванова Мария Петровна"
    contact_email = factory.Sequence(lambda n: f"contact{n}@zavod.example.invalid")
    contact_phone = "+7 846 200-00-00"
    description = "Нужна система диспетчеризации станков"
    status = IntakeStatus.QUALIFIED
    consent_at = factory.LazyFunction(timezone.now)


class NeedFactory(DjangoModelFactory):
    class Meta:
        model = Need

    request = factory.SubFactory(IntakeRequestFactory)
    organisation = factory.LazyAttribute(lambda o: o.request.organisation)
    subject = factory.SubFactory(SubjectFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    description = "Диспетчеризация 40 станков, учёт простоев"
    status = NeedStatus.NEW


class InstitutionFactory(DjangoModelFactory):
    class Meta:
        model = PartnerInstitution

    name = factory.Sequence(lambda n: f"Центр поддержки {n}")
    kind = "support_centre"
    email = factory.Sequence(lambda n: f"centre{n}@example.invalid")


class ExpertFactory(DjangoModelFactory):
    class Meta:
        model = Expert

    user = factory.SubFactory(UserFactory, role="expert", first_name="Пётр", last_name="Экспертов")
    institution = factory.SubFactory(InstitutionFactory)


class SolutionFactory(DjangoModelFactory):
    class Meta:
        model = Solution

    vendor = factory.SubFactory(OrganisationFactory, kind=OrganisationKind.IT_COMPANY)
    name = factory.Sequence(lambda n: f"Диспетчер-{n}")
    description = "MES: диспетчеризация и мониторинг оборудования"
    published = True


class MatchFactory(DjangoModelFactory):
    class Meta:
        model = Match

    need = factory.SubFactory(NeedFactory)
    kind = MatchKind.EXPERT
    expert = factory.SubFactory(ExpertFactory)
    status = MatchStatus.NEW


def sent_need(days_ago: float, *, experts: int = 1, now: dt.datetime | None = None, **kwargs: Any) -> Need:
    """A need sent `days_ago` days ago to `experts` experts, nobody took it."""
    now = now or timezone.now()
    sent = now - dt.timedelta(days=days_ago)
    need: Need = NeedFactory(status=NeedStatus.SENT, first_sent_at=sent, **kwargs)
    for _ in range(experts):
        match = MatchFactory(need=need)
        Match.objects.filter(pk=match.pk).update(sent_at=sent)
    return need


def closed_need(days_ago: float, status: MatchStatus = MatchStatus.HELPED, **kwargs: Any) -> Need:
    """A need whose (only) expert match was taken and closed `days_ago` days ago."""
    now = timezone.now()
    closed = now - dt.timedelta(days=days_ago)
    need_status = {MatchStatus.HELPED: NeedStatus.HELPED, MatchStatus.NOT_HELPED: NeedStatus.NOT_HELPED}.get(
        status, NeedStatus.UNREACHABLE
    )
    need: Need = NeedFactory(status=need_status, first_sent_at=closed - dt.timedelta(days=5),
                       first_taken_at=closed - dt.timedelta(days=4), closed_at=closed, **kwargs)  # fmt: skip
    match = MatchFactory(need=need, status=status)
    Match.objects.filter(pk=match.pk).update(
        sent_at=closed - dt.timedelta(days=5), taken_at=closed - dt.timedelta(days=4), closed_at=closed,
        taken_by=match.expert.user,
    )  # fmt: skip
    return need


def api_world(own: Any, users: dict[str, Any]) -> dict[str, int]:
    """For the API's role matrix and schema checks: a need sent to the `expert` user (made an expert of the needs
    part) and to a published solution of the IT company `own`; returns the ids."""
    need = NeedFactory(status=NeedStatus.SENT, first_sent_at=timezone.now())
    expert = ExpertFactory(user=users["expert"]) if "expert" in users else ExpertFactory()
    solution = SolutionFactory(vendor=own)
    expert_match = MatchFactory(need=need, expert=expert)
    MatchFactory(need=need, kind=MatchKind.SOLUTION, expert=None, solution=solution)
    return {"need": need.pk, "need_match": expert_match.pk, "solution": solution.pk, "subject": need.subject_id}
