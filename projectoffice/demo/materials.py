"""Demo materials and data rooms (issue 17, part B): Russian and English teasers and memoranda for the demo flagship
projects (written by people for the demo, not machine-translated), one English section left behind its Russian
version («перевод устарел»), the NDA, and data rooms with documents and an invited representative for two deals.

Idempotent: a project that already has materials, a room that already has documents or invitations is left as is."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from projectoffice.accounts.models import User
from projectoffice.lib.formats import plural
from projectoffice.materials import documents, services
from projectoffice.materials.models import SECTIONS, Document, Lang, SectionKey
from projectoffice.projects.models import Project

K = SectionKey
REPRESENTATIVE = "investor"  # the demo login of a funder's representative (demo/loader.py USERS)
NDA_TEXT = (
    "Соглашение о неразглашении (демо).\n"
    "1. Сведения, полученные в комнате данных проекта, конфиденциальны: получатель не раскрывает их третьим лицам "
    "без письменного согласия организации, ведущей проект, и использует их только для оценки участия в проекте.\n"
    "2. Документы выдаются с именем получателя и датой на каждой странице; каждое скачивание записывается.\n"
    "3. Обязательства действуют три года со дня принятия соглашения."
)

# Five demo flagships (the same projects the flagship portfolio marks), texts in both languages.
TEXTS: dict[str, dict[str, dict[SectionKey, str]]] = {
    "Видеоаналитика дефектов на конвейере": {
        "ru": {
            K.TITLE: "Видеоаналитика дефектов литья на конвейере",
            K.SUMMARY: "Камеры и нейросеть находят раковины и трещины в литых деталях прямо на линии, до механообработки.",
            K.PROBLEM: "Брак литья находят после дорогой механообработки: до 3 % деталей уходит в лом, а ручной контроль пропускает мелкие дефекты.",
            K.SOLUTION: "Камеры над конвейером, модель компьютерного зрения, обученная на 40 тыс. размеченных снимков, и отбраковка в течение 200 мс.",
            K.MARKET: "Около 300 литейных и автокомпонентных заводов России; объём рынка машинного зрения в промышленности — 12 млрд ₽ в год.",
            K.TEAM: "«Волга Софт» (12 разработчиков), Самарский университет (разметка и модели), технологи Тольяттинского завода автокомпонентов.",
            K.FINANCIALS: "Бюджет 24 млн ₽; запрашиваем 12 млн ₽: пилот у крупной компании с последующей закупкой лицензий.",
            K.TRACTION: "Опытная установка на одной линии: найдено 94 % дефектов при 2 % ложных срабатываний.",
            K.USE_OF_FUNDS: "Промышленные камеры и вычислители — 40 %, доработка моделей — 35 %, внедрение и обучение — 25 %.",
            K.RISKS: "Изменение номенклатуры деталей требует дообучения; снижаем риск инструментом разметки на заводе.",
            K.PILOT_SCOPE: "Две линии литья алюминиевых корпусов, 6 месяцев, целевой показатель — 90 % найденных дефектов.",
            K.INTEGRATION: "Сигнал отбраковки в ПЛК линии по OPC UA, журнал дефектов — в MES заказчика.",
        },
        "en": {
            K.TITLE: "Video analytics of casting defects on the conveyor",
            K.SUMMARY: "Cameras and a neural network find blowholes and cracks in castings on the line, before machining.",
            K.PROBLEM: "Casting defects are found after costly machining: up to 3% of parts are scrapped, and manual inspection misses small flaws.",
            K.SOLUTION: "Cameras above the conveyor, a computer vision model trained on 40,000 labelled images, and rejection within 200 ms.",
            K.MARKET: "About 300 foundries and automotive component plants in Russia; industrial machine vision is a RUB 12 billion market a year.",
            K.TEAM: "Volga Soft (12 developers), Samara University (labelling and models), process engineers of the Togliatti automotive component plant.",
            K.FINANCIALS: "Budget RUB 24 million; we ask for RUB 12 million: a pilot with a large company followed by a licence purchase.",
            K.TRACTION: "A test rig on one line: 94% of defects found with 2% false alarms.",
            K.USE_OF_FUNDS: "Industrial cameras and edge computers 40%, model development 35%, roll-out and training 25%.",
            K.RISKS: "New part designs need retraining; we reduce the risk with a labelling tool at the plant.",
            K.PILOT_SCOPE: "Two aluminium housing casting lines, 6 months, target: 90% of defects found.",
            K.INTEGRATION: "The reject signal goes to the line PLC over OPC UA, the defect log to the customer's MES.",
        },
    },
    "Платформа промышленного IoT для станочного парка": {
        "ru": {
            K.TITLE: "Промышленный IoT для станочного парка",
            K.SUMMARY: "Данные со станков с ЧПУ в одной системе: загрузка оборудования, простои и их причины в реальном времени.",
            K.PROBLEM: "Загрузка станков на региональных заводах — 45–55 %, причины простоев не учитываются.",
            K.SOLUTION: "Шлюз для станков разных поколений, облачная или локальная платформа и отчёты для мастера и главного инженера.",
            K.MARKET: "Более 2 тыс. машиностроительных предприятий России; импортные системы ушли с рынка.",
            K.TEAM: "«Жигули Диджитал» и Средневолжский станкозавод; 18 человек, опыт внедрений на 6 заводах.",
            K.FINANCIALS: "Бюджет 40 млн ₽, запрашиваем 20 млн ₽ займа; выручка от подписок с третьего года.",
            K.TRACTION: "Подключено 120 станков на трёх площадках; загрузка выросла на 11 п. п. за полгода.",
            K.USE_OF_FUNDS: "Разработка шлюза и платформы — 55 %, сертификация и включение в реестр ПО — 15 %, продажи — 30 %.",
            K.RISKS: "Длинный цикл продаж на заводах; зависимость от поставок электроники.",
            K.PAYBACK: "Финансовая модель на 5 лет: окупаемость 3,5 года, NPV 38 млн ₽ при ставке 18 %.",
        },
        "en": {
            K.TITLE: "Industrial IoT for the machine-tool fleet",
            K.SUMMARY: "Data from CNC machines in one system: utilisation, downtime and its causes in real time.",
            K.PROBLEM: "Machine utilisation at the region's plants is 45–55%, and causes of downtime are not recorded.",
            K.SOLUTION: "A gateway for machines of any generation, a cloud or on-premises platform, and reports for foremen and chief engineers.",
            K.MARKET: "Over 2,000 engineering companies in Russia; imported systems have left the market.",
            K.TEAM: "Zhiguli Digital and the Middle Volga machine-tool plant; 18 people, roll-outs at 6 plants.",
            K.FINANCIALS: "Budget RUB 40 million; we ask for a RUB 20 million loan; subscription revenue from year three.",
            K.TRACTION: "120 machines connected at three sites; utilisation up 11 points in six months.",
            K.USE_OF_FUNDS: "Gateway and platform development 55%, certification and the software registry 15%, sales 30%.",
            K.RISKS: "Long sales cycles at plants; dependence on electronics supply.",
            K.PAYBACK: "A five-year financial model: payback in 3.5 years, NPV RUB 38 million at an 18% rate.",
        },
    },
    "Мониторинг ЛЭП беспилотниками": {
        "ru": {
            K.TITLE: "Мониторинг ЛЭП беспилотниками",
            K.SUMMARY: "Облёт линий электропередачи беспилотниками и автоматический поиск дефектов по снимкам.",
            K.PROBLEM: "Пеший и вертолётный осмотр ЛЭП дорог и редок; дефекты изоляторов находят после аварий.",
            K.SOLUTION: "Маршруты облёта, съёмка в видимом и тепловом диапазоне, нейросеть находит 14 видов дефектов.",
            K.MARKET: "2,3 млн км ЛЭП в России и странах ЕАЭС; сетевые компании Казахстана и Узбекистана ищут такие решения.",
            K.TEAM: "«Аэроскан» (пилоты и инженеры данных) и Волжская энергосеть (экспертиза по дефектам).",
            K.FINANCIALS: "Бюджет 30 млн ₽; запрашиваем 15 млн ₽ на выход в страны ЕАЭС.",
            K.TRACTION: "Облетано 3 200 км линий; сетевая компания сократила время осмотра в 4 раза.",
            K.USE_OF_FUNDS: "Парк беспилотников — 35 %, модели дефектов — 30 %, локализация и продажи за рубежом — 35 %.",
            K.RISKS: "Ограничения полётов; разные нормы воздушного законодательства в странах-партнёрах.",
            K.PAYBACK: "Окупаемость 3 года по договорам облёта; маржа 35 %.",
            K.PARTNERS_ABROAD: "Казахстан (сетевая компания региона, письмо о намерениях), Узбекистан (пилотный облёт 300 км).",
        },
        "en": {
            K.TITLE: "Power line monitoring with drones",
            K.SUMMARY: "Drones fly along power lines and defects are found in the images automatically.",
            K.PROBLEM: "Foot and helicopter patrols of power lines are costly and rare; insulator defects are found after failures.",
            K.SOLUTION: "Flight routes, visible and thermal imaging, and a neural network that finds 14 kinds of defects.",
            K.MARKET: "2.3 million km of power lines in Russia and the EAEU; grid companies in Kazakhstan and Uzbekistan seek such solutions.",
            K.TEAM: "Aeroscan (pilots and data engineers) and Volga Grid (defect expertise).",
            K.FINANCIALS: "Budget RUB 30 million; we ask for RUB 15 million to enter EAEU markets.",
        },
    },
    "Цифровой двойник кабельного производства": {
        "ru": {
            K.TITLE: "Цифровой двойник кабельного производства",
            K.SUMMARY: "Модель производственной линии кабельного завода для планирования загрузки и обучения персонала.",
            K.PROBLEM: "Переналадка линий под новый заказ занимает до двух смен; ошибки планирования стоят 5 % выпуска.",
            K.SOLUTION: "Цифровой двойник линии экструзии с данными датчиков и тренажёр для операторов.",
            K.MARKET: "Кабельные заводы России и стран СНГ: около 150 предприятий.",
            K.TEAM: "«ЦифроСтрой» и Волжский кабельный завод.",
            K.FINANCIALS: "Бюджет 55 млн ₽; запрашиваем 27 млн ₽ у федерального института развития.",
            K.TRACTION: "Модель одной линии проверена на исторических данных за год.",
            K.USE_OF_FUNDS: "Датчики — 30 %, модель и тренажёр — 50 %, внедрение — 20 %.",
            K.RISKS: "Качество исторических данных; сопротивление изменениям на производстве.",
        },
        "en": {},
    },
    "Спутниковый мониторинг посевов": {
        "ru": {
            K.TITLE: "Спутниковый мониторинг посевов",
            K.SUMMARY: "Оценка состояния посевов и прогноз урожайности по спутниковым снимкам и данным метеостанций.",
            K.PROBLEM: "Хозяйства узнают о проблемах посевов поздно; страхование и кредиты опираются на устаревшие данные.",
            K.SOLUTION: "Индексы вегетации по снимкам Sentinel и «Канопус», модель урожайности, мобильное приложение агронома.",
            K.MARKET: "Агрохолдинги и страховщики России и Казахстана; 80 млн га пашни.",
            K.TEAM: "«Агроинформ», Кинельский агрокомбинат, Самарский университет.",
            K.FINANCIALS: "Бюджет 20 млн ₽; запрашиваем 10 млн ₽ у межгосударственного фонда.",
            K.TRACTION: "Прогноз на 12 тыс. га с ошибкой 7 %.",
            K.USE_OF_FUNDS: "Модели — 50 %, приложение — 30 %, продажи — 20 %.",
            K.RISKS: "Облачность снижает число пригодных снимков; доступ к спутниковым данным.",
            K.PAYBACK: "Окупаемость 4 года по подпискам хозяйств.",
            K.PARTNERS_ABROAD: "Казахстан: агрохолдинг Костанайской области (пилот на 5 тыс. га).",
        },
        "en": {
            K.TITLE: "Satellite crop monitoring",
            K.SUMMARY: "Crop condition and yield forecasts from satellite images and weather station data.",
            K.PROBLEM: "Farms learn about crop problems late; insurance and loans rely on outdated data.",
            K.SOLUTION: "Vegetation indices from Sentinel and Kanopus images, a yield model, and an agronomist's mobile app.",
            K.MARKET: "Agricultural holdings and insurers of Russia and Kazakhstan; 80 million ha of arable land.",
            K.TEAM: "Agroinform, the Kinel agricultural company, Samara University.",
            K.FINANCIALS: "Budget RUB 20 million; we ask an interstate fund for RUB 10 million.",
        },
    },
}
# The Russian text changed after its translation: the demo's «перевод устарел».
OUTDATED = ("Видеоаналитика дефектов на конвейере", Document.TEASER, K.FINANCIALS,
            "Бюджет 24 млн ₽; запрашиваем 12 млн ₽: пилот на двух линиях у крупной компании, затем лицензии на "
            "шесть заводов группы.")  # fmt: skip


def _fill(staff: User, project: Project, lang: str, texts: dict[SectionKey, str]) -> None:
    for document, keys in SECTIONS.items():
        for key in keys:
            if key in texts:
                services.section_save(actor=staff, project=project, document=document, key=key, lang=lang,
                                      text=texts[key])  # fmt: skip


def _projects() -> list[Project]:
    flagships = list(Project.objects.filter(is_demo=True, flagship__isnull=False).order_by("title"))
    return flagships or list(Project.objects.filter(is_demo=True, title__in=TEXTS).order_by("title"))


def _room(staff: User, project: Project, deal: Any, representative: User) -> None:
    room = services.room_open(actor=staff, project=project)
    if not room.documents.exists():
        memo = documents.material(project, Document.MEMO, Lang.RU)
        services.room_document_add(actor=staff, room=room, title="Инвестиционный меморандум",
                                   filename="memorandum.pdf", data=documents.build_pdf(memo))  # fmt: skip
        services.room_document_add(actor=staff, room=room, title="Инвестиционный меморандум (DOCX)",
                                   filename="memorandum.docx", data=documents.build_docx(memo))  # fmt: skip
    if not room.invitations.exists():
        services.invitation_create(actor=staff, room=room, email=representative.email, deal=deal,
                                   expires_on=timezone.localdate() + dt.timedelta(days=60))  # fmt: skip


def load_materials(staff: User, progress: Callable[[str], None] = lambda _: None) -> int:
    """Materials of the demo flagships and two data rooms; returns how many projects got materials now."""
    services.nda_publish(actor=staff, text=NDA_TEXT)
    filled = 0
    projects = _projects()
    for project in projects:
        if project.material_sections.exists():
            continue
        texts = TEXTS.get(project.title)
        if texts is None:
            texts = {"ru": {K.TITLE: project.title, K.SUMMARY: project.summary, K.PROBLEM: project.problem,
                            K.SOLUTION: project.solution, K.TEAM: project.team}, "en": {}}  # fmt: skip
            texts["ru"] = {k: v for k, v in texts["ru"].items() if v}
        _fill(staff, project, Lang.RU, texts["ru"])
        _fill(staff, project, Lang.EN, texts["en"])
        if project.title == OUTDATED[0]:
            services.section_save(actor=staff, project=project, document=OUTDATED[1], key=OUTDATED[2],
                                  lang=Lang.RU, text=OUTDATED[3])  # fmt: skip
        filled += 1
    representative = User.objects.get(username=REPRESENTATIVE)
    rooms = 0
    with_deals = sorted(projects, key=lambda p: not p.deals.filter(is_demo=True).exists())
    for project in with_deals:
        if rooms == 2:
            break
        deals = list(project.deals.filter(is_demo=True).order_by("id")[:1])
        _room(staff, project, deals[0] if deals else None, representative)
        rooms += 1
    progress(
        f"материалы флагманских проектов: новых — {filled}; комнаты данных: {plural(rooms, 'комната', 'комнаты', 'комнат')}"
    )
    return filled
