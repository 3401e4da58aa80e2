"""Every time a person reads is local time (TIME_ZONE, Europe/Samara): pages, e-mails, PDF, XLSX and messages.

All moments here are 08:07 in Samara, which is 04:07 in UTC: a page or document showing «04:07» leaks UTC.
A template or module that shows a time without a case below fails the coverage tests, so a new one gets one.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from projectoffice.accounts.models import User
from projectoffice.accounts.tokens import token_issue
from projectoffice.applications import services as application_services
from projectoffice.applications.models import Application
from projectoffice.applications.templates_loader import load_builtin_templates
from projectoffice.audit.models import AuditEvent
from projectoffice.events import notifications
from projectoffice.events import services as event_services
from projectoffice.events.models import Event, Registration, Session, SessionBooking
from projectoffice.kpis import services as kpi_services
from projectoffice.kpis.documents import report_pdf, report_xlsx
from projectoffice.kpis.models import QuarterlyReport
from projectoffice.needs import services as needs_services
from projectoffice.needs.models import Match, SatisfactionSurvey
from projectoffice.opendata.models import ImportRun
from projectoffice.opportunities.models import Opportunity
from projectoffice.opportunities.services import opportunity_create
from projectoffice.participation import services as participation_services
from projectoffice.participation.models import Comment, Notification, Proposal, ProposalEvent, Remark, Report
from projectoffice.projects.models import Project
from projectoffice.projects.services import project_move_stage, staff_note_add
from tests.conftest import client_for
from tests.events.factories import EventFactory, RegistrationFactory, SessionFactory
from tests.factories import (
    IndicatorFactory,
    OrganisationFactory,
    ProjectFactory,
    SubscriptionFactory,
    TenderFactory,
    UserFactory,
    member_of,
)
from tests.needs.factories import MatchFactory
from tests.participation.factories import ProposalFactory

pytestmark = pytest.mark.django_db

SAMARA = ZoneInfo("Europe/Samara")
MOMENT = dt.datetime(2030, 5, 14, 8, 7, tzinfo=SAMARA).astimezone(dt.UTC)  # as timezone.now() gives it
LOCAL, UTC = "08:07", "04:07"
ROOT = Path(__file__).resolve().parents[2] / "projectoffice"


@dataclass
class World:
    staff: User
    project: Project
    application: Application
    tender: Opportunity
    event: Event
    session: Session
    registration: Registration
    report: QuarterlyReport
    import_run: ImportRun


@pytest.fixture
def world() -> World:
    """One of everything that records a moment, all recorded at MOMENT."""
    with mock.patch("django.utils.timezone.now", return_value=MOMENT):
        load_builtin_templates()
        staff = UserFactory(role="staff", first_name="Анна", last_name="Сотрудникова")
        project = ProjectFactory(lead_organisation=OrganisationFactory())
        member_of(project.lead_organisation)
        project_move_stage(actor=staff, project=project, to_stage="screening", reason="Есть команда")
        staff_note_add(actor=staff, project=project, text="Позвонить в понедельник")
        opportunity_create(actor=None, data={
            "kind": "grant", "title": "Гранты", "external_id": "grant", "provider_name": "Фонд", "status": "published",
        })  # fmt: skip
        tender = TenderFactory(title="Поставка", customer_name="ГБУ", submission_ends_at=MOMENT).opportunity
        application = application_services.application_create(
            actor=staff, project=project, opportunity=Opportunity.objects.get(external_id="grant")
        )
        section = application.sections.first()
        assert section is not None
        application_services.section_save(
            actor=staff, section_text=section, text="Новый текст", base_version=section.version
        )
        application_services.comment_add(actor=staff, section_text=section, text="Уточнить сроки")
        event = EventFactory(starts_at=MOMENT, ends_at=MOMENT + dt.timedelta(hours=8), slug="hackathon")
        session = SessionFactory(event=event, starts_at=MOMENT, capacity=20)
        registration = RegistrationFactory(event=event)
        SessionBooking.objects.create(registration=registration, session=session)
        SubscriptionFactory(user=staff, query="видеоаналитика", email="staff@example.invalid", last_sent_at=MOMENT)
        IndicatorFactory(code="events", name="Мероприятия", unit="pieces", method="events")
        report = kpi_services.report_submit(actor=staff, report=kpi_services.report_get_or_create(year=2030, quarter=2))
        token_issue(user=staff)  # valid for whole days, so it expires at 08:07 too
        import_run = ImportRun.objects.create(dataset="sme", progress="Реестр МСП: документов 0")
    return World(staff, project, application, tender, event, session, registration, report, import_run)


def _page(world: World, url: str, *, as_staff: bool = True) -> str:
    client = client_for(world.staff) if as_staff else Client()
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _participation(w: World) -> Proposal:
    """A proposal with a comment reported by its reader, a notification for staff and a remark, all at MOMENT."""
    with mock.patch("django.utils.timezone.now", return_value=MOMENT):
        proposal: Proposal = ProposalFactory()
        comment = participation_services.comment_add(actor=proposal.author, subject=proposal, body="Поддерживаю")
        participation_services.report_add(actor=w.staff, content=comment, reason="spam")
        participation_services.notify(w.staff, "Вам назначено предложение")
        version = participation_services.version_publish(actor=w.staff, process=proposal.process, title="С",
                                                         text="# Р\n\nПункт.\n")  # fmt: skip
        participation_services.remark_add(actor=proposal.author, paragraph=version.paragraphs.get(), text="Замечание")
    for model in (Proposal, ProposalEvent, Comment, Report, Notification, Remark):  # defaults captured the real now
        model.objects.update(**{"at" if model is ProposalEvent else "created_at": MOMENT})
    return proposal


def _register_docx(w: World) -> str:
    proposal = _participation(w)
    with mock.patch("django.utils.timezone.now", return_value=MOMENT):
        body = Client().get(reverse("participation:register_docx", args=[proposal.process.slug])).content
    return "\n".join(p.text for p in Document(io.BytesIO(body)).paragraphs)


def _materials(w: World, page: str) -> str:
    """A section saved and a data room with an NDA accepted and a download, all at MOMENT."""
    from projectoffice.materials import services as material_services
    from projectoffice.materials.models import Download, NdaAcceptance, Section

    material_services.section_save(actor=w.staff, project=w.project, document="memo", key="risks", lang="ru",
                                   text="Риски")  # fmt: skip
    room = material_services.room_open(actor=w.staff, project=w.project)
    nda = material_services.nda_publish(actor=w.staff, text="Соглашение")
    invitation = material_services.invitation_create(actor=w.staff, room=room, email="rep@example.invalid",
                                                     expires_on=dt.date.today() + dt.timedelta(days=5))  # fmt: skip
    NdaAcceptance.objects.create(invitation=invitation, nda=nda, nda_version=1, nda_text="Соглашение", user=w.staff,
                                 accepted_at=MOMENT)  # fmt: skip
    Download.objects.create(room=room, user=w.staff, document_title="Документ", at=MOMENT)
    Section.objects.update(updated_at=MOMENT)
    if page == "section":
        return _page(w, reverse("materials:section", args=[w.project.pk, "memo", "risks"]))
    return _page(w, reverse("materials:room_manage", args=[w.project.pk]))


def _match(w: World) -> Match:
    """A need sent at MOMENT from a request filed and confirmed at MOMENT."""
    match: Match = MatchFactory(need__request__submitted_at=MOMENT, need__request__confirmed_at=MOMENT)
    Match.objects.filter(pk=match.pk).update(sent_at=MOMENT)
    return match


def _answered_survey(w: World) -> str:
    """The need's page with the enterprise's survey answer given at MOMENT."""
    match = _match(w)
    SatisfactionSurvey.objects.create(need=match.need, token="local-times", sent_at=MOMENT, answered_at=MOMENT,
                                      contacted=True, useful=True, outcome="learned")  # fmt: skip
    return _page(w, reverse("needs:need", args=[match.need_id]))


# Each template that shows a time, with a page that renders it for the world above.
PAGES: dict[str, Callable[[World], str]] = {
    "materials/room_manage.html": lambda w: _materials(w, "room"),
    "materials/section_edit.html": lambda w: _materials(w, "section"),
    "accounts/profile.html": lambda w: _page(w, reverse("profile")),
    "applications/_section.html": lambda w: _page(w, reverse("applications:detail", args=[w.application.pk])),
    "applications/history.html": lambda w: _page(
        w,
        reverse("applications:section_history", args=[w.application.pk, w.application.sections.first().pk]),  # type: ignore[union-attr]
    ),
    "audit/_events.html": lambda w: _page(w, reverse("projects:detail", args=[w.project.pk])),
    "dashboards/home.html": lambda w: _page(w, reverse("home")),
    "events/checkin.html": lambda w: _page(w, reverse("events:checkin", args=[w.event.slug])),
    "events/detail.html": lambda w: _page(w, reverse("events:detail", args=[w.event.slug]), as_staff=False),
    "events/list.html": lambda w: _page(w, reverse("events:list"), as_staff=False),
    "events/ticket.html": lambda w: _page(
        w, reverse("events:ticket", args=[w.registration.ticket_code]), as_staff=False
    ),
    "kpis/report.html": lambda w: _page(w, reverse("kpis:report", args=[w.report.pk])),
    "kpis/reports.html": lambda w: _page(w, reverse("kpis:reports")),
    "matching/subscriptions.html": lambda w: _page(w, reverse("matching:subscriptions")),
    "opendata/feed.html": lambda w: _page(w, reverse("opendata:feed")),
    "opendata/imports.html": lambda w: _page(w, reverse("opendata:imports")),
    "opendata/run.html": lambda w: _page(w, reverse("opendata:run", args=[w.import_run.pk])),
    "opportunities/detail.html": lambda w: _page(w, reverse("opportunities:detail", args=[w.tender.pk])),
    "projects/detail.html": lambda w: _page(w, reverse("projects:detail", args=[w.project.pk])),
    "participation/proposal.html": lambda w: _page(w, reverse("participation:proposal", args=[_participation(w).pk])),
    "participation/moderation.html": lambda w: (_participation(w), _page(w, reverse("participation:moderation")))[1],
    "needs/inbox.html": lambda w: (_match(w), _page(w, reverse("needs:home")))[1],
    "needs/request.html": lambda w: _page(w, reverse("needs:request", args=[_match(w).need.request_id])),
    "needs/need.html": lambda w: _page(w, reverse("needs:need", args=[_match(w).need_id])),
    "needs/match.html": lambda w: _page(w, reverse("needs:match", args=[_match(w).pk])),
    "needs/_survey_answer.html": _answered_survey,
    "needs/status.html": lambda w: _page(
        w, reverse("needs:status", args=[needs_services.status_token(_match(w).need.request)]), as_staff=False
    ),
    "participation/notifications.html": lambda w: (_participation(w), _page(w, reverse("participation:notifications")))[
        1
    ],
    "participation/remark.html": lambda w: (
        _participation(w),
        _page(w, reverse("participation:remark", args=[Remark.objects.get().pk]), as_staff=False),
    )[1],
}


def _participation_digest(w: World) -> str:
    """The staff member's notification of _participation (at MOMENT) in their daily digest the next morning."""
    from django.core import mail

    from projectoffice.participation.digests import send_participation_digests

    _participation(w)
    participation_services.digest_set(actor=w.staff, frequency="daily")
    send_participation_digests(now=MOMENT + dt.timedelta(days=1))
    return str(mail.outbox[-1].body)


def _sheet_values(content: bytes) -> str:
    workbook = load_workbook(io.BytesIO(content))
    return " ".join(
        f"{value:%d.%m.%Y %H:%M}" if isinstance(value, dt.datetime) else str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


def _mail(send: Callable[[], None]) -> str:
    mail.outbox.clear()
    send()
    return " ".join(f"{m.subject} {m.body}" for m in mail.outbox)


def _refusal(action: Callable[[], object]) -> str:
    with pytest.raises(ValidationError) as refused:
        action()
    return " ".join(refused.value.messages)


def _repeat_check_in(w: World) -> str:
    with mock.patch("django.utils.timezone.now", return_value=MOMENT):
        event_services.check_in(actor=w.staff, event=w.event, code=w.registration.ticket_code, session=w.session)
    return event_services.check_in(
        actor=w.staff, event=w.event, code=w.registration.ticket_code, session=w.session
    ).message


# Each module that formats a time for people, with what it produces for the world above.
DOCUMENTS: dict[str, dict[str, Callable[[World], str]]] = {
    "projectoffice/accounts/admin.py": {"API tokens in the admin": lambda w: _page(w, "/admin/accounts/apitoken/")},
    "projectoffice/kpis/documents.py": {
        "report PDF": lambda w: (
            PdfReader(io.BytesIO(report_pdf(w.report.snapshot or {}, w.report.sha256))).pages[0].extract_text()
        ),
        "report XLSX": lambda w: _sheet_values(report_xlsx(w.report.snapshot or {}, w.report.sha256)),
    },
    "projectoffice/events/exports.py": {
        "attendee XLSX": lambda w: _sheet_values(
            client_for(w.staff).get(reverse("events:attendees_xlsx", args=[w.event.slug])).content
        ),
    },
    "projectoffice/events/notifications.py": {
        "confirmation e-mail": lambda w: _mail(lambda: notifications.confirmation(w.registration, "token")),
        "ticket e-mail": lambda w: _mail(lambda: notifications.ticket(w.registration, "token")),
        "seat e-mail": lambda w: _mail(lambda: notifications.session_seat(w.registration, w.session)),
    },
    "projectoffice/events/forms.py": {
        "session checkbox": lambda w: _page(w, reverse("events:detail", args=[w.event.slug]), as_staff=False),
    },
    "projectoffice/events/services.py": {"second check-in": _repeat_check_in},
    "projectoffice/kpis/services.py": {
        "report already submitted": lambda w: _refusal(
            lambda: kpi_services.report_submit(actor=w.staff, report=w.report)
        )
    },
    "projectoffice/audit/models.py": {"audit record": lambda w: str(AuditEvent.objects.first())},
    "projectoffice/participation/documents.py": {
        "register XLSX": lambda w: _sheet_values(
            Client().get(reverse("participation:register_xlsx", args=[_participation(w).process.slug])).content
        ),
        "register DOCX": _register_docx,
    },
    "projectoffice/participation/digests.py": {"daily digest": _participation_digest},
    "projectoffice/participation/selectors.py": {
        "comment in a thread": lambda w: _page(
            w, reverse("participation:proposal", args=[_participation(w).pk]), as_staff=False
        ),
    },
}


def _shows_times(text: str) -> bool:
    """Formats a moment for people, or writes a spreadsheet column of moments (lib.spreadsheets makes them local)."""
    return bool(re.search(r"\|\s*ru_(?:date)?time\b|formats\.(?:datetime|time|xlsx_value)\(|XLSX_DATETIME\b", text))


def test_every_template_that_shows_a_time_is_rendered_below() -> None:
    templates = {str(p.relative_to(ROOT / "templates")) for p in ROOT.rglob("*.html") if _shows_times(p.read_text())}
    assert templates == set(PAGES), "add a case to PAGES for each template that shows a time"


def test_every_module_that_formats_a_time_is_run_below() -> None:
    modules = {
        str(p.relative_to(ROOT.parent))
        for p in ROOT.rglob("*.py")
        if _shows_times(p.read_text()) and p.parent.name != "lib"
    }
    assert modules == set(DOCUMENTS), "add a case to DOCUMENTS for each module that formats a time"


@pytest.mark.parametrize("template", sorted(PAGES))
def test_pages_show_local_time(world: World, template: str) -> None:
    text = PAGES[template](world)
    assert LOCAL in text and UTC not in text


@pytest.mark.parametrize(
    ("module", "case"), [(module, case) for module, cases in sorted(DOCUMENTS.items()) for case in sorted(cases)]
)
def test_documents_e_mails_and_messages_show_local_time(world: World, module: str, case: str) -> None:
    text = DOCUMENTS[module][case](world)
    assert LOCAL in text and UTC not in text, text[:500]


def test_a_moment_just_after_local_midnight_is_shown_on_its_local_day(world: World) -> None:
    """01:30 in Samara on 15 May is still 14 May in UTC: dates of such moments follow the local day."""
    late = dt.datetime(2030, 5, 15, 1, 30, tzinfo=SAMARA)
    Event.objects.filter(pk=world.event.pk).update(starts_at=late, ends_at=late + dt.timedelta(hours=1))
    Session.objects.filter(pk=world.session.pk).update(starts_at=late, ends_at=late + dt.timedelta(hours=1))
    page = _page(world, reverse("events:detail", args=[world.event.slug]), as_staff=False)
    assert "15.05.2030 01:30" in page and "14.05" not in page
