"""Factories for the domain models; identifiers are checksum-valid by construction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from projectoffice.accounts.models import Membership, Role, User
from projectoffice.applications.models import Application, BudgetItem, ExpertAssignment
from projectoffice.applications.services import application_create
from projectoffice.applications.templates_loader import load_builtin_templates
from projectoffice.classifiers.models import OkpdCode, OkvedCode, Region, Tag
from projectoffice.kpis.models import Indicator, Method, Target, Unit
from projectoffice.matching.models import Subscription
from projectoffice.opportunities.models import Opportunity, OpportunityKind, OpportunityStatus, Tender
from projectoffice.opportunities.procurement import ItemRecord, TenderRecord
from projectoffice.opportunities.procurement_import import import_records
from projectoffice.organisations.identifiers import inn_check_digits, ogrn_check_digit
from projectoffice.organisations.models import Organisation, OrganisationFigures, OrganisationKind, SoftwareProduct
from projectoffice.projects.models import Project, ProjectInvestment, ProjectPartner
from projectoffice.projects.stages import Stage


def valid_inn(n: int) -> str:
    prefix = f"6312{n:05d}"
    return prefix + inn_check_digits(prefix)


def valid_ogrn(n: int) -> str:
    prefix = f"11963{n:07d}"
    return prefix + ogrn_check_digit(prefix)


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["iso_code"]

    iso_code = "RU-SAM"
    name = "Самарская"
    name_with_type = "Самарская обл"
    federal_district = "Приволжский"
    okato = "36000000000"
    oktmo = "36000000"
    tax_code = "63"
    kladr_id = "6300000000000"
    fias_id = "df3d7359-afa9-4aaa-8ff9-197e73906b1c"
    timezone = "UTC+4"
    search_text = "самарская обл ru sam 63"


class OkvedFactory(DjangoModelFactory):
    class Meta:
        model = OkvedCode
        django_get_or_create = ["code"]

    code = "62.01"
    name = "Разработка компьютерного программного обеспечения"
    section = "J"
    parent_code = "62.0"
    level = 3
    search_text = factory.LazyAttribute(lambda o: f"{o.code} {o.name}".lower())


class OkpdFactory(DjangoModelFactory):
    class Meta:
        model = OkpdCode
        django_get_or_create = ["code"]

    code = "62.01.11.000"
    name = "Услуги по проектированию и разработке информационных технологий"
    section = "J"
    level = 4
    search_text = factory.LazyAttribute(lambda o: f"{o.code} {o.name}".lower())


class TagFactory(DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"технология {n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.invalid")
    role = Role.COMMUNITY
    password = factory.django.Password("secret-pass-123")


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.IT_COMPANY
    name = factory.Sequence(lambda n: f"ООО «Тестовая компания {n}»")
    short_name = factory.Sequence(lambda n: f"Тестовая {n}")
    inn = factory.Sequence(valid_inn)
    ogrn = factory.Sequence(valid_ogrn)
    region = factory.SubFactory(RegionFactory)
    main_okved = factory.SubFactory(OkvedFactory)
    search_text = factory.LazyAttribute(lambda o: f"{o.name} {o.short_name} {o.inn}".lower())


class FiguresFactory(DjangoModelFactory):
    """One year of an organisation's revenue and headcount."""

    class Meta:
        model = OrganisationFigures

    organisation = factory.SubFactory(OrganisationFactory)
    year = 2025
    revenue = Decimal("100000000")
    headcount = 40


class SoftwareProductFactory(DjangoModelFactory):
    class Meta:
        model = SoftwareProduct

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Программа {n}")
    registry_number = factory.Sequence(lambda n: 1000 + n)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory, role=Role.MEMBER)
    organisation = factory.SubFactory(OrganisationFactory)


class ProjectFactory(DjangoModelFactory):
    class Meta:
        model = Project

    title = factory.Sequence(lambda n: f"Проект {n}")
    lead_organisation = factory.SubFactory(OrganisationFactory)
    summary = "Краткое описание проекта"
    trl = 5
    budget_total = Decimal("1000000")
    own_funds = Decimal("500000")
    requested_support = Decimal("500000")
    stage = Stage.IDEA
    search_text = factory.LazyAttribute(lambda o: f"{o.title} {o.summary}".lower())


class ProjectPartnerFactory(DjangoModelFactory):
    class Meta:
        model = ProjectPartner

    project = factory.SubFactory(ProjectFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class ProjectInvestmentFactory(DjangoModelFactory):
    """Money invested into a project outside applications."""

    class Meta:
        model = ProjectInvestment

    project = factory.SubFactory(ProjectFactory)
    amount = Decimal("1000000")
    received_on = factory.LazyFunction(timezone.localdate)


class OpportunityFactory(DjangoModelFactory):
    class Meta:
        model = Opportunity

    kind = OpportunityKind.GRANT
    external_id = factory.Sequence(lambda n: f"test-measure-{n}")
    title = factory.Sequence(lambda n: f"Грант на разработку {n}")
    provider_name = "Фонд содействия инновациям"
    status = OpportunityStatus.PUBLISHED
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))
    amount_max = Decimal("20000000")


class ApplicationFactory(DjangoModelFactory):
    """An application started the way users start one: by the service, from its funder's template.

    Any other field given (a status, the submission and outcome days, the amounts awarded) is then set on it, as
    if the later steps had been taken: for tests of what reads applications, not of those steps.
    """

    class Meta:
        model = Application

    project = factory.SubFactory(ProjectFactory)
    opportunity = factory.SubFactory(OpportunityFactory)

    @classmethod
    def _create(cls, model_class: type[Application], *args: Any, **kwargs: Any) -> Application:
        load_builtin_templates()
        project, opportunity = kwargs.pop("project"), kwargs.pop("opportunity")
        application = application_create(actor=UserFactory(role=Role.STAFF), project=project, opportunity=opportunity)
        if kwargs:
            model_class.objects.filter(pk=application.pk).update(**kwargs)
            application.refresh_from_db()
        return application


class TenderFactory(factory.Factory):
    """A notice imported the way the importer imports one: with its opportunity, items and index entry.

    `items` are (OKPD2 code, name) pairs; the customer's INN, when given, places the tender in its region.
    """

    class Meta:
        model = TenderRecord

    registry_number = factory.Sequence(lambda n: f"0342000000000{n:06d}")
    law = "44"
    title = factory.Sequence(lambda n: f"Закупка {n}")
    customer_name = "ГБУ «ДЕМО»"
    customer_inn = ""
    procedure = "Электронный аукцион"
    max_price = Decimal("1000000")
    published_at = factory.LazyFunction(timezone.now)
    version_at = factory.LazyAttribute(lambda o: o.published_at)
    submission_ends_at = factory.LazyAttribute(lambda o: o.published_at + dt.timedelta(days=20))
    items = factory.LazyAttribute(lambda o: [("62.01.11.000", o.title)])

    @classmethod
    def _create(cls, model_class: type[TenderRecord], *args: Any, **kwargs: Any) -> Tender:
        items = [ItemRecord(code, name) for code, name in kwargs.pop("items")]
        record = model_class(*args, items=items, **kwargs)
        import_records(iter([record]), "test")
        return Tender.objects.select_related("opportunity").get(registry_number=record.registry_number)


class BudgetItemFactory(DjangoModelFactory):
    class Meta:
        model = BudgetItem

    application = factory.SubFactory(ApplicationFactory)
    name = factory.Sequence(lambda n: f"Статья {n}")
    own_funds = Decimal("300000")
    requested = Decimal("700000")
    cofinancing = Decimal("0")


class ExpertAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = ExpertAssignment

    application = factory.SubFactory(ApplicationFactory)
    expert = factory.SubFactory(UserFactory, role=Role.EXPERT)
    assigned_by = factory.SubFactory(UserFactory, role=Role.STAFF)


class IndicatorFactory(DjangoModelFactory):
    class Meta:
        model = Indicator
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"indicator-{n}")
    name = factory.LazyAttribute(lambda o: f"Показатель {o.code}")
    unit = Unit.PIECES
    method = Method.EVENTS


class TargetFactory(DjangoModelFactory):
    """A year's plan for an indicator, as the agreement sets it."""

    class Meta:
        model = Target

    indicator = factory.SubFactory(IndicatorFactory)
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    quarter = None
    value = Decimal("100")
    agreement_number = "36"
    agreement_date = factory.LazyAttribute(lambda o: dt.date(o.year, 1, 15))


class SubscriptionFactory(DjangoModelFactory):
    """A digest subscription to the account's own (so already confirmed) address."""

    class Meta:
        model = Subscription

    user = factory.SubFactory(UserFactory)
    email = factory.LazyAttribute(lambda o: o.user.email)
    email_confirmed_at = factory.LazyFunction(timezone.now)


def member_of(organisation: Organisation, **kwargs: object) -> User:
    """A member user of the given organisation."""
    membership: Membership = MembershipFactory(organisation=organisation, **kwargs)
    return membership.user


class FunderProfileFactory(DjangoModelFactory):
    """A funder's mandate (flagships)."""

    class Meta:
        model = "flagships.FunderProfile"

    name = factory.Sequence(lambda n: f"Инвестор {n}")
    funder_class = "large_company"
    geography = "Россия"


class FlagshipFactory(DjangoModelFactory):
    class Meta:
        model = "flagships.Flagship"

    project = factory.SubFactory(ProjectFactory)
    target_classes = factory.LazyFunction(lambda: ["large_company"])


class DealFactory(DjangoModelFactory):
    """A conversation of a project with a funder, at «intro requested» unless told."""

    class Meta:
        model = "flagships.Deal"

    project = factory.SubFactory(ProjectFactory)
    funder_name = factory.Sequence(lambda n: f"Корпорация {n}")
    funder_class = "large_company"
    stage = "intro_requested"
    stage_changed_on = factory.LazyFunction(timezone.localdate)
