"""Loads the Samara demo region idempotently: organisations by INN, projects by title, users by login."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from projectoffice.accounts.models import Membership, Role, User
from projectoffice.accounts.services import membership_add
from projectoffice.applications.models import Application
from projectoffice.applications.services import application_create
from projectoffice.applications.templates_loader import load_builtin_templates
from projectoffice.classifiers.models import OkvedCode, Region
from projectoffice.demo.data import ORGANISATIONS, PATHS, PROJECTS, REASONS
from projectoffice.demo.flagships import load_flagships
from projectoffice.demo.materials import load_materials
from projectoffice.demo.needs import load_needs
from projectoffice.demo.participation import load_participation
from projectoffice.events.models import CheckIn, Event, Feedback, Question, Registration, Session, Speaker
from projectoffice.events.services import issue_certificates
from projectoffice.kpis.models import EntryStatus, Indicator, KpiLink, ManualEntry, Target
from projectoffice.opendata.demo import load_demo_open_data
from projectoffice.opportunities.catalogue import load_catalogue
from projectoffice.opportunities.generator import ZAKUPKI, generate_notices
from projectoffice.opportunities.models import Opportunity
from projectoffice.opportunities.procurement_import import import_procurement, import_records
from projectoffice.organisations import services as organisation_services
from projectoffice.organisations.identifiers import inn_check_digits, ogrn_check_digit
from projectoffice.organisations.models import Organisation
from projectoffice.projects import services as project_services
from projectoffice.projects.models import Project
from projectoffice.projects.services import DEFAULT_PARTNER_ROLE

DEMO_PASSWORD = "demo-password"
DEMO_MARK = " (демо)"
# (login, role, first name, last name, superuser)
USERS = [
    ("admin", Role.STAFF, "Администратор", "Платформы", True),
    ("staff", Role.STAFF, "Анна", "Сотрудникова", False),
    ("grantor", Role.GRANTOR, "Григорий", "Грантов", False),
    ("expert", Role.EXPERT, "Елена", "Экспертова", False),
    ("member", Role.MEMBER, "Михаил", "Участников", False),
    ("community", Role.COMMUNITY, "Ксения", "Сообществова", False),
    ("investor", Role.COMMUNITY, "Ирина", "Инвесторова", False),  # a funder's representative: the data rooms
]
MEMBER_ORGANISATION = "Волга Софт"
REAL_TENDERS = ZAKUPKI / "notices44_okpd2-26_2019_multiregion.csv"
DEMO_TENDERS = 40


@dataclass
class DemoReport:
    organisations_created: int = 0
    projects_created: int = 0
    users_created: int = 0
    tenders_created: int = 0


def demo_inn(index: int) -> str:
    """A checksum-valid 10-digit INN with the Samara tax code 63 (deterministic, invented)."""
    prefix = f"63{15 + index % 5:02d}9{index:04d}"
    return prefix + inn_check_digits(prefix)


def demo_ogrn(index: int, year: int) -> str:
    """A checksum-valid 13-digit OGRN: 1, two year digits, region 63, seven record digits."""
    prefix = f"1{year % 100:02d}63{9_100_000 + index:07d}"
    return prefix + ogrn_check_digit(prefix)


def load_demo(progress: Callable[[str], None] = lambda _: None) -> DemoReport:
    report = DemoReport()
    rng = random.Random(63)  # noqa: S311 - demo figures, not security
    with transaction.atomic():
        staff = _users(report)
        organisations = _organisations(report, rng, staff, progress)
        member = User.objects.get(username="member")
        if not Membership.objects.filter(user=member).exists():
            membership_add(
                actor=staff,
                user=member,
                organisation=organisations[MEMBER_ORGANISATION],
                position="Руководитель проектов",
            )
        _projects(report, organisations, staff, progress)
        _opportunities(report, organisations, progress)
        _applications(staff, progress)
        _events(staff, organisations, progress)
        _kpis(staff, progress)
        load_participation(staff, organisations, progress)
        load_flagships(staff, progress)
        load_materials(staff, progress)
        load_needs(staff, organisations, progress)
    load_demo_open_data(progress)
    return report


KPI_AGREEMENT = ("36-ДИТ/2026 (демо)", dt.date(2026, 1, 15))
# (code, name, unit, method, method_param, year target, public)
INDICATORS = [
    ("investment", "Привлечённые инвестиции в ИТ-отрасль", "rub", "investment", "", Decimal(150_000_000), True),
    ("projects-prepared", "Подготовленные («упакованные») проекты", "pieces", "prepared", "", Decimal(5), True),
    ("projects-supported", "Проекты, получившие поддержку", "pieces", "supported", "", Decimal(3), True),
    ("events-held", "Проведённые мероприятия", "pieces", "events", "", Decimal(12), True),
    ("trainings-held", "Проведённые учебные курсы", "pieces", "events", "course", Decimal(3), False),
    ("participants", "Участники мероприятий", "persons", "participants", "", Decimal(600), True),
    ("trained", "Обученные специалисты", "persons", "trained", "", Decimal(60), True),
    ("it-engaged", "Вовлечённые ИТ-компании", "pieces", "engaged", "", Decimal(30), False),
    ("digital-industry", "Промышленные предприятия с проектами цифровизации", "pieces", "digitalisation", "", Decimal(8), True),
    ("strategy-proposals", "Предложения в стратегию социально-экономического развития (цифровой раздел)", "pieces", "strategy", "", Decimal(20), True),
    ("it-graduates-employed", "Выпускники ИТ-направлений, трудоустроенные в регионе", "persons", "manual", "", Decimal(400), False),
    ("it-market-companies", "ИТ-компании региона в реестре МСП (открытые данные ФНС)", "pieces", "market_companies", "", None, True),
    ("it-market-headcount", "Численность ИТ-компаний региона (ФНС)", "persons", "market_headcount", "", None, True),
    ("it-market-income", "Доходы ИТ-компаний региона (ФНС, не выручка)", "rub", "market_income", "", None, True),
    ("strategy-proposals", "Предложения в стратегию социально-экономического развития (цифровой раздел)", "pieces", "manual", "", Decimal(20), False),
]  # fmt: skip


def _kpis(staff: User, progress: Callable[[str], None]) -> None:
    """The agreement's indicators with this year's targets, and one approved manual value with its evidence."""
    year = timezone.localdate().year
    for order, (code, name, unit, method, param, target, public) in enumerate(INDICATORS):
        indicator, _ = Indicator.objects.get_or_create(code=code, defaults={"name": name, "unit": unit, "method": method,
                                                                            "method_param": param, "is_public": public, "order": order})  # fmt: skip
        if target is None:
            continue  # a market figure: watched, not planned
        Target.objects.get_or_create(indicator=indicator, year=year, quarter=None,
                                     defaults={"value": target, "agreement_number": KPI_AGREEMENT[0], "agreement_date": KPI_AGREEMENT[1]})  # fmt: skip
    manual = Indicator.objects.get(code="it-graduates-employed")
    if not ManualEntry.objects.filter(indicator=manual).exists():
        grantor_side = User.objects.get(username="admin")
        entry = ManualEntry(indicator=manual, year=year, quarter=3, value=Decimal(90), comment="Сведения вузов о трудоустройстве (демо)",
                            entered_by=staff, approved_by=grantor_side, approved_at=timezone.now(), status=EntryStatus.APPROVED)  # fmt: skip
        entry.evidence.save("graduates-demo.pdf", ContentFile(b"%PDF-1.4\n% demo statement\n%%EOF\n"), save=True)
    for code, instance in [("investment", Project.objects.get(title="Мониторинг ЛЭП беспилотниками")),
                           ("events-held", Event.objects.get(slug="samara-digital-forum-demo")),
                           ("trained", Event.objects.get(slug="data-engineering-course-demo"))]:  # fmt: skip
        KpiLink.objects.get_or_create(indicator=Indicator.objects.get(code=code),
                                      content_type=ContentType.objects.get_for_model(instance), object_id=instance.pk)  # fmt: skip
    progress("показатели: соглашение, планы на год, ручное значение, связи с проектом и мероприятиями")


PEOPLE = ["Анна Волкова", "Борис Дёмин", "Вера Журавлёва", "Глеб Ершов", "Дарья Зуева", "Егор Карпов", "Жанна Лебедева",
          "Илья Морозов", "Ксения Некрасова", "Лев Орлов", "Мария Петрова", "Никита Рябов", "Ольга Смирнова",
          "Павел Тихонов", "Раиса Умнова", "Семён Фролов", "Таисия Харитонова", "Фёдор Цветков", "Юлия Чернова",
          "Ярослав Шубин"]  # fmt: skip


def _events(staff: User, organisations: dict[str, Organisation], progress: Callable[[str], None]) -> None:
    """A past forum, a past multi-session training course, an upcoming hackathon — with people in them."""

    if Event.objects.filter(slug="samara-digital-forum-demo").exists():
        return
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    office = organisations["Фонд развития предпринимательства"]
    consent = Event._meta.get_field("consent_text").default

    def people(event: Event, count: int, offset: int = 0) -> list[Registration]:
        registrations = []
        for n in range(count):
            name = PEOPLE[(n + offset) % len(PEOPLE)]
            registrations.append(
                Registration.objects.create(
                    event=event,
                    email=f"person{n + offset}@demo.invalid",
                    full_name=name + " (демо)",
                    organisation_name=list(organisations.values())[(n + offset) % len(organisations)].short_name,
                    status="confirmed",
                    consent_text=consent,
                    consent_at=event.starts_at - dt.timedelta(days=5),
                    confirmed_at=event.starts_at - dt.timedelta(days=5),
                    seated_at=event.starts_at - dt.timedelta(days=5),
                )
            )
        return registrations  # fmt: skip

    forum = Event.objects.create(
        kind="forum", slug="samara-digital-forum-demo", title="Форум «Цифровая Самара» (демо)", status="published",
        description="Ежегодный форум ИТ-компаний, промышленности и власти региона.", venue="Самара, Экспо-Волга",
        starts_at=now - dt.timedelta(days=40), ends_at=now - dt.timedelta(days=40) + dt.timedelta(hours=8),
        capacity=300, organiser=office, materials="Презентации: https://example.invalid/forum-slides\nЗапись: https://example.invalid/forum-video",
        is_demo=True)  # fmt: skip
    speaker = Speaker.objects.create(
        full_name="Светлана Примерова (демо)", position="директор проектного офиса", organisation=office
    )
    plenary = Session.objects.create(
        event=forum,
        title="Пленарная сессия: цифровая экономика региона",
        starts_at=forum.starts_at,
        ends_at=forum.starts_at + dt.timedelta(hours=2),
        room="Зал А",
    )
    plenary.speakers.add(speaker)
    for n, registration in enumerate(people(forum, 18)):
        if n < 15:
            CheckIn.objects.create(registration=registration, checked_by=staff)
        if n < 10:
            Feedback.objects.create(
                registration=registration,
                rating=4 + (n % 2),
                nps=7 + n % 4,
                comment="Больше практики" if n % 3 == 0 else "",
            )
    course = Event.objects.create(
        kind="course", slug="data-engineering-course-demo", title="Курс «Инженерия данных для промышленности» (демо)",
        status="published", venue="Самара, Технопарк", starts_at=now - dt.timedelta(days=30),
        ends_at=now - dt.timedelta(days=9), capacity=25, min_sessions_for_certificate=3, is_demo=True,
        description="Четыре занятия: сбор данных с оборудования, хранилища, аналитика, внедрение.")  # fmt: skip
    sessions = [Session.objects.create(event=course, title=f"Занятие {k + 1}", starts_at=course.starts_at + dt.timedelta(days=7 * k),
                                       ends_at=course.starts_at + dt.timedelta(days=7 * k, hours=3), room="Аудитория 3")
                for k in range(4)]  # fmt: skip
    for n, registration in enumerate(people(course, 14, offset=3)):
        for session in sessions[: 4 - n % 3]:
            CheckIn.objects.create(registration=registration, session=session, checked_by=staff)
        if n < 8:
            Feedback.objects.create(registration=registration, rating=5 - n % 2, nps=9 - n % 3)
    issue_certificates(event=course)
    hackathon = Event.objects.create(
        kind="hackathon", slug="industrial-ai-hackathon-demo", title="Хакатон «ИИ для заводов» (демо)", status="published",
        venue="Тольятти, Жигулёвская долина", starts_at=now + dt.timedelta(days=21), ends_at=now + dt.timedelta(days=23),
        capacity=60, is_demo=True, description="48 часов, задачи от предприятий региона, призовой фонд.")  # fmt: skip
    Question.objects.create(event=hackathon, label="Ваша роль в команде", kind="choice",
                            choices=["Разработчик", "Аналитик данных", "Дизайнер", "Менеджер"], required=True)  # fmt: skip
    Question.objects.create(event=hackathon, label="Есть ли у вас команда?", kind="text")
    Session.objects.create(event=hackathon, title="Открытие и постановка задач", starts_at=hackathon.starts_at,
                           ends_at=hackathon.starts_at + dt.timedelta(hours=2), room="Главный зал")  # fmt: skip
    Session.objects.create(event=hackathon, title="Мастер-класс по компьютерному зрению", capacity=20, room="Лаборатория",
                           starts_at=hackathon.starts_at + dt.timedelta(hours=3), ends_at=hackathon.starts_at + dt.timedelta(hours=5))  # fmt: skip
    people(hackathon, 12, offset=7)
    progress("мероприятия: форум, курс с сертификатами, хакатон")


def _applications(staff: User, progress: Callable[[str], None]) -> None:
    """Templates and demo applications: one being packaged, a tender bid due soon, one supported (investment attracted)."""
    load_builtin_templates()
    # RFRIT's development grants are suspended (their source says so): the demo packages for its open 2025 wave.
    rfrit = Opportunity.objects.get(external_id="rfrit_osobo_znachimye_2025")
    packaging = Project.objects.get(title="Спутниковый мониторинг посевов")
    application_create(actor=staff, project=packaging, opportunity=rfrit)
    supported = Project.objects.get(title="Мониторинг ЛЭП беспилотниками")
    if not supported.applications.exists():
        fund = Opportunity.objects.get(external_id="fp_infosec_dev_grants")
        application = application_create(actor=staff, project=supported, opportunity=fund)
        Application.objects.filter(pk=application.pk).update(
            status="supported",
            submitted_on=timezone.localdate() - dt.timedelta(days=60),
            submission_number="ДЕМО-001",
            readiness_at_submission=85,
            outcome_on=timezone.localdate() - dt.timedelta(days=10),
            awarded_amount=Decimal(15_000_000),
            cofinancing_amount=Decimal(5_000_000),
            funder_feedback="Проект поддержан (демо).",
        )
    bidder = Project.objects.get(title="Безопасная разработка для промышленных контроллеров")
    tender = (
        Opportunity.objects.filter(
            kind="tender", is_demo=True, title__icontains="безопасности информационных технологий"
        )
        .filter(closes_on__gte=timezone.localdate() + dt.timedelta(days=5))
        .order_by("closes_on")
        .first()
    )
    if tender is not None and not bidder.applications.exists():
        application_create(actor=staff, project=bidder, opportunity=tender)  # a bid with a near deadline
    progress("заявки: шаблоны и демо-заявки")


def _opportunities(report: DemoReport, organisations: dict[str, Organisation], progress: Callable[[str], None]) -> None:
    """The real catalogue, the real 44-FZ sample, and open Samara IT tenders generated from real records."""
    catalogue = load_catalogue()
    real = import_procurement([REAL_TENDERS])
    progress(f"меры поддержки: новых {catalogue.created}; реальные закупки: новых {real.created}")
    customers = [org for org in organisations.values() if org.kind in ("government", "corporation", "industrial")]
    today = timezone.localdate()
    notices = []
    for index, notice in enumerate(
        generate_notices(
            DEMO_TENDERS,
            seed=63,
            it_share=0.85,
            start=today - dt.timedelta(days=6),
            span_days=6,
            number_prefix="0342900",
        )
    ):
        customer = customers[index % len(customers)]
        notice.customer_name, notice.customer_inn = customer.name, customer.inn
        notice.title = notice.title + DEMO_MARK
        notices.append(notice)
    generated = import_records(iter(notices), "демо-генератор закупок (seed 63)")
    Opportunity.objects.filter(external_id__in=[f"{n.law}-fz:{n.registry_number}" for n in notices]).update(
        is_demo=True
    )
    report.tenders_created += generated.created
    progress(f"демо-закупки Самарской области: новых {generated.created}")


def _users(report: DemoReport) -> User:
    for username, role, first, last, superuser in USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "role": role,
                "first_name": first,
                "last_name": last,
                "email": f"{username}@demo.invalid",
                "is_superuser": superuser,
                "is_staff": superuser or role == Role.STAFF,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            report.users_created += 1
    return User.objects.get(username="staff")


def _organisations(
    report: DemoReport, rng: random.Random, staff: User, progress: Callable[[str], None]
) -> dict[str, Organisation]:
    region = Region.objects.get(iso_code="RU-SAM")
    codes = {code.code: code for code in OkvedCode.objects.all()}
    result: dict[str, Organisation] = {}
    for index, (kind, short, name, main, extra, technologies, competencies) in enumerate(ORGANISATIONS, start=1):
        inn = demo_inn(index)
        existing = Organisation.objects.filter(inn=inn).first()
        if existing is not None:
            result[short] = existing
            continue
        founded = dt.date(2005 + index % 17, 1 + index % 12, 1 + index % 27)
        organisation = organisation_services.organisation_create(
            actor=staff,
            is_demo=True,
            data={
                "kind": kind,
                "name": name + DEMO_MARK,
                "short_name": short + DEMO_MARK,
                "inn": inn,
                "ogrn": demo_ogrn(index, founded.year),
                "region": region,
                "main_okved": codes[main],
                "extra_okveds": [codes[c] for c in extra],
                "founded_on": founded,
                "it_accredited": kind == "it_company" and index % 4 != 0,
                "it_accreditation_date": dt.date(2022, 3, 1) if kind == "it_company" and index % 4 != 0 else None,
                "technologies": technologies,
                "competencies": competencies,
                "description": f"Демонстрационная организация Самарской области: {', '.join(competencies)}.",
                "website": f"https://demo-{index}.example.invalid",
                "email": f"info@demo-{index}.example.invalid",
                "phone": f"+7 846 200-{index:02d}-{index * 7 % 100:02d}",
                "address": f"г. Самара, ул. Демонстрационная, д. {index}",
            },
        )
        _figures(organisation, kind, rng, staff)
        if kind == "it_company":
            organisation_services.product_add(
                actor=staff,
                organisation=organisation,
                data={
                    "name": f"{short} Платформа",
                    "registry_number": 90_000 + index if index % 3 else None,
                    "description": f"Основной продукт компании: {', '.join(technologies)}.",
                },
            )
        organisation_services.contact_add(
            actor=staff,
            organisation=organisation,
            data={
                "full_name": f"Контактное лицо {index} (демо)",
                "position": "Директор",
                "email": f"director@demo-{index}.example.invalid",
            },
        )
        result[short] = organisation
        report.organisations_created += 1
        if index % 10 == 0:
            progress(f"организации: {index} из {len(ORGANISATIONS)}")
    return result


def _figures(organisation: Organisation, kind: str, rng: random.Random, staff: User) -> None:
    scale = {
        "it_company": (5, 180),
        "industrial": (120, 2500),
        "corporation": (3000, 20000),
        "university": (800, 3000),
        "investor": (5, 40),
    }.get(kind)
    if scale is None:
        return
    headcount = rng.randint(*scale)
    for year in (2023, 2024, 2025):
        revenue = Decimal(headcount * rng.randint(2_500, 6_000)) * 1000
        organisation_services.figures_set(
            actor=staff, organisation=organisation, year=year, revenue=revenue, headcount=headcount
        )
        headcount = max(1, int(headcount * rng.uniform(0.95, 1.25)))


def _projects(
    report: DemoReport, organisations: dict[str, Organisation], staff: User, progress: Callable[[str], None]
) -> None:
    for title, lead, partners, trl, budget, requested, stage, technologies, summary in PROJECTS:
        lead_org = organisations[lead]
        if Project.objects.filter(title=title, lead_organisation=lead_org).exists():
            continue
        budget_rub = Decimal(str(budget)) * 1_000_000
        requested_rub = Decimal(str(requested)) * 1_000_000
        project = project_services.project_create(
            actor=staff,
            is_demo=True,
            data={
                "title": title,
                "lead_organisation": lead_org,
                "summary": summary,
                "problem": f"Сейчас это делается вручную: «{summary.lower().rstrip('.')}» — долго и с ошибками.",
                "solution": f"{lead_org} предлагает решение на основе технологий: {', '.join(technologies)}.",
                "technologies": technologies,
                "trl": trl,
                "budget_total": budget_rub,
                "own_funds": budget_rub - requested_rub,
                "requested_support": requested_rub,
                "starts_on": dt.date(2026, 1 + len(title) % 12, 1),
                "ends_on": dt.date(2027, 1 + len(title) % 12, 28),
                "team": "Руководитель проекта\nВедущий разработчик\nАналитик",
            },
            partners=[(organisations[p], DEFAULT_PARTNER_ROLE.get(organisations[p].kind, "other")) for p in partners],
        )
        for to_stage in PATHS[stage]:
            project_services.project_move_stage(
                actor=staff, project=project, to_stage=to_stage, reason=REASONS[to_stage]
            )
        if stage in ("screening", "packaging"):
            project_services.staff_note_add(
                actor=staff,
                project=project,
                text="Уточнить у компании подтверждённый спрос и письма поддержки.",
            )
        report.projects_created += 1
    progress(f"проекты: {len(PROJECTS)}")
