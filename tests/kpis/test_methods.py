"""Every computed figure is the sum of the records behind it, on records made to catch a rule written twice.

The world below holds, beside what counts, what must not: a withdrawn and a declined application with amounts,
a draft with high readiness, an unpublished course with a person who completed it, cancelled and waitlisted
registrations, a person trained twice under two spellings of one e-mail, a declined project with an industrial
partner, typed organisation names that match nothing or an organisation of another kind, a pending manual value,
and moments whose local day (Europe/Samara) is in another quarter or year than their UTC day.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from projectoffice.applications.models import Application
from projectoffice.events.models import CheckIn, Event, Registration
from projectoffice.kpis import ledger
from projectoffice.kpis.contributions import contributions
from projectoffice.kpis.methods import RecordRef
from projectoffice.kpis.models import Indicator, KpiLink, ManualEntry, Method
from projectoffice.opendata.models import Company, YearFigure
from projectoffice.organisations.models import Organisation
from projectoffice.participation import services as participation_services
from projectoffice.participation.models import Answer, Remark
from projectoffice.projects.models import Project
from tests.events.factories import EventFactory, RegistrationFactory, SessionFactory
from tests.factories import ApplicationFactory, OrganisationFactory, ProjectFactory, UserFactory
from tests.flagships.helpers import complete_materials, engage, flagship_with_partners
from tests.participation.factories import ProposalFactory, answer_state, open_process

pytestmark = pytest.mark.django_db
YEARS = [2024, 2025]
UTC = dt.UTC


def _local(year: int, month: int, day: int, hour: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour))


def _project(lead: Organisation, created: dt.datetime, **fields: Any) -> Project:
    project = ProjectFactory(lead_organisation=lead, **fields)
    Project.objects.filter(pk=project.pk).update(created_at=created)
    return Project.objects.get(pk=project.pk)


def _application(project: Project, created: dt.datetime, **fields: Any) -> Application:
    application = ApplicationFactory(project=project)
    Application.objects.filter(pk=application.pk).update(created_at=created, **fields)
    return Application.objects.get(pk=application.pk)


def _attended(registration: Registration, *sessions: Any, at: dt.datetime) -> None:
    staff = UserFactory(role="staff")
    for session in sessions or [None]:
        checkin = CheckIn.objects.create(registration=registration, session=session, checked_by=staff)
        CheckIn.objects.filter(pk=checkin.pk).update(checked_at=at)


def _event(kind: str, ends: dt.datetime, **fields: Any) -> Event:
    event: Event = EventFactory(kind=kind, starts_at=ends - dt.timedelta(hours=2), ends_at=ends, **fields)
    return event


def _strategy() -> None:
    """Proposals to the strategy: answers accepted (2025 Q2), accepted but still a draft, rejected; remarks учтено
    (2025 Q3), учтено частично at 21:30 UTC on 30 June (1 July in Samara: Q3), не учтено, and учтено but hidden."""
    staff = UserFactory(role="staff")
    states = {n: answer_state(n) for n in ("Принято", "Отклонено")}
    for state, published in (("Принято", _local(2025, 5, 5)), ("Принято", None), ("Отклонено", _local(2025, 5, 6))):
        Answer.objects.create(
            proposal=ProposalFactory(), state=states[state], text="—", drafted_by=staff, published_at=published
        )
    version = participation_services.version_publish(actor=staff, process=open_process(), title="С",
                                                     text="Один.\n\nДва.\n\nТри.\n\nЧетыре.\n")  # fmt: skip
    moments = [_local(2025, 8, 1), dt.datetime(2025, 6, 30, 21, 30, tzinfo=UTC), _local(2025, 8, 2), _local(2025, 8, 3)]
    for paragraph, disposition, at, visibility in zip(version.paragraphs.order_by("order"),
                                                      ["accepted", "partial", "rejected", "accepted"], moments,
                                                      ["visible", "visible", "visible", "hidden"], strict=True):  # fmt: skip
        Remark.objects.create(paragraph=paragraph, author=staff, text="Замечание", disposition=disposition,
                              disposed_at=at, visibility=visibility)  # fmt: skip


@pytest.fixture
def world() -> dict[str, Any]:
    volga = OrganisationFactory(kind="it_company", name="ООО «Волга Софт»", short_name="Волга Софт")
    delta = OrganisationFactory(kind="it_company", name="ООО «Дельта»", short_name="Дельта")
    OrganisationFactory(kind="industrial", name="АО «Завод»", short_name="Завод")
    plant = OrganisationFactory(kind="industrial")
    partner = OrganisationFactory(kind="industrial")
    declined_partner = OrganisationFactory(kind="industrial")

    first = _project(volga, _local(2025, 2, 10))
    first.partnerships.create(organisation=partner)
    second = _project(delta, _local(2024, 3, 3))
    third = _project(plant, _local(2025, 7, 1))
    _project(delta, _local(2025, 5, 5), stage="declined").partnerships.create(organisation=declined_partner)

    supported = _application(first, _local(2025, 1, 25), status="supported", submitted_on=dt.date(2025, 2, 1),
                             readiness_at_submission=90, outcome_on=dt.date(2025, 5, 10),
                             awarded_amount=Decimal(1_000_000), cofinancing_amount=Decimal(250_000))  # fmt: skip
    _application(first, _local(2025, 3, 20), status="supported", submitted_on=dt.date(2025, 4, 1),
                 readiness_at_submission=85, outcome_on=dt.date(2025, 8, 1), awarded_amount=Decimal(300_000))  # fmt: skip
    _application(second, _local(2025, 3, 1), status="withdrawn", submitted_on=dt.date(2025, 3, 5),
                 readiness_at_submission=95, awarded_amount=Decimal(999))  # fmt: skip
    _application(second, _local(2024, 10, 10), status="declined", submitted_on=dt.date(2024, 11, 1),
                 readiness_at_submission=90, outcome_on=dt.date(2025, 2, 1), awarded_amount=Decimal(500_000))  # fmt: skip
    _application(second, _local(2025, 4, 4), status="draft", readiness_at_submission=99)
    _application(third, _local(2025, 6, 1), status="submitted", submitted_on=dt.date(2025, 6, 30),
                 readiness_at_submission=60)  # fmt: skip
    _application(third, _local(2024, 9, 1), status="supported", submitted_on=dt.date(2024, 10, 1),
                 readiness_at_submission=70, outcome_on=dt.date(2024, 12, 20), awarded_amount=Decimal(2_000_000))  # fmt: skip
    first.investments.create(amount=Decimal(500_000), received_on=dt.date(2025, 8, 15), note="Раунд")
    second.investments.create(amount=Decimal(100_000), received_on=dt.date(2024, 6, 1))

    # 22:30 UTC on 31 March is 02:30 on 1 April in Samara; 21:00 UTC on 31 December 2024 is already 2025 there.
    forum = _event("forum", dt.datetime(2025, 3, 31, 22, 30, tzinfo=UTC))
    winter = _event("course", dt.datetime(2024, 12, 31, 21, 0, tzinfo=UTC))  # every session needed
    draft = _event("course", _local(2025, 5, 10), status="draft", min_sessions_for_certificate=1)
    autumn = _event("course", _local(2025, 9, 10), min_sessions_for_certificate=1)
    winter_sessions = [SessionFactory(event=winter), SessionFactory(event=winter)]
    draft_session, autumn_session = SessionFactory(event=draft), SessionFactory(event=autumn)

    guest = RegistrationFactory(event=forum, organisation_name="ооо волга софт")
    _attended(guest, at=_local(2025, 1, 20))  # checked in early: a test moment, not a real one
    for typed in ["Неизвестная контора", "Завод"]:
        _attended(RegistrationFactory(event=forum, organisation_name=typed), at=_local(2025, 4, 1))
    RegistrationFactory(event=forum, status="cancelled")
    RegistrationFactory(event=forum, status="waitlisted")
    _attended(RegistrationFactory(event=winter, email="Anna@example.invalid"), *winter_sessions, at=_local(2025, 1, 1))
    _attended(RegistrationFactory(event=winter), winter_sessions[0], at=_local(2025, 1, 1))  # one of two sessions
    _attended(RegistrationFactory(event=draft), draft_session, at=_local(2025, 5, 10))
    _attended(RegistrationFactory(event=autumn, email="anna@example.invalid"), autumn_session, at=_local(2025, 9, 10))
    boris = RegistrationFactory(event=autumn, email="boris@example.invalid")
    _attended(boris, autumn_session, at=_local(2025, 9, 10))
    _attended(RegistrationFactory(organisation_name="Дельта", event=_event("meetup", _local(2024, 2, 2))),
              at=_local(2024, 2, 2))  # fmt: skip

    _strategy()
    # the region's market in the FNS open data: two IT companies, an industrial one and an entrepreneur (neither counts)
    for inn, kind, category, seen, individual in [("6300000001", "it_company", "micro", dt.date(2025, 2, 10), False),
                                                  ("6300000002", "it_company", "small", dt.date(2024, 11, 10), False),
                                                  ("6300000003", "industrial", "micro", dt.date(2025, 2, 10), False),
                                                  ("630000000004", "it_company", "micro", dt.date(2025, 2, 10), True)]:  # fmt: skip
        Company.objects.create(inn=inn, name=f"ООО {inn}", kind=kind, category=category, sme_as_of=seen,
                               in_sme_registry=True, individual=individual)  # fmt: skip
    for inn, year, measure, value in [("6300000001", 2024, "headcount", 12), ("6300000001", 2025, "headcount", 20),
                                      ("6300000003", 2025, "headcount", 500), ("6300000002", 2024, "income", 1_000_000),
                                      ("6300000002", 2025, "income", 3_000_000), ("630000000004", 2025, "income", 9)]:  # fmt: skip
        YearFigure.objects.create(inn=inn, year=year, measure=measure, value=value, as_of=dt.date(year, 12, 31),
                                  source="ФНС")  # fmt: skip

    # a flagship meeting the promise: science and business partners, materials ready, a large company engaged in Q2
    office = UserFactory(role="staff")
    flagship = flagship_with_partners(office)
    complete_materials(office, flagship)
    engage(office, flagship, dt.date(2025, 5, 10))

    author, approver = UserFactory(role="staff"), UserFactory(role="staff")
    return {"first": first, "second": second, "supported": supported, "winter": winter, "boris": boris,
            "entry": {"entered_by": author, "approved_by": approver, "evidence": "kpis/evidence/x.pdf"}}  # fmt: skip


# (method, parameter) → the figures by year and quarter the world above must give.
EXPECTED: dict[tuple[str, str], dict[int, dict[int, int]]] = {
    ("investment", ""): {2024: {2: 100_000, 4: 2_000_000}, 2025: {2: 1_250_000, 3: 300_000 + 500_000}},
    ("prepared", ""): {2024: {4: 1}, 2025: {1: 2}},
    ("supported", ""): {2024: {4: 1}, 2025: {2: 1}},
    ("events", ""): {2024: {1: 1}, 2025: {1: 1, 2: 1, 3: 1}},
    ("events", "course"): {2024: {}, 2025: {1: 1, 3: 1}},
    ("participants", ""): {2024: {1: 1}, 2025: {1: 2, 2: 3, 3: 2}},
    ("trained", ""): {2024: {}, 2025: {1: 1, 3: 1}},
    ("engaged", ""): {2024: {1: 1}, 2025: {1: 2}},
    ("digitalisation", ""): {2024: {}, 2025: {1: 1, 3: 1}},
    ("strategy", ""): {2024: {}, 2025: {2: 1, 3: 2}},
    ("flagships", ""): {2024: {}, 2025: {2: 1}},
    ("manual", ""): {2024: {4: 3}, 2025: {2: 7}},
    ("market_companies", ""): {2024: {4: 1}, 2025: {1: 1}},
    ("market_companies", "micro"): {2024: {}, 2025: {1: 1}},
    ("market_headcount", ""): {2024: {4: 12}, 2025: {4: 20}},
    ("market_income", ""): {2024: {4: 1_000_000}, 2025: {4: 3_000_000}},
}


def test_every_method_has_a_case() -> None:
    assert {method for method, _param in EXPECTED} == set(Method.values)


@pytest.mark.parametrize(("method", "param"), list(EXPECTED), ids=[f"{m}-{p}" if p else m for m, p in EXPECTED])
def test_each_figure_is_the_sum_of_the_records_behind_it(world: dict[str, Any], method: str, param: str) -> None:
    indicator = Indicator.objects.create(code="k", name="k", unit="pieces", method=method, method_param=param)
    ManualEntry.objects.create(indicator=indicator, year=2025, quarter=2, value=7, status="approved", **world["entry"])
    ManualEntry.objects.create(indicator=indicator, year=2025, quarter=2, value=100, **world["entry"])  # pending
    ManualEntry.objects.create(indicator=indicator, year=2024, quarter=4, value=3, status="approved", **world["entry"])
    rows = ledger.dashboard_years(years=YEARS, indicators=[indicator], parallel=False)
    assert {year: rows[year][0].facts for year in YEARS} == EXPECTED[(method, param)]
    for year in YEARS:
        row = rows[year][0]
        for quarter in [1, 2, 3, 4, None]:
            records = ledger.records_for(indicator, year, quarter)
            figure = row.fact_year if quarter is None else row.facts.get(quarter, 0)
            assert sum(r.value for r in records) == figure, (year, quarter, records)
            for record in records:  # each record names its row, and the row is there
                assert apps.get_model(record.model).objects.filter(pk=record.pk).exists()


def test_the_records_of_a_quarter_are_those_of_the_year_on_days_of_that_quarter(world: dict[str, Any]) -> None:
    indicator = Indicator.objects.create(code="p", name="p", unit="persons", method="participants")
    year = ledger.records_for(indicator, 2025, None)
    quarters = [r for q in [1, 2, 3, 4] for r in ledger.records_for(indicator, 2025, q)]
    assert quarters == year
    # The forum ended on 31 March in UTC and on 1 April in Samara: it is a record of the second quarter.
    assert {r.day for r in ledger.records_for(indicator, 2025, 2)} == {"2025-04-01"}


def _tag(indicator: Indicator, instance: Any) -> None:
    KpiLink.objects.create(
        indicator=indicator, content_type=ContentType.objects.get_for_model(instance), object_id=instance.pk
    )


def test_contributions_are_the_records_of_the_object_and_its_parts_found_by_model_and_pk(world: dict[str, Any]) -> None:
    investment = Indicator.objects.create(code="inv", name="inv", unit="rub", method="investment")
    participants = Indicator.objects.create(code="pa", name="pa", unit="persons", method="participants")
    trained = Indicator.objects.create(code="tr", name="tr", unit="persons", method="trained")
    for instance in [world["first"], world["second"], world["supported"]]:
        _tag(investment, instance)
    for indicator in [participants, trained]:
        _tag(indicator, world["winter"])
    # A project: its two supported applications and its investment; not another project's, nor its withdrawn one.
    [first] = contributions(world["first"], year=2025)
    assert (first.value, first.records) == (Decimal(1_250_000 + 300_000 + 500_000), 3)
    [second] = contributions(world["second"], year=2025)
    assert (second.value, second.records) == (0, 0)
    [application] = contributions(world["supported"], year=2025)
    assert (application.value, application.records) == (Decimal(1_250_000), 1)
    # An event: its confirmed registrations, and the one person it trained.
    figures = {c.indicator.code: (c.value, c.records) for c in contributions(world["winter"], year=2025)}
    assert figures == {"pa": (2, 2), "tr": (1, 1)}


def test_a_record_concerns_its_own_row_and_what_it_is_part_of_not_another_table_with_the_same_number() -> None:
    record = RecordRef("участник", "Анна — Курс", "/events/kurs/attendees/", Decimal(1), "2025-01-01",
                       "events.registration", 5, part_of=(("events.event", 3),))  # fmt: skip
    assert record.concerns(("events.registration", 5)) and record.concerns(("events.event", 3))
    assert not record.concerns(("projects.project", 3)) and not record.concerns(("events.registration", 3))
