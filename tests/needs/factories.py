"""Factories of the needs part (shared by every needs test, this branch's and the operations part's)."""

from __future__ import annotations

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from projectoffice.accounts.models import Role
from projectoffice.needs.models import (
    Expert,
    IntakeRequest,
    IntakeStatus,
    Match,
    MatchKind,
    Municipality,
    MunicipalityKind,
    Need,
    PartnerInstitution,
    Solution,
    SolutionCase,
    Subject,
    Theme,
)
from projectoffice.organisations.models import OrganisationKind
from tests.factories import OkvedFactory, OrganisationFactory, UserFactory


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
    name = "MES и диспетчеризация"
    keywords = "MES диспетчеризация производство оборудование простой"


class MunicipalityFactory(DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ["oktmo"]

    name = "городской округ Самара"
    short_name = "Самара"
    kind = MunicipalityKind.URBAN_DISTRICT
    oktmo = "36701000"


class EnterpriseFactory(OrganisationFactory):
    kind = OrganisationKind.INDUSTRIAL
    main_okved = factory.SubFactory(
        OkvedFactory, code="25.62", name="Обработка металлических изделий механическая", section="C", parent_code="25.6"
    )


class IntakeRequestFactory(DjangoModelFactory):
    class Meta:
        model = IntakeRequest

    organisation = factory.SubFactory(EnterpriseFactory)
    inn = factory.LazyAttribute(lambda o: o.organisation.inn if o.organisation else "6312000016")
    organisation_name = factory.LazyAttribute(lambda o: o.organisation.name if o.organisation else "ООО «Новое»")
    contact_name = "Иван Петрович Заводской"
    contact_email = "ivan@zavod.example.invalid"
    contact_phone = "+7 846 200-00-00"
    contact_position = "главный инженер"
    subject = factory.SubFactory(SubjectFactory)
    description = "Нужна система диспетчеризации станков: видеть простой оборудования в реальном времени."
    consent_at = factory.LazyFunction(timezone.now)
    consent_version = "2026-12"
    status = IntakeStatus.CONFIRMED
    submitted_at = factory.LazyFunction(timezone.now)
    confirmed_at = factory.LazyFunction(timezone.now)
    status_salt = factory.Sequence(lambda n: f"salt{n}")


class NeedFactory(DjangoModelFactory):
    class Meta:
        model = Need

    request = factory.SubFactory(IntakeRequestFactory)
    organisation = factory.LazyAttribute(lambda o: o.request.organisation)
    subject = factory.LazyAttribute(lambda o: o.request.subject)
    municipality = factory.SubFactory(MunicipalityFactory)
    title = "Диспетчеризация станков"
    description = factory.LazyAttribute(lambda o: o.request.description)
    qualified_at = factory.LazyFunction(timezone.now)


class SolutionFactory(DjangoModelFactory):
    class Meta:
        model = Solution

    vendor = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Диспетчер-{n}")
    description = "MES-система: диспетчеризация станков, учёт простоя оборудования, сменные задания."
    registry_number = factory.Sequence(lambda n: 20000 + n)
    registry_class = "Системы управления производственными процессами (MES)"
    okved_codes = factory.LazyFunction(lambda: ["25", "28"])
    published = True

    @factory.post_generation
    def subjects(self, create: bool, extracted: list[Subject] | None, **kwargs: object) -> None:
        if create and extracted:
            self.subjects.set(extracted)


class SolutionCaseFactory(DjangoModelFactory):
    class Meta:
        model = SolutionCase

    solution = factory.SubFactory(SolutionFactory)
    customer = "АО «Металлист»"
    industry_okved = "25.61"
    task = "Видеть простой станков"
    result = "Простой сократился"
    figures = "простой −18 % за полгода"


class InstitutionFactory(DjangoModelFactory):
    class Meta:
        model = PartnerInstitution

    name = factory.Sequence(lambda n: f"Центр компетенций {n}")
    kind = "competence_centre"
    email = "centre@example.invalid"


class ExpertFactory(DjangoModelFactory):
    class Meta:
        model = Expert

    user = factory.SubFactory(UserFactory, role=Role.EXPERT)
    institution = factory.SubFactory(InstitutionFactory)
    max_open_needs = 5

    @factory.post_generation
    def subjects(self, create: bool, extracted: list[Subject] | None, **kwargs: object) -> None:
        if create and extracted:
            self.subjects.set(extracted)


class MatchFactory(DjangoModelFactory):
    class Meta:
        model = Match

    need = factory.SubFactory(NeedFactory)
    kind = MatchKind.EXPERT
    expert = factory.SubFactory(ExpertFactory)
