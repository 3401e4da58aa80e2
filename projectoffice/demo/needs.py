"""The demo's industry needs: Samara region's municipalities with their official names and OKTMO codes, the subject
taxonomy, 15 solutions of demo IT companies with cases, three partner institutions with experts (the demo `expert`
among them), and 30 needs of demo enterprises at every status, with their requests, matches and histories. One need
that was helped has the enterprise's answer to the satisfaction survey and was turned into a pilot project through
`outcomes.pilot_create` (the enterprise leads it, the IT company partners it, the investment recorded), so the KPI
figures «Промышленные предприятия с проектами цифровизации» and «Привлечённые инвестиции» count it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from projectoffice.accounts.models import Role, User
from projectoffice.needs import lifecycle, outcomes, routing
from projectoffice.needs.models import (
    Deployment,
    Diagnosis,
    Expert,
    ExpertAbsence,
    InstitutionKind,
    IntakeRequest,
    IntakeStatus,
    Match,
    MatchEvent,
    MatchKind,
    MatchStatus,
    Municipality,
    MunicipalityKind,
    Need,
    PartnerInstitution,
    PriceBand,
    Priority,
    SatisfactionSurvey,
    Solution,
    SolutionCase,
    Subject,
    SurveyOutcome,
    Theme,
)
from projectoffice.organisations.models import Organisation

# The region's urban districts and municipal districts (official names as in their charters; OKTMO, OK 033-2013).
URBAN = [
    ("Самара", "36701000"), ("Жигулёвск", "36704000"), ("Кинель", "36708000"), ("Новокуйбышевск", "36713000"),
    ("Октябрьск", "36718000"), ("Отрадный", "36724000"), ("Похвистнево", "36727000"), ("Сызрань", "36735000"),
    ("Тольятти", "36740000"), ("Чапаевск", "36750000"),
]  # fmt: skip
DISTRICTS = [
    "Алексеевский", "Безенчукский", "Богатовский", "Большеглушицкий", "Большечерниговский", "Борский", "Волжский",
    "Елховский", "Исаклинский", "Камышлинский", "Кинельский", "Кинель-Черкасский", "Клявлинский", "Кошкинский",
    "Красноармейский", "Красноярский", "Нефтегорский", "Пестравский", "Похвистневский", "Приволжский",
    "Сергиевский", "Ставропольский", "Сызранский", "Хворостянский", "Челно-Вершинский", "Шенталинский", "Шигонский",
]  # fmt: skip

TAXONOMY = [  # theme, [(subject, keywords)]
    ("Производство", [
        ("MES и диспетчеризация", "MES диспетчеризация станок оборудование простой загрузка сменное задание цех"),
        ("Промышленный интернет вещей", "IoT датчик телеметрия мониторинг оборудование сбор данных"),
        ("Техническое зрение и контроль качества", "камера видеоаналитика дефект брак контроль качества зрение"),
    ]),
    ("Управление предприятием", [
        ("Учёт и ERP", "ERP учёт склад закупки планирование производства себестоимость"),
        ("Импортозамещение ПО", "импортозамещение российское ПО миграция замена SAP Oracle реестр"),
    ]),
    ("Безопасность", [("Кибербезопасность", "информационная безопасность КИИ АСУ ТП защита SIEM ФСТЭК")]),
    ("Люди", [("Кадры и обучение", "обучение персонал кадры компетенции тренажёр оператор")]),
    ("Деньги", [("Финансирование цифровизации", "финансирование заём грант субсидия цифровизация")]),
]  # fmt: skip

# vendor short name, solution, subjects, description, registry number, class, OKVED, deployment, price, certificates,
# cases: (customer, OKVED, task, result, figures)
SOLUTIONS = [
    ("Жигули Диджитал", "Цех-Онлайн", ["MES и диспетчеризация", "Промышленный интернет вещей"],
     "MES-система для машиностроения: диспетчеризация станков с ЧПУ, учёт простоя оборудования, сменные задания.",
     19301, "Системы управления производственными процессами (MES)", ["25", "28", "29"], Deployment.HYBRID,
     PriceBand.FROM_1M, "", [("АО «Средневолжский станкозавод» (демо)", "28.41", "Видеть загрузку 60 станков",
                               "Диспетчеризация всего парка станков", "загрузка оборудования +14 %")]),
    ("Жигули Диджитал", "Датчик-Про", ["Промышленный интернет вещей"],
     "Платформа промышленного интернета вещей: датчики вибрации и температуры, телеметрия, предиктивный ремонт.",
     19302, "Промышленные платформы интернета вещей", ["20", "27", "28"], Deployment.CLOUD, PriceBand.UNDER_1M, "",
     [("ООО «Волжский кабельный завод» (демо)", "27.32", "Раньше замечать износ экструдеров",
       "Мониторинг вибрации", "внеплановые остановки −30 %")]),
    ("Волга Софт", "Визор-Брак", ["Техническое зрение и контроль качества"],
     "Видеоаналитика дефектов на конвейере: камеры на линии находят брак литья и сборки, отчёт по сменам.",
     19303, "Средства анализа изображений и видео", ["22", "25", "29"], Deployment.ON_PREMISE, PriceBand.FROM_1M,
     "", [("ООО «Тольяттинский завод автокомпонентов» (демо)", "29.32", "Контроль литых деталей",
           "Автоматический контроль качества на двух линиях", "пропуск брака −70 %")]),
    ("Волга Софт", "Визор-Склад", ["Техническое зрение и контроль качества", "Учёт и ERP"],
     "Распознавание маркировки и пересчёт продукции камерами на складе готовой продукции.",
     None, "", ["10", "20"], Deployment.CLOUD, PriceBand.UNDER_1M, "", []),
    ("Тольятти Роботикс", "РобоЯчейка", ["MES и диспетчеризация"],
     "Роботизированная ячейка сборки с системой управления и учётом выпуска.",
     19304, "Системы управления технологическими процессами", ["28", "29"], Deployment.ON_PREMISE,
     PriceBand.FROM_5M, "", [("ПАО «РусАвтоПром» (демо)", "29.10", "Сборка узлов подвески",
                               "Роботизированная ячейка", "производительность +22 %")]),
    ("СамараДата", "Завод-BI", ["Учёт и ERP"],
     "Аналитика производства и себестоимости: хранилище данных из 1С и MES, панели для руководства.",
     19305, "Системы сбора, хранения и анализа данных", [], Deployment.CLOUD, PriceBand.UNDER_1M, "",
     [("АО «Самарский подшипниковый завод» (демо)", "28.15", "Себестоимость по изделиям",
       "Панели себестоимости", "закрытие месяца за 3 дня вместо 10")]),
    ("СамараДата", "Миграция-1С", ["Импортозамещение ПО", "Учёт и ERP"],
     "Переход с SAP и Oracle на российскую ERP: обследование, миграция данных, сопровождение.",
     19306, "Системы управления ресурсами предприятия (ERP)", [], Deployment.ON_PREMISE, PriceBand.FROM_5M, "",
     [("АО «Новокуйбышевская химия» (демо)", "20.14", "Уйти с SAP ERP", "Миграция учёта на российскую ERP",
       "12 модулей за 9 месяцев")]),
    ("Кибер Волга", "Щит-АСУ", ["Кибербезопасность"],
     "Мониторинг событий безопасности АСУ ТП и защита значимых объектов КИИ.",
     19307, "Средства защиты информации", [], Deployment.ON_PREMISE, PriceBand.FROM_1M,
     "Сертификат ФСТЭК России", [("АО «Новокуйбышевская химия» (демо)", "20.14", "Защита КИИ",
                                  "Мониторинг АСУ ТП", "категорирование и защита 4 объектов КИИ")]),
    ("Кибер Волга", "Аудит-ИБ", ["Кибербезопасность"],
     "Аудит информационной безопасности промышленного предприятия и план мер.",
     None, "", [], Deployment.CLOUD, PriceBand.UNDER_1M, "Лицензия ФСТЭК России на ТЗКИ", []),
    ("ЦифроСтрой", "Двойник-Цех", ["MES и диспетчеризация"],
     "Цифровой двойник производственной линии: планирование, моделирование загрузки и обучение персонала.",
     19308, "Системы моделирования", ["27", "28"], Deployment.HYBRID, PriceBand.FROM_5M, "",
     [("ООО «Волжский кабельный завод» (демо)", "27.32", "Планировать загрузку линии", "Модель линии",
       "перенастройка линии на 25 % быстрее")]),
    ("ЭдТех Самара", "Тренажёр-Оператор", ["Кадры и обучение"],
     "Обучение операторов станков и линий: курсы, тренажёры, учёт допусков персонала.",
     19309, "Системы управления обучением", [], Deployment.CLOUD, PriceBand.UNDER_1M, "",
     [("АО «Сызранский машзавод» (демо)", "28.92", "Обучить операторов ЧПУ", "Курс и тренажёр",
       "120 операторов за квартал")]),
    ("Волжский код", "Цех-Мобайл", ["MES и диспетчеризация", "Кадры и обучение"],
     "Мобильное приложение мастера смены: задания, отметки о выполнении, фото дефектов.",
     None, "", ["25", "28"], Deployment.CLOUD, PriceBand.UNDER_1M, "", []),
    ("Агроинформ", "Агро-Учёт", ["Учёт и ERP"],
     "Учёт сырья и производства для пищевых и перерабатывающих предприятий, прослеживаемость партий.",
     19310, "Системы управления ресурсами предприятия (ERP)", ["01", "10"], Deployment.CLOUD, PriceBand.UNDER_1M,
     "", [("АО «Кинельский агрокомбинат» (демо)", "10.51", "Прослеживаемость молока", "Учёт партий",
           "списания −12 %")]),
    ("ОблакоСамара", "Облако-Импорт", ["Импортозамещение ПО"],
     "Перенос серверов и систем предприятия в российское облако, замена зарубежного ПО виртуализации.",
     19311, "Средства виртуализации", [], Deployment.CLOUD, PriceBand.UNDER_1M, "Аттестат ФСТЭК России", []),
    ("Нейросеть Поволжья", "Голос-Цех", ["Техническое зрение и контроль качества"],
     "Голосовой помощник для рабочих мест: запись замечаний о качестве голосом, без рук.",
     None, "", ["29"], Deployment.CLOUD, PriceBand.ON_REQUEST, "", []),
]  # fmt: skip

# name, kind, subjects, municipalities (None: the region), OKVED prefixes, headcount, experts (login, names, town)
_Experts = list[tuple[str, str, str, str | None]]
_Institution = tuple[str, str, list[str], list[str] | None, list[str], tuple[int | None, int | None], _Experts]
INSTITUTIONS: list[_Institution] = [
    ("Региональный центр компетенций в сфере производительности труда (демо)", InstitutionKind.COMPETENCE_CENTRE,
     ["MES и диспетчеризация", "Промышленный интернет вещей", "Техническое зрение и контроль качества",
      "Кадры и обучение"], None, ["10", "13", "16", "20", "22", "25", "27", "28", "29"], (50, None),
     [("expert", "Елена", "Экспертова", None), ("needs_expert2", "Павел", "Станков", "Тольятти")]),
    ("Фонд развития промышленности Самарской области (демо)", InstitutionKind.DEVELOPMENT_FUND,
     ["Финансирование цифровизации", "Импортозамещение ПО", "Учёт и ERP"], None, ["10", "2"], (None, None),
     [("needs_expert3", "Ольга", "Займова", None), ("needs_expert4", "Денис", "Учётов", "Сызрань")]),
    ("Центр «Мой бизнес» Самарской области (демо)", InstitutionKind.SUPPORT_CENTRE,
     ["Кибербезопасность", "Кадры и обучение", "Финансирование цифровизации"], None, [], (None, 250),
     [("needs_expert5", "Наталья", "Защитова", None), ("needs_expert6", "Игорь", "Кадров", None)]),
]  # fmt: skip

# The 30 needs: enterprise, subject, municipality, text, final statuses of the matches, days ago
ENTERPRISES = [
    "Средневолжский станкозавод", "Тольяттинский завод автокомпонентов", "Самарский подшипниковый завод",
    "Новокуйбышевская химия", "Сызранский машзавод", "Волжский кабельный завод", "Кинельский агрокомбинат",
]  # fmt: skip
TOWNS = {"Средневолжский станкозавод": "Самара", "Тольяттинский завод автокомпонентов": "Тольятти",
         "Самарский подшипниковый завод": "Самара", "Новокуйбышевская химия": "Новокуйбышевск",
         "Сызранский машзавод": "Сызрань", "Волжский кабельный завод": "Самара",
         "Кинельский агрокомбинат": "Кинельский"}  # fmt: skip
TEXTS = {
    "MES и диспетчеризация": "Хотим видеть загрузку станков и причины простоя по сменам, без бумажных журналов.",
    "Промышленный интернет вещей": "Нужен мониторинг вибрации и температуры оборудования, ремонт до поломки.",
    "Техническое зрение и контроль качества": "Брак находим поздно: нужен контроль качества камерами прямо на линии.",
    "Учёт и ERP": "Учёт ведём в нескольких системах, себестоимость считаем вручную — нужна единая ERP.",
    "Импортозамещение ПО": "Работаем на зарубежной ERP без поддержки, нужно перейти на российское ПО из реестра.",
    "Кибербезопасность": "Есть объекты КИИ и АСУ ТП, нужна защита и подготовка к проверке ФСТЭК.",
    "Кадры и обучение": "Не хватает операторов станков с ЧПУ, нужно быстро обучить новых сотрудников.",
    "Финансирование цифровизации": "Ищем льготный заём на цифровизацию производства на российском ПО.",
}  # fmt: skip
# (subject, enterprise index, statuses of its matches in order of sending, abandoned)
PLAN: list[tuple[str, int, list[str], bool]] = [
    ("MES и диспетчеризация", 0, [], False),
    ("Учёт и ERP", 6, [], False),
    ("Кадры и обучение", 4, [], False),
    ("Промышленный интернет вещей", 5, ["new"], False),
    ("Техническое зрение и контроль качества", 1, ["new", "new"], False),
    ("Кибербезопасность", 3, ["new"], False),
    ("Импортозамещение ПО", 2, ["new"], False),
    ("MES и диспетчеризация", 4, ["taken"], False),
    ("Учёт и ERP", 2, ["taken", "new"], False),
    ("Промышленный интернет вещей", 0, ["taken"], False),
    ("Кибербезопасность", 3, ["taken"], False),
    ("Техническое зрение и контроль качества", 1, ["helped"], False),
    ("MES и диспетчеризация", 5, ["helped", "not_for_me"], False),
    ("Импортозамещение ПО", 3, ["helped"], False),
    ("Кадры и обучение", 4, ["helped"], False),
    ("Финансирование цифровизации", 6, ["helped"], False),
    ("Учёт и ERP", 6, ["helped"], False),
    ("Промышленный интернет вещей", 2, ["not_helped"], False),
    ("Кадры и обучение", 1, ["not_helped"], False),
    ("Техническое зрение и контроль качества", 0, ["not_helped", "not_for_me"], False),
    ("MES и диспетчеризация", 2, ["unreachable"], False),
    ("Финансирование цифровизации", 5, ["unreachable"], False),
    ("Кибербезопасность", 4, ["not_for_me"], False),
    ("Учёт и ERP", 0, ["not_for_me", "not_for_me"], False),
    ("MES и диспетчеризация", 1, ["new"], True),
    ("Импортозамещение ПО", 5, ["new"], True),
    ("Промышленный интернет вещей", 6, [], False),
    ("Кадры и обучение", 2, ["taken"], False),
    ("Техническое зрение и контроль качества", 4, ["helped"], False),
    ("Финансирование цифровизации", 3, ["new"], False),
]
DEMO_PASSWORD = "demo-password"
# The helped need (PLAN[11]: quality control by cameras at the Togliatti plant) that answered the survey and became a
# pilot project with the IT company behind «Визор-Брак».
PILOT_NEED = 11
PILOT_PARTNER = "Волга Софт"
PILOT_TITLE = "Пилот: контроль качества литья камерами на линии (демо)"
PILOT_INVESTMENT = Decimal("4500000.00")


def load_needs(staff: User, organisations: dict[str, Organisation], progress: Callable[[str], None]) -> None:
    if Need.objects.filter(is_demo=True).exists():
        return
    with transaction.atomic():
        municipalities = _municipalities()
        subjects = _taxonomy()
        _solutions(organisations, subjects, staff)
        _institutions(subjects, municipalities)
        _needs(staff, organisations, subjects, municipalities)
    routing.invalidate()
    progress("потребности предприятий: 30 (одна стала пилотным проектом), решения: 15, институты: 3")


def _municipalities() -> dict[str, Municipality]:
    found = {}
    for name, oktmo in URBAN:
        found[name], _ = Municipality.objects.get_or_create(
            oktmo=oktmo,
            defaults={"name": f"городской округ {name} Самарской области", "short_name": name,
                      "kind": MunicipalityKind.URBAN_DISTRICT},
        )  # fmt: skip
    for index, name in enumerate(DISTRICTS):
        found[name], _ = Municipality.objects.get_or_create(
            oktmo=f"366{2 + index * 2:02d}000",
            defaults={"name": f"муниципальный район {name} Самарской области", "short_name": f"{name} район",
                      "kind": MunicipalityKind.MUNICIPAL_DISTRICT},
        )  # fmt: skip
    return found


def _taxonomy() -> dict[str, Subject]:
    found = {}
    for order, (theme_name, items) in enumerate(TAXONOMY):
        theme, _ = Theme.objects.get_or_create(name=theme_name, defaults={"order": order})
        for position, (name, keywords) in enumerate(items):
            found[name], _ = Subject.objects.get_or_create(
                theme=theme, name=name, defaults={"keywords": keywords, "order": position}
            )
    return found


def _solutions(organisations: dict[str, Organisation], subjects: dict[str, Subject], staff: User) -> None:
    now = timezone.now()
    for index, (vendor, name, subj, text, number, klass, okveds, deploy, price, certs, cases) in enumerate(SOLUTIONS):
        solution = Solution.objects.create(
            vendor=organisations[vendor], name=name, description=text, registry_number=number, registry_class=klass,
            okved_codes=okveds, deployment=deploy, price_band=price, certifications=certs, published=True,
            verified_at=now if index % 3 != 2 else None, verified_by=staff if index % 3 != 2 else None, is_demo=True,
        )  # fmt: skip
        solution.subjects.set([subjects[s] for s in subj])
        for customer, okved, task, result, figures in cases:
            SolutionCase.objects.create(
                solution=solution, customer=customer, industry_okved=okved, task=task, result=result,
                figures=figures, year=2025,
            )  # fmt: skip


def _institutions(subjects: dict[str, Subject], municipalities: dict[str, Municipality]) -> None:
    for name, kind, subj, towns, okveds, (low, high), experts in INSTITUTIONS:
        institution = PartnerInstitution.objects.create(
            name=name, kind=kind, okved_prefixes=okveds, min_headcount=low, max_headcount=high, is_demo=True,
            email=f"needs-{kind}@demo.invalid",
        )  # fmt: skip
        institution.subjects.set([subjects[s] for s in subj])
        if towns:
            institution.municipalities.set([municipalities[t] for t in towns])
        for login, first, last, town in experts:
            user, created = User.objects.get_or_create(
                username=login,
                defaults={"role": Role.EXPERT, "first_name": first, "last_name": last,
                          "email": f"{login}@demo.invalid"},
            )  # fmt: skip
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            expert = Expert.objects.create(
                user=user, institution=institution, position="эксперт по цифровизации", max_open_needs=8
            )
            expert.subjects.set([subjects[s] for s in subj])
            if town:
                expert.municipalities.set([municipalities[town]])
            if login == "needs_expert6":
                today = timezone.localdate()
                ExpertAbsence.objects.create(expert=expert, starts_on=today, ends_on=today + dt.timedelta(days=10))


def _target(kind_index: int, need: Need, subject: Subject, taken: set[tuple[str, int]]) -> dict[str, object]:
    """The n-th match of a need: an expert of the subject, else a solution of it, else an institution."""
    experts = list(Expert.objects.filter(subjects=subject, is_active=True).order_by("pk"))
    solutions = list(Solution.objects.filter(subjects=subject).order_by("pk"))
    candidates: list[tuple[str, object]] = [("expert", e) for e in experts] + [("solution", s) for s in solutions]
    candidates += [("institution", i) for i in PartnerInstitution.objects.filter(subjects=subject).order_by("pk")]
    free = [(k, t) for k, t in candidates if (k, t.pk) not in taken]  # type: ignore[attr-defined]
    if kind_index == 1 and solutions and ("solution", solutions[0].pk) not in taken:
        free = [("solution", solutions[0])]  # a need's second match goes to the subject's first solution
    kind, target = free[(need.pk + kind_index) % len(free)]
    taken.add((kind, target.pk))  # type: ignore[attr-defined]
    return {"kind": kind, kind: target}


def _needs(
    staff: User,
    organisations: dict[str, Organisation],
    subjects: dict[str, Subject],
    municipalities: dict[str, Municipality],
) -> None:
    now = timezone.now()
    pilot_need: Need | None = None
    for number, (subject_name, enterprise_index, statuses, abandoned) in enumerate(PLAN):
        enterprise = organisations[ENTERPRISES[enterprise_index]]
        subject = subjects[subject_name]
        age = dt.timedelta(days=60 - number * 2, hours=number)
        created = now - age
        contact = f"Контакт {number + 1} (демо)"
        request = IntakeRequest.objects.create(
            inn=enterprise.inn, organisation=enterprise, organisation_name=enterprise.name, contact_name=contact,
            contact_email=f"need{number + 1}@demo.invalid", contact_phone=f"+7 846 300-{number:02d}-00",
            contact_position="главный инженер", subject=subject, description=TEXTS[subject_name],
            municipality=municipalities[TOWNS[ENTERPRISES[enterprise_index]]], consent_at=created,
            consent_version="2026-12", status=IntakeStatus.QUALIFIED, started_at=created - dt.timedelta(minutes=7),
            submitted_at=created, confirmed_at=created + dt.timedelta(minutes=20), qualified_at=created,
            qualified_by=staff, status_salt=f"demo{number:04d}", is_demo=True,
        )  # fmt: skip
        need = Need.objects.create(
            request=request, organisation=enterprise, subject=subject, municipality=request.municipality,
            title=f"{subject_name}: {enterprise.short_name.replace(' (демо)', '')}", description=request.description,
            priority=Priority.HIGH if number % 7 == 0 else Priority.NORMAL, qualified_at=created, is_demo=True,
        )  # fmt: skip
        if number % 3 == 0:
            Diagnosis.objects.create(
                need=need, kind="call" if number % 2 else "visit", author=staff, held_on=created.date(),
                notes="Уточнили задачу с главным инженером: парк оборудования, системы учёта, сроки.",
            )  # fmt: skip
        taken: set[tuple[str, int]] = set()
        for index, status in enumerate(statuses):
            match = Match.objects.create(need=need, sent_by=staff, reasons=["подобрано офисом (демо)"], score=0.5,
                                         **_target(index, need, subject, taken))  # fmt: skip
            actor = match.expert.user if match.expert else staff
            if status in ("taken", "helped", "not_helped", "unreachable"):
                lifecycle.move(match, MatchStatus.TAKEN, actor=actor)
            if status in ("helped", "not_helped", "unreachable"):
                lifecycle.move(match, status, actor=actor, reason="Итог работы (демо)")
            if status == "not_for_me":
                lifecycle.move(match, status, actor=actor, reason="Не наш профиль: предприятие вне наших отраслей")
            sent_at = created + dt.timedelta(days=1)
            Match.objects.filter(pk=match.pk).update(
                sent_at=sent_at,
                taken_at=sent_at + dt.timedelta(days=2) if status not in ("new", "not_for_me") else None,
                closed_at=sent_at + dt.timedelta(days=12) if status not in ("new", "taken") else None,
            )
            MatchEvent.objects.filter(match=match).update(at=sent_at + dt.timedelta(days=2))
        Need.objects.filter(pk=need.pk).update(created_at=created)
        IntakeRequest.objects.filter(pk=request.pk).update(created_at=created)
        if abandoned:
            Need.objects.filter(pk=need.pk).update(abandoned_at=now - dt.timedelta(days=1))
        lifecycle.refresh_need(Need.objects.get(pk=need.pk))
        if number == PILOT_NEED:
            pilot_need = need
    if pilot_need is not None:
        _survey_and_pilot(staff, organisations, Need.objects.get(pk=pilot_need.pk))
    _waiting_requests(organisations, subjects, municipalities, now)


def _survey_and_pilot(staff: User, organisations: dict[str, Organisation], need: Need) -> None:
    """The enterprise's answer to the survey sent ten days after its match closed, and the pilot project staff made
    of the outcome (through the service the «Создать пилотный проект» page uses)."""
    closed = need.matches.order_by("closed_at").values_list("closed_at", flat=True).first() or timezone.now()
    sent = closed + dt.timedelta(days=10)
    SatisfactionSurvey.objects.create(
        need=need, token=f"demo-survey-{need.pk:06d}", sent_at=sent, answered_at=sent + dt.timedelta(days=1),
        contacted=True, useful=True, outcome=SurveyOutcome.CHOSE_SOLUTION, rating=5,
        comment="Эксперт приехал через два дня, подобрали видеоаналитику брака; запускаем пилот на линии литья.",
    )  # fmt: skip
    outcomes.pilot_create(
        actor=staff, need=need, title=PILOT_TITLE,
        summary="Камеры на линии литья находят брак до сборки; пилот на одной линии с «Визор-Брак».",
        it_company=organisations[PILOT_PARTNER], investment=PILOT_INVESTMENT, received_on=timezone.localdate(),
    )  # fmt: skip


def _waiting_requests(organisations: dict[str, Organisation], subjects: dict[str, Subject],
                      municipalities: dict[str, Municipality], now: dt.datetime) -> None:  # fmt: skip
    """Two confirmed requests waiting for qualification, one waiting for its e-mail confirmation, one spam."""
    plan = [
        ("Сызранский машзавод", "Техническое зрение и контроль качества", IntakeStatus.CONFIRMED),
        ("Кинельский агрокомбинат", "Импортозамещение ПО", IntakeStatus.CONFIRMED),
        ("Волжский кабельный завод", "Кибербезопасность", IntakeStatus.DRAFT),
        ("Самарский подшипниковый завод", "Учёт и ERP", IntakeStatus.SPAM),
    ]
    for index, (short, subject_name, status) in enumerate(plan):
        enterprise = organisations[short]
        IntakeRequest.objects.create(
            inn=enterprise.inn, organisation=enterprise, organisation_name=enterprise.name,
            contact_name=f"Ожидающий контакт {index + 1} (демо)", contact_email=f"wait{index + 1}@demo.invalid",
            subject=subjects[subject_name], description=TEXTS[subject_name],
            municipality=municipalities[TOWNS[short]], consent_at=now, consent_version="2026-12", status=status,
            submitted_at=now - dt.timedelta(hours=index + 1),
            confirmed_at=now if status == IntakeStatus.CONFIRMED else None,
            confirmation_used_at=now if status == IntakeStatus.CONFIRMED else None,
            status_salt=f"wait{index:04d}", is_demo=True,
        )  # fmt: skip


__all__ = ["MatchKind", "load_needs"]
