"""The demo's participation: the Samara strategy process in its draft-consultation phase, a draft in two versions
with remarks (some disposed), proposals with supports, two official answers, an accepted proposal turned into a
project, and a debate with a reported comment waiting in the moderation queue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils import timezone

from projectoffice.accounts.models import Membership, Role, User
from projectoffice.organisations.models import Organisation
from projectoffice.participation import services
from projectoffice.participation.models import (
    AnswerState,
    Debate,
    Goal,
    GoalKind,
    Phase,
    Process,
    ProgressSource,
    Proposal,
    QuestionKind,
    Result,
    Support,
    Survey,
    SurveyQuestion,
    SurveyResponse,
)
from projectoffice.participation.similar import text_lemmas

SLUG = "samara-digital-strategy-2030"
PARTICIPANTS = [  # login, first name, last name, organisation (short name) or ""
    ("uchastnik1", "Олег", "Кравцов", "СамараДата"),
    ("uchastnik2", "Ирина", "Белова", "ГородОнлайн"),
    ("uchastnik3", "Тимур", "Гафаров", ""),
    ("uchastnik4", "Светлана", "Мельникова", "Кибер Волга"),
    ("uchastnik5", "Артём", "Яковлев", ""),
    ("uchastnik6", "Наталья", "Сорокина", ""),
]
REGIONAL_GOALS = [
    ("sam-data", "Регион, управляемый на основе данных: единая региональная платформа данных к 2030 году"),
    ("sam-talent", "Кадры цифровой экономики: 10 000 выпускников ИТ-направлений в год к 2030 году"),
    ("sam-industry", "Цифровая зрелость промышленности: 70 % крупных и средних предприятий с проектами цифровизации"),
]
PROPOSALS = [  # title, body, category, goals, author index, supporters, answer (state, text) or None
    ("Открыть данные об общественном транспорте Самары и Тольятти",
     "Публиковать расписания, маршруты и движение автобусов и трамваев в открытом формате GTFS, чтобы компании "
     "региона делали сервисы для пассажиров.", "data", ["ng-7", "sam-data"], 0, 5,
     ("Принято", "Включено в раздел «Данные» проекта стратегии; публикация в 2026 году.")),
    ("Региональная магистратура по искусственному интеллекту",
     "Совместная магистерская программа вузов и ИТ-компаний региона с практикой на реальных задачах предприятий.",
     "education", ["ng-2", "sam-talent"], 2, 3, None),
    ("Единый реестр промышленных данных для пилотов ИИ",
     "Каталог обезличенных наборов данных предприятий для пилотных проектов ИИ с типовым соглашением о доступе.",
     "industry", ["ng-6", "sam-industry"], 3, 2, ("Отклонено", "Предприятия не готовы передавать данные; "
                                                 "вернёмся к вопросу после пилота в двух отраслях.")),
    ("Цифровой двойник городской среды Тольятти",
     "Трёхмерная модель города для планирования застройки и транспорта, доступная жителям.",
     "services", ["ng-3", "ng-7"], 4, 1, None),
    ("Публиковать расписание автобусов Самары как открытые данные",
     "Нужны открытые данные о движении общественного транспорта, чтобы делать приложения для жителей.",
     "data", ["ng-7"], 5, 0, None),
]  # fmt: skip
DRAFT_V1 = """# Общие положения

Цифровой раздел стратегии социально-экономического развития Самарской области определяет цели и задачи цифровой трансформации региона до 2030 года.

Раздел согласован с национальными целями развития и национальным проектом «Экономика данных и цифровая трансформация государства».

# Данные

Региональные органы власти публикуют открытые данные по утверждённому перечню.

Создаётся региональная платформа данных для органов власти, муниципалитетов и организаций.

# Кадры

Число выпускников по ИТ-направлениям подготовки увеличивается вдвое к 2030 году.

Вузы и ИТ-компании региона разрабатывают совместные образовательные программы.

# Промышленность

Предприятия обрабатывающей промышленности получают поддержку проектов цифровизации производства.
"""
DRAFT_V2 = DRAFT_V1.replace(
    "Региональные органы власти публикуют открытые данные по утверждённому перечню.",
    "Региональные органы власти публикуют открытые данные по утверждённому перечню, включая данные о движении "
    "общественного транспорта в машиночитаемом формате.",
).replace("увеличивается вдвое к 2030 году", "достигает 10 000 человек в год к 2030 году")
REMARKS = [  # paragraph number, author index, quote, text, disposition, justification
    ("2.1", 0, "по утверждённому перечню", "Добавить в перечень данные о движении транспорта.", "accepted", ""),
    ("3.1", 2, "увеличивается вдвое", "Указать абсолютное значение, а не «вдвое».", "partial",
     "Указано абсолютное значение; ежегодные значения — в плане мероприятий."),
    ("4.1", 3, "", "Добавить требования к информационной безопасности проектов цифровизации.", "rejected",
     "Требования установлены федеральным законодательством, дублировать их в стратегии не нужно."),
    ("2.2", 1, "", "Определить оператора региональной платформы данных.", "", ""),
]  # fmt: skip


def _participants(organisations: dict[str, Organisation], password_user: User) -> list[User]:
    users = []
    for login, first, last, organisation in PARTICIPANTS:
        user, created = User.objects.get_or_create(
            username=login,
            defaults={"role": Role.COMMUNITY, "first_name": first, "last_name": last, "email": f"{login}@demo.invalid"},
        )
        if created:
            user.password = password_user.password  # the demo password, hashed once
            user.save(update_fields=["password"])
        if organisation:
            Membership.objects.get_or_create(user=user, organisation=organisations[organisation])
        users.append(user)
    return users


def _process() -> Process:
    today = timezone.localdate()
    process, _ = Process.objects.get_or_create(slug=SLUG, defaults={
        "title": "Стратегия цифровой трансформации Самарской области до 2030 года (демо)",
        "description": "Офис собирает предложения профессионального сообщества в цифровой раздел стратегии "
                       "социально-экономического развития Самарской области и обсуждает проект раздела.",
        "starts_on": today - dt.timedelta(days=60), "ends_on": today + dt.timedelta(days=45),
        "is_published": True, "support_threshold": 3, "is_demo": True,
    })  # fmt: skip
    process.goals.set(Goal.objects.filter(code__in=["ng-6", "ng-7", "np-data-economy", "sam-data", "sam-talent"]))
    if not process.phases.exists():
        Phase.objects.create(process=process, title="Сбор предложений", starts_on=today - dt.timedelta(days=60),
                             ends_on=today - dt.timedelta(days=15), actions=["propose", "support", "comment"])  # fmt: skip
        Phase.objects.create(process=process, title="Обсуждение проекта цифрового раздела",
                             starts_on=today - dt.timedelta(days=14), ends_on=today + dt.timedelta(days=30),
                             actions=["support", "comment", "remark", "survey"])  # fmt: skip
    return process


def _proposals(process: Process, users: list[User], organisations: dict[str, Organisation], staff: User) -> None:
    states = {s.name: s for s in AnswerState.objects.all()}
    start = timezone.now() - dt.timedelta(days=50)
    for n, (title, body, category, goals, author, supporters, answer) in enumerate(PROPOSALS):
        if Proposal.objects.filter(process=process, title=title).exists():
            continue
        user = users[author]
        org = Organisation.objects.filter(pk__in=user.organisation_ids).first()
        proposal = Proposal.objects.create(process=process, author=user, organisation=org, title=title, body=body,
                                           category=category, created_at=start + dt.timedelta(days=n * 3), is_demo=True,
                                           lemmas=" ".join(text_lemmas(f"{title} {body}")))  # fmt: skip
        proposal.goals.set(Goal.objects.filter(code__in=goals))
        others = [u for u in users if u.pk != user.pk][:supporters]
        Support.objects.bulk_create(Support(proposal=proposal, user=u) for u in others)
        proposal.supports_count = len(others)
        proposal.save(update_fields=["supports_count"])
        if answer:
            services.answer_draft(actor=staff, proposal=proposal, state=states[answer[0]], text=answer[1])
    services.answers_publish(actor=staff, process=process)
    accepted = Proposal.objects.get(process=process, title=PROPOSALS[0][0])
    if accepted.project_id is None:
        services.project_from_proposal(actor=staff, proposal=accepted, lead_organisation=organisations["СамараДата"])


def _draft(process: Process, users: list[User], staff: User) -> None:
    if hasattr(process, "draft"):
        return
    first = services.version_publish(actor=staff, process=process, title="Цифровой раздел стратегии Самарской области",
                                     text=DRAFT_V1, changelog="Первая редакция для обсуждения.")  # fmt: skip
    remarks = []
    for number, author, quote, text, disposition, justification in REMARKS:
        paragraph = first.paragraphs.get(number=number)
        user = users[author]
        org = Organisation.objects.filter(pk__in=user.organisation_ids).first()
        remarks.append((services.remark_add(actor=user, paragraph=paragraph, text=text, quote=quote, organisation=org),
                        disposition, justification))  # fmt: skip
    for remark, disposition, justification in remarks:
        if disposition:
            services.remark_dispose(actor=staff, remark=remark, disposition=disposition, justification=justification)
    services.version_publish(actor=staff, process=process, title="Цифровой раздел стратегии Самарской области",
                             text=DRAFT_V2, changelog="Учтены замечания о данных транспорта и о числе выпускников.")  # fmt: skip
    second = process.draft.versions.get(number=2)
    retraining = services.remark_add(actor=users[4], paragraph=second.paragraphs.get(number="3.2"),
                                     text="Добавить программы переподготовки для инженеров предприятий.")  # fmt: skip
    # The remark's discussion: replies with a stance and votes, as on proposals.
    reply = services.comment_add(actor=users[1], subject=retraining, stance="for",
                                 body="Поддерживаем: заводам нужны инженеры, умеющие работать с данными.")  # fmt: skip
    services.comment_add(actor=users[2], subject=retraining, stance="against", parent=reply,
                         body="Переподготовку лучше вести в программе кадров, а не в цифровом разделе.")  # fmt: skip
    for voter, value in ((users[0], 1), (users[3], 1), (users[5], -1)):
        services.remark_vote(actor=voter, remark=retraining, value=value)
    services.digest_set(actor=users[0], frequency="daily")


def _debate(process: Process, users: list[User]) -> None:
    debate, created = Debate.objects.get_or_create(process=process, title="Нужен ли региональный оператор данных?",
                                                   defaults={"description": "Кто в регионе должен отвечать за "
                                                             "платформу данных: ведомство, подведомственное учреждение "
                                                             "или частный оператор?"})  # fmt: skip
    if not created:
        return
    first = services.comment_add(actor=users[0], subject=debate, stance="for",
                                 body="Нужен: без оператора данные так и останутся в ведомствах.")  # fmt: skip
    services.comment_add(actor=users[2], subject=debate, stance="against", parent=first,
                         body="Достаточно регламента и ответственного в каждом ведомстве.")  # fmt: skip
    services.comment_vote(actor=users[3], comment=first, value=1)
    spam = services.comment_add(actor=users[5], subject=debate, stance="neutral",
                                body="Лучшие курсы по заработку в интернете — пишите в личные сообщения!")  # fmt: skip
    for reporter in users[:2]:
        services.report_add(actor=reporter, content=spam, reason="spam", text="Реклама")


def load_participation(staff: User, organisations: dict[str, Organisation], progress: Callable[[str], None]) -> None:
    services.reference_load()
    for code, name in REGIONAL_GOALS:
        Goal.objects.get_or_create(code=code, defaults={"kind": GoalKind.REGIONAL, "name": name,
                                                        "source": "Проект стратегии Самарской области (демо)"})  # fmt: skip
    users = _participants(organisations, staff)
    process = _process()
    _proposals(process, users, organisations, staff)
    _draft(process, users, staff)
    _debate(process, users)
    _results(process)
    _survey(process, users)
    progress("участие: процесс стратегии, предложения с поддержками и ответами, проект документа в двух редакциях, "
             "замечания, дискуссия с жалобой, результаты, завершённый опрос")  # fmt: skip


def _results(process: Process) -> None:
    """The accountability page: a result answered by the project made from the accepted proposal, one measured by
    the KPI indicator, one entered by staff with evidence, under a parent that averages them."""
    if process.results.exists():
        return
    accepted = Proposal.objects.get(process=process, title=PROPOSALS[0][0])
    parent = Result.objects.create(process=process, title="Открытые данные региона", source=ProgressSource.CHILDREN,
                                   description="Цифровой раздел стратегии: данные как общий ресурс")  # fmt: skip
    transport = Result.objects.create(process=process, parent=parent, title="Данные о транспорте в открытом доступе",
                                      source=ProgressSource.PROJECTS, order=1)  # fmt: skip
    transport.proposals.set([accepted])
    if accepted.project_id:
        transport.projects.set([accepted.project_id])
    Result.objects.create(process=process, parent=parent, title="Предложения сообщества учтены в стратегии",
                          source=ProgressSource.INDICATOR, indicator_code="strategy-proposals", order=2)  # fmt: skip
    Result.objects.create(process=process, parent=parent, title="Перечень открытых данных утверждён",
                          source=ProgressSource.MANUAL, manual_progress=50, order=3,
                          evidence="Проект распоряжения внесён в правительство области (демо)")  # fmt: skip


SURVEY_QUESTIONS = [  # kind, text, choices, rows
    (QuestionKind.SINGLE, "Какое направление цифрового раздела для вас главное?",
     ["Данные", "Кадры", "Промышленность", "Госуслуги"], []),
    (QuestionKind.MULTIPLE, "Какие меры поддержки нужны вашей организации?",
     ["Гранты", "Льготные займы", "Пилоты с заказчиками", "Обучение"], []),
    (QuestionKind.SCALE, "Насколько регион готов к экономике данных (1 — не готов, 5 — полностью)?", [], []),
    (QuestionKind.MATRIX, "Оцените доступность", ["низкая", "средняя", "высокая"], ["Открытые данные", "Кадры", "Финансирование"]),
    (QuestionKind.SHORT, "Одно слово о цифровой Самаре", [], []),
    (QuestionKind.LONG, "Что ещё должно войти в стратегию?", [], []),
]  # fmt: skip
SURVEY_ANSWERS = [  # per participant: single, multiple, scale, matrix row choices, short, long
    ("Данные", ["Гранты", "Пилоты с заказчиками"], 3, ["средняя", "низкая", "низкая"], "перспективно", "Открытые API"),
    ("Кадры", ["Обучение"], 2, ["низкая", "низкая", "средняя"], "молодая", ""),
    ("Данные", ["Гранты", "Льготные займы"], 4, ["высокая", "средняя", "средняя"], "быстрая", "Облачная платформа"),
    ("Промышленность", ["Пилоты с заказчиками", "Обучение"], 3, ["средняя", "средняя", "низкая"], "инженерная", ""),
    ("Госуслуги", ["Гранты"], 2, ["низкая", "средняя", "низкая"], "удобная", "Единый вход для бизнеса"),
]  # fmt: skip


def _survey(process: Process, users: list[User]) -> None:
    """A survey of the (closed) proposal phase, answered by the demo participants: its results and CSV are open."""
    phase = process.phases.order_by("starts_on").first()
    if phase is None or Survey.objects.filter(phase=phase).exists():
        return
    survey = Survey.objects.create(phase=phase, title="Приоритеты цифрового раздела стратегии",
                                   description="Короткий опрос участников сбора предложений.")  # fmt: skip
    questions = [SurveyQuestion.objects.create(survey=survey, kind=kind, text=text, choices=choices, rows=rows,
                                               required=kind not in (QuestionKind.SHORT, QuestionKind.LONG), order=i)
                 for i, (kind, text, choices, rows) in enumerate(SURVEY_QUESTIONS)]  # fmt: skip
    for user, (single, multiple, scale, matrix, short, long) in zip(users, SURVEY_ANSWERS, strict=False):
        answers = {str(questions[0].pk): single, str(questions[1].pk): multiple, str(questions[2].pk): scale,
                   str(questions[3].pk): dict(zip(questions[3].rows, matrix, strict=True)),
                   str(questions[4].pk): short, str(questions[5].pk): long}  # fmt: skip
        SurveyResponse.objects.create(survey=survey, user=user, answers={k: v for k, v in answers.items() if v != ""})
