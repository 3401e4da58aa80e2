"""Every file the demo hands out, written to a folder and checked by independent readers (run by .ci/outputs.sh).

On the demo database (a scratch one, set up by outputs.sh) it writes each application package (DOCX, PDF), the
registry export (XLSX, CSV), each event's attendee list (XLSX), each course certificate (PDF), the KPI report of
the current quarter (XLSX, PDF; submitted here first if the demo has none), each project's teaser and
memorandum in Russian and English (DOCX, PDF) and the calendars (the feed, each
event's file). Then it checks what Python readers can check: PDFs with pikepdf and pdfua (tagged, Russian,
titled, fonts embedded, no PDF/UA-1 finding), calendars with vobject (validate=True) and icalendar. LibreOffice,
qpdf and poppler are run by outputs.sh on the folder afterwards. Exits non-zero on any failure.

Usage: python .ci/outputs.py OUTPUT_DIR
"""

from __future__ import annotations

import io
import os
import sys
import traceback
from collections.abc import Callable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

import icalendar  # noqa: E402
import pikepdf  # noqa: E402
import vobject  # noqa: E402
from django.utils import timezone  # noqa: E402

from projectoffice.accounts.models import User  # noqa: E402
from projectoffice.applications.documents import build_package  # noqa: E402
from projectoffice.applications.models import Application  # noqa: E402
from projectoffice.events.calendars import ics  # noqa: E402
from projectoffice.events.certificates import certificate_pdf  # noqa: E402
from projectoffice.events.exports import attendees_xlsx  # noqa: E402
from projectoffice.events.models import Certificate, Event  # noqa: E402
from projectoffice.kpis import services as kpi_services  # noqa: E402
from projectoffice.kpis.documents import report_pdf, report_xlsx  # noqa: E402
from projectoffice.kpis.models import QuarterlyReport, ReportStatus  # noqa: E402
from projectoffice.materials import documents as material_documents  # noqa: E402
from projectoffice.materials.models import Section  # noqa: E402
from projectoffice.organisations.exports import export_csv, export_xlsx  # noqa: E402
from projectoffice.organisations.models import Organisation  # noqa: E402
from projectoffice.participation import selectors as participation_selectors  # noqa: E402
from projectoffice.participation.documents import register_docx, register_xlsx  # noqa: E402
from projectoffice.participation.models import Process  # noqa: E402
from tests import pdfs  # noqa: E402


def _reports() -> list[QuarterlyReport]:
    submitted = list(QuarterlyReport.objects.filter(status=ReportStatus.SUBMITTED))
    if submitted:
        return submitted
    today = timezone.localdate()
    staff = User.objects.filter(is_superuser=True).first() or User.objects.filter(role="staff").first()
    assert staff is not None, "в демо нет сотрудника офиса"
    draft = kpi_services.report_get_or_create(year=today.year, quarter=(today.month - 1) // 3 + 1)
    return [kpi_services.report_submit(actor=staff, report=draft)]


def _package(application: Application, kind: str) -> bytes:
    return build_package(application, kind).content


def _material(project_id: int, document: str, lang: str, fmt: str) -> bytes:
    from projectoffice.projects.models import Project

    item = material_documents.material(Project.objects.get(pk=project_id), document, lang)
    return material_documents.build_pdf(item) if fmt == "pdf" else material_documents.build_docx(item)


def outputs() -> dict[str, Callable[[], bytes]]:
    """File name → how to make it, for every file the demo hands out."""
    made: dict[str, Callable[[], bytes]] = {
        "organisations.xlsx": lambda: export_xlsx(Organisation.objects.all()),
        "organisations.csv": lambda: export_csv(Organisation.objects.all()),
        "events-feed.ics": lambda: ics(Event.objects.exclude(status="draft").prefetch_related("sessions")),
    }
    for application in Application.objects.all():
        for kind in ("docx", "pdf"):
            made[f"application-{application.pk}.{kind}"] = partial(_package, application, kind)
    for event in Event.objects.prefetch_related("sessions"):
        made[f"event-{event.slug}.ics"] = partial(ics, [event])
        if event.registrations.exists():
            made[f"attendees-{event.slug}.xlsx"] = partial(attendees_xlsx, event)
    for certificate in Certificate.objects.select_related("registration__event"):
        made[f"certificate-{certificate.code}.pdf"] = partial(certificate_pdf, certificate)
    for process in Process.objects.filter(draft__isnull=False):
        remarks = participation_selectors.register(process)
        made[f"register-{process.slug}.docx"] = partial(register_docx, process, remarks)
        made[f"register-{process.slug}.xlsx"] = partial(register_xlsx, process, remarks)
    for project_id in Section.objects.values_list("project_id", flat=True).distinct().order_by("project_id"):
        for document in ("teaser", "memo"):
            for lang in ("ru", "en"):
                made[f"material-{project_id}-{document}-{lang}.pdf"] = partial(
                    _material, project_id, document, lang, "pdf"
                )
                made[f"material-{project_id}-{document}-{lang}.docx"] = partial(
                    _material, project_id, document, lang, "docx"
                )
    for report in _reports():
        name = f"kpi-report-{report.year}-q{report.quarter}"
        made[f"{name}.xlsx"] = partial(report_xlsx, report.snapshot or {}, report.sha256)
        made[f"{name}.pdf"] = partial(report_pdf, report.snapshot or {}, report.sha256)
    return made


def check_pdf(content: bytes, lang: str = "ru") -> None:
    pdf = pikepdf.open(io.BytesIO(content))
    pdfs.assert_accessible(content, str(pdf.docinfo.Title), {"H1", "P"}, lang=lang)


def check_calendar(content: bytes) -> None:
    text = content.decode()
    calendar = vobject.readOne(text)
    calendar.validate()
    events = list(icalendar.Calendar.from_ical(text).walk("VEVENT"))
    assert events, "в календаре нет событий"
    assert all(event.get("DTSTAMP") and event.get("UID") for event in events)


CHECKS = {".pdf": check_pdf, ".ics": check_calendar}


def main() -> int:
    folder = Path(sys.argv[1])
    folder.mkdir(parents=True, exist_ok=True)
    made = outputs()
    failures = []
    for number, (name, make) in enumerate(sorted(made.items()), start=1):
        try:
            content = make()
            (folder / name).write_bytes(content)
            check = CHECKS.get(Path(name).suffix)
            if check is check_pdf and name.endswith("-en.pdf"):  # the English project materials
                check_pdf(content, lang="en")
            elif check:
                check(content)
            print(f"[{number}/{len(made)}] {name}: {len(content):,} байт, проверен".replace(",", " "))
        except Exception:  # one broken file must not hide the others
            failures.append(name)
            print(f"[{number}/{len(made)}] {name}: ОШИБКА", file=sys.stderr)
            traceback.print_exc()
    print(f"Итого: файлов {len(made)}, с ошибками {len(failures)}" + (f": {', '.join(failures)}" if failures else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
