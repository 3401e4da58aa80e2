import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from projectoffice.applications.models import Application
from projectoffice.events.models import CheckIn
from projectoffice.kpis import ledger, services
from projectoffice.kpis.documents import report_pdf, report_xlsx
from projectoffice.kpis.models import Indicator, ManualEntry, QuarterlyReport
from tests import samples
from tests.conftest import client_for
from tests.events.factories import EventFactory, RegistrationFactory, SessionFactory
from tests.factories import (
    ApplicationFactory,
    IndicatorFactory,
    OpportunityFactory,
    OrganisationFactory,
    ProjectFactory,
    ProjectInvestmentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
YEAR = 2026
PDF = samples.pdf()


def _indicator(code: str, method: str, **extra) -> Indicator:  # type: ignore[no-untyped-def]
    indicator: Indicator = IndicatorFactory(code=code, name=code, method=method, **extra)
    return indicator


def _application(
    project,
    status: str,
    *,
    submitted: dt.date | None = None,
    decided: dt.date | None = None,  # type: ignore[no-untyped-def]
    readiness: int = 90,
    awarded: int = 0,
    cofinancing: int = 0,
    key: str = "a",
) -> Application:
    """An application to a grant of its own (`key` names the grant), with its outcome already recorded."""
    application: Application = ApplicationFactory(
        project=project,
        opportunity=OpportunityFactory(title=key),
        status=status,
        submitted_on=submitted,
        readiness_at_submission=readiness,
        outcome_on=decided,
        awarded_amount=Decimal(awarded),
        cofinancing_amount=Decimal(cofinancing),
    )
    return application


def test_investment_comes_from_supported_applications_and_project_investments_and_opens_to_them() -> None:
    indicator = _indicator("inv", "investment", unit="rub")
    project = ProjectFactory()
    _application(
        project,
        "supported",
        submitted=dt.date(YEAR, 2, 1),
        decided=dt.date(YEAR, 5, 10),
        awarded=1_000_000,
        cofinancing=250_000,
    )
    _application(ProjectFactory(), "declined", submitted=dt.date(YEAR, 2, 1), decided=dt.date(YEAR, 5, 10), key="b")
    ProjectInvestmentFactory(project=project, amount=Decimal(500_000), received_on=dt.date(YEAR, 8, 1), note="Раунд")
    row = ledger.dashboard(year=YEAR, indicators=[indicator])[0]
    assert row.facts == {2: Decimal("1250000.00"), 3: Decimal("500000.00")}
    assert row.cumulative == [0, Decimal("1250000.00"), Decimal("1750000.00"), Decimal("1750000.00")]
    records = ledger.records_for(indicator, YEAR, 2)
    assert [r.value for r in records] == [Decimal(1_250_000)] and records[0].url.startswith("/applications/")
    assert ledger.dashboard(year=YEAR, indicators=[indicator])[0].facts == row.facts  # the same figure twice


def test_projects_prepared_count_unique_projects_with_readiness_80() -> None:
    indicator = _indicator("prep", "prepared")
    project = ProjectFactory()
    _application(project, "submitted", submitted=dt.date(YEAR, 1, 10))
    _application(project, "submitted", submitted=dt.date(YEAR, 4, 10), key="b")
    _application(ProjectFactory(), "submitted", submitted=dt.date(YEAR, 4, 11), readiness=60, key="c")
    row = ledger.dashboard(year=YEAR, indicators=[indicator])[0]
    assert (row.facts, row.fact_year) == ({1: 1}, 1)
    assert len(ledger.records_for(indicator, YEAR, None)) == 1


def test_events_participants_and_trained_people() -> None:
    events = _indicator("events", "events")
    courses = _indicator("courses", "events", method_param="course")
    trained = _indicator("trained", "trained")
    course = EventFactory(
        kind="course", min_sessions_for_certificate=1, starts_at=dt.datetime(YEAR, 3, 1, 10, tzinfo=dt.UTC)
    )
    EventFactory(kind="forum", starts_at=dt.datetime(YEAR, 6, 1, 10, tzinfo=dt.UTC))
    session = SessionFactory(event=course)
    staff = UserFactory(role="staff")
    person = RegistrationFactory(event=course)
    CheckIn.objects.create(registration=person, session=session, checked_by=staff)
    RegistrationFactory(event=course)  # registered, never came
    rows = {r.indicator.code: r for r in ledger.dashboard(year=YEAR, indicators=[events, courses, trained])}
    assert rows["events"].facts == {1: 1, 2: 1} and rows["courses"].facts == {1: 1}
    assert rows["trained"].fact_year == 1
    assert ledger.records_for(trained, YEAR, 1)[0].label.startswith(person.full_name)


def test_engaged_companies_and_digitalising_enterprises() -> None:
    engaged = _indicator("engaged", "engaged")
    digital = _indicator("digital", "digitalisation")
    it = OrganisationFactory(kind="it_company")
    plant = OrganisationFactory(kind="industrial")
    project = ProjectFactory(lead_organisation=it)
    project.partnerships.create(organisation=plant)
    year = project.created_at.year
    rows = {r.indicator.code: r for r in ledger.dashboard(year=year, indicators=[engaged, digital])}
    assert rows["engaged"].fact_year == 1 and rows["digital"].fact_year == 1
    assert ledger.records_for(digital, year, None)[0].label == plant.name


def test_companies_whose_people_attended_count_as_engaged_however_the_name_was_typed() -> None:
    engaged = _indicator("engaged", "engaged")
    volga = OrganisationFactory(kind="it_company", name="ООО «Волга Софт»", short_name="Волга Софт")
    OrganisationFactory(kind="industrial", name="АО «Завод»", short_name="Завод")
    event = EventFactory(kind="meetup")
    staff = UserFactory(role="staff")
    for typed in ["волга софт", "ООО Волга Софт", "  «ВОЛГА  СОФТ» ", "Завод", "Неизвестная контора"]:
        CheckIn.objects.create(registration=RegistrationFactory(event=event, organisation_name=typed), checked_by=staff)
    year = timezone.localdate().year
    row = ledger.dashboard(year=year, indicators=[engaged])[0]
    assert row.fact_year == 1
    assert [record.label for record in ledger.records_for(engaged, year, None)] == [volga.name]


def test_manual_entries_need_evidence_and_a_second_approver() -> None:
    indicator = _indicator("manual", "manual")
    author, approver = UserFactory(role="staff"), UserFactory(role="staff")
    with pytest.raises(ValidationError, match="подтверждающий документ"):
        services.manual_entry_add(
            actor=author, indicator=indicator, year=YEAR, quarter=1, value=Decimal(5), comment="", evidence=None
        )
    with pytest.raises(ValidationError, match="отрицательным"):
        services.manual_entry_add(actor=author, indicator=indicator, year=YEAR, quarter=1, value=Decimal(-5), comment="",
                                  evidence=SimpleUploadedFile("p.pdf", PDF))  # fmt: skip
    with pytest.raises(ValidationError, match="квартал"):
        services.manual_entry_add(actor=author, indicator=indicator, year=YEAR, quarter=5, value=Decimal(5), comment="",
                                  evidence=SimpleUploadedFile("p.pdf", PDF))  # fmt: skip
    entry = services.manual_entry_add(actor=author, indicator=indicator, year=YEAR, quarter=2, value=Decimal(7), comment="Протокол",
                                      evidence=SimpleUploadedFile("p.pdf", PDF))  # fmt: skip
    assert ledger.dashboard(year=YEAR, indicators=[indicator])[0].fact_year == 0  # not yet approved
    with pytest.raises(ValidationError, match="другой сотрудник"):
        services.manual_entry_decide(actor=author, entry=entry, approve=True)
    with pytest.raises(PermissionDenied):
        services.manual_entry_decide(actor=UserFactory(role="grantor"), entry=entry, approve=True)
    services.manual_entry_decide(actor=approver, entry=entry, approve=True)
    assert ledger.dashboard(year=YEAR, indicators=[indicator])[0].fact_year == 7
    assert ManualEntry.objects.get().approved_by == approver


def test_targets_for_periods_that_do_not_exist_are_refused() -> None:
    indicator = _indicator("t", "events")
    staff = UserFactory(role="staff")
    for year, quarter in [(YEAR, 5), (YEAR, 0), (1800, None)]:
        with pytest.raises(ValidationError):
            services.target_set(actor=staff, indicator=indicator, year=year, quarter=quarter, value=Decimal(1),
                                agreement_number="1", agreement_date=dt.date(YEAR, 1, 1))  # fmt: skip
    services.target_set(actor=staff, indicator=indicator, year=YEAR, quarter=None, value=Decimal(10), agreement_number="36",
                        agreement_date=dt.date(YEAR, 1, 15))  # fmt: skip
    row = ledger.dashboard(year=YEAR, indicators=[indicator], today=dt.date(YEAR, 7, 1))[0]
    assert row.target_year == 10 and row.status == "behind"


def test_a_submitted_report_is_frozen_hashed_and_submitted_once() -> None:
    indicator = _indicator("events", "events")
    EventFactory(starts_at=dt.datetime(YEAR, 1, 20, 10, tzinfo=dt.UTC))
    staff = UserFactory(role="staff")
    report = services.report_get_or_create(year=YEAR, quarter=1)
    report = services.report_submit(actor=staff, report=report, comments={"events": "Форум и митап"})
    assert ledger.verify(report) and len(report.sha256) == 64
    assert report.snapshot is not None and report.snapshot["indicators"][0]["fact_quarter"] == "1.00"
    with pytest.raises(ValidationError, match="уже сдан"):
        services.report_submit(actor=staff, report=report)
    EventFactory(starts_at=dt.datetime(YEAR, 2, 20, 10, tzinfo=dt.UTC))  # a record changes after submission
    report.refresh_from_db()
    assert report.snapshot is not None and report.snapshot["indicators"][0]["fact_quarter"] == "1.00"
    assert ledger.divergences(report) == {"events": ("1.00", "2.00")}
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(report_xlsx(report.snapshot, report.sha256))).active
    assert [c.value for c in sheet[3]][:2] == [indicator.name, "ед."]
    assert report_pdf(report.snapshot, report.sha256).startswith(b"%PDF")
    QuarterlyReport.objects.filter(pk=report.pk).update(snapshot={**(report.snapshot or {}), "indicators": []})
    report.refresh_from_db()
    assert not ledger.verify(report)


def test_pages_permissions_public_data_and_tamper_notice(client: Client) -> None:
    indicator = _indicator("events", "events", is_public=True)
    _indicator("secret", "events")
    assert client.get(reverse("kpis:dashboard")).status_code == 302
    assert client_for(UserFactory(role="member")).get(reverse("kpis:dashboard")).status_code == 403
    grantor = client_for(UserFactory(role="grantor"))
    assert grantor.get(reverse("kpis:dashboard")).status_code == 200
    assert grantor.get(reverse("kpis:records", args=[indicator.code, YEAR, "year"])).status_code == 200
    public = client.get(reverse("kpis:public"), {"format": "json", "year": YEAR}).json()
    assert [i["code"] for i in public["indicators"]] == ["events"]
    assert "events" in client.get(reverse("kpis:public"), {"format": "csv"}).content.decode("utf-8-sig")
    staff = UserFactory(role="staff")
    report = services.report_submit(actor=staff, report=services.report_get_or_create(year=YEAR, quarter=2))
    QuarterlyReport.objects.filter(pk=report.pk).update(sha256="0" * 64)
    assert "отчёт изменён после сдачи" in grantor.get(reverse("kpis:report", args=[report.pk])).content.decode()


def test_the_records_page_total_reads_as_roubles_once() -> None:
    indicator = _indicator("inv", "investment", unit="rub")
    ProjectInvestmentFactory(amount=Decimal(150_000_000), received_on=dt.date(YEAR, 8, 1), note="Раунд")
    page = client_for(UserFactory(role="grantor")).get(reverse("kpis:records", args=[indicator.code, YEAR, "year"]))
    text = page.content.decode()
    assert "итого 150\xa0000\xa0000\xa0₽" in text and "руб.." not in text


def test_frozen_and_current_figures_read_as_russian_numbers_on_the_dashboard_and_the_report() -> None:
    _indicator("events", "events")
    EventFactory(starts_at=dt.datetime(YEAR, 1, 20, 10, tzinfo=dt.UTC))
    report = services.report_submit(
        actor=UserFactory(role="staff"), report=services.report_get_or_create(year=YEAR, quarter=1)
    )
    EventFactory(starts_at=dt.datetime(YEAR, 2, 20, 10, tzinfo=dt.UTC))  # the figure changes after submission
    grantor = client_for(UserFactory(role="grantor"))
    dashboard = grantor.get(reverse("kpis:dashboard"), {"year": YEAR}).content.decode()
    assert "Сданный отчёт за 1 кв.: 1, сейчас: 2" in dashboard and "1.00" not in dashboard
    page = grantor.get(reverse("kpis:report", args=[report.pk])).content.decode()
    assert "в отчёте 1, сейчас 2" in page and "1.00" not in page


def test_the_dashboard_runs_a_constant_number_of_queries(client: Client) -> None:
    for code, method in [("inv", "investment"), ("ev", "events"), ("tr", "trained"), ("pa", "participants")]:
        _indicator(code, method)
    grantor = client_for(UserFactory(role="grantor"))

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert grantor.get(reverse("kpis:dashboard"), {"year": YEAR}).status_code == 200
        return len(queries)

    few = count()
    for n in range(5):
        event = EventFactory(starts_at=dt.datetime(YEAR, 1 + n, 3, 10, tzinfo=dt.UTC))
        for _ in range(3):
            RegistrationFactory(event=event)
    assert count() == few


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the side-by-side computation runs on PostgreSQL")
def test_side_by_side_computation_gives_the_same_rows_as_one_connection() -> None:
    for code, method in [("ev", "events"), ("pa", "participants"), ("tr", "trained"), ("en", "engaged")]:
        _indicator(code, method)
    EventFactory(starts_at=dt.datetime(YEAR, 2, 3, 10, tzinfo=dt.UTC))
    RegistrationFactory(event=EventFactory(starts_at=dt.datetime(YEAR, 5, 3, 10, tzinfo=dt.UTC)))
    together = ledger.dashboard_years(years=[YEAR, YEAR - 1], parallel=True)
    alone = ledger.dashboard_years(years=[YEAR, YEAR - 1], parallel=False)
    assert {y: [(r.indicator.code, r.facts) for r in rows] for y, rows in together.items()} == {
        y: [(r.indicator.code, r.facts) for r in rows] for y, rows in alone.items()
    }


def test_a_tagged_project_shows_its_contribution() -> None:
    from django.contrib.contenttypes.models import ContentType

    from projectoffice.kpis.contributions import contributions
    from projectoffice.kpis.models import KpiLink

    indicator = _indicator("inv", "investment", unit="rub")
    project = ProjectFactory()
    _application(project, "supported", submitted=dt.date(YEAR, 2, 1), decided=dt.date(YEAR, 3, 1), awarded=400_000)
    _application(
        ProjectFactory(),
        "supported",
        submitted=dt.date(YEAR, 2, 1),
        decided=dt.date(YEAR, 3, 1),
        awarded=900_000,
        key="b",
    )
    KpiLink.objects.create(
        indicator=indicator, content_type=ContentType.objects.get_for_model(project), object_id=project.pk
    )
    [mine] = contributions(project, year=YEAR)
    assert (mine.indicator, mine.value, mine.records) == (indicator, Decimal(400_000), 1)
    body = client_for(UserFactory(role="grantor")).get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Вклад в показатели" in body


def test_attendee_names_behind_a_figure_are_shown_to_the_office_only_and_never_frozen_into_a_report() -> None:
    trained = _indicator("trained", "trained")
    course = EventFactory(
        kind="course", min_sessions_for_certificate=1, starts_at=dt.datetime(YEAR, 3, 1, 10, tzinfo=dt.UTC)
    )
    session = SessionFactory(event=course)
    staff = UserFactory(role="staff")
    person = RegistrationFactory(event=course, full_name="Анна Секретова")
    CheckIn.objects.create(registration=person, session=session, checked_by=staff)
    api = f"/api/v1/kpis/indicators/{trained.code}/records?year={YEAR}"
    page = reverse("kpis:records", args=[trained.code, YEAR, "year"])
    grantor = client_for(UserFactory(role="grantor"))
    for response in (grantor.get(api), grantor.get(page)):
        assert response.status_code == 200
        assert "Секретова" not in response.content.decode()
        assert f"участник № {person.pk}" in response.content.decode()
    assert "Секретова" in client_for(staff).get(api).content.decode()
    report = services.report_submit(actor=staff, report=services.report_get_or_create(year=YEAR, quarter=1))
    assert "Секретова" not in str(report.snapshot)


def test_submitting_a_report_from_the_page_needs_the_explicit_confirmation() -> None:
    _indicator("events", "events")
    staff = client_for(UserFactory(role="staff"))
    report = services.report_get_or_create(year=YEAR, quarter=3)
    url = reverse("kpis:report", args=[report.pk])
    page = staff.get(url).content.decode()
    assert 'name="confirm"' in page and "Сдача необратима" in page
    refused = staff.post(url, {"comment-events": "Форум прошёл"})
    assert refused.status_code == 400
    assert "подтвердите, что цифры и комментарии проверены" in refused.content.decode()
    assert "Форум прошёл" in refused.content.decode()  # what was typed is not lost
    report.refresh_from_db()
    assert report.status == "draft" and report.snapshot is None and not report.comments
    assert staff.post(url, {"comment-events": "Форум прошёл", "confirm": "on"}).status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted" and report.comments == {"events": "Форум прошёл"}
