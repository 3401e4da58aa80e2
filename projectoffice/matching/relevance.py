"""What kind of need a match answers, and the evidence that counts for it.

A project that asks for money is answered first by support measures whose instrument, amount range, TRL range,
stage and audience fit; a tender is an answer only when the lead organisation can deliver what is bought (its
OKVED2 classes, or its products, against the tender's items). Measures for individuals are never offered to an
organisation, nor a status the organisation already holds. Words that every notice and programme uses carry no
evidence. Every component lies in [0, 1] and so does every score: a percentage says how much of what the need asks
for the opportunity meets, whatever its kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from projectoffice.lib import formats
from projectoffice.matching.coding import class_of
from projectoffice.matching.text import lemmas
from projectoffice.opportunities.models import GrantedStatus, Opportunity, OpportunityKind
from projectoffice.organisations.models import Organisation, OrganisationKind
from projectoffice.projects.models import Project
from projectoffice.projects.stages import Stage

# Lemmas that any notice, programme or profile says: sharing them is no evidence of a shared subject.
DOMAIN_STOP_WORDS = frozenset(
    [
        "автоматический",
        "автоматизированный",
        "автоматизация",
        "организация",
        "компания",
        "предприятие",
        "учреждение",
        "система",
        "услуга",
        "поставка",
        "работа",
        "выполнение",
        "оказание",
        "обеспечение",
        "нужда",
        "государственный",
        "муниципальный",
        "закупка",
        "товар",
        "проект",
        "решение",
        "средство",
        "программа",
        "разработка",
        "создание",
        "внедрение",
        "использование",
        "основа",
        "новый",
        "современный",
        "год",
        "рубль",
        "млн",
        "тыс",
        "число",
        "иной",
        "прочий",
        "являться",
        "комплекс",
        "комплексный",
        "нужный",
        "целевой",
        "вид",
        "область",
        "сфера",
        "направление",
        "деятельность",
        "наш",
        "свой",
        "который",
        "также",
        "мочь",
        "быть",
        "весь",
        "этот",
        "такой",
        "ооо",
        "ао",
        "пао",
        "оао",
        "зао",
        "гбу",
        "мбу",
        "фгбу",
        "гку",
    ]
)
NOT_SMALL_BUSINESSES = frozenset(
    {OrganisationKind.UNIVERSITY, OrganisationKind.GOVERNMENT, OrganisationKind.CORPORATION, OrganisationKind.INVESTOR}
)
MONEY_KINDS = frozenset(
    {
        OpportunityKind.GRANT,
        OpportunityKind.SUBSIDY,
        OpportunityKind.LOAN,
        OpportunityKind.COMPETITION,
        OpportunityKind.INVESTOR_CALL,
    }
)
# A tender answers a money-seeking project's need only in part: it is income for work, not funding for the project.
TENDER_SHARE_FOR_FUNDING = 0.6
EARLY_TRL_FOR_LOANS = 4  # a loan is repaid from sales: R&D at TRL 4 or lower is not a loan's project

# What an activity class can supply besides the product class of the same number (OKVED2 → OKPD2 classes).
# A trade activity (OKVED2 45–47) resells goods from stock; see `supply_classes` for why it supplies nothing else.
SUPPLIES: dict[str, frozenset[str]] = {
    "62.01": frozenset({"62.01", "62.02", "62.09"}),
    "62.02": frozenset({"62.01", "62.02", "62.03", "62.09"}),
    "62.03": frozenset({"62.02", "62.03", "63.11"}),
    "62.09": frozenset({"62.02", "62.09", "33.12"}),
    "63.11": frozenset({"62.03", "63.11", "63.12"}),
    "58.29": frozenset({"58.29", "62.01"}),
    "46.51": frozenset({"26.20", "26.80"}),
    "46.52": frozenset({"26.11", "26.12", "26.30", "26.40", "27.31", "27.32"}),
    "46.66": frozenset({"28.23", "26.20"}),
    "47.41": frozenset({"26.20"}),
    "43.21": frozenset({"43.21", "80.20", "26.30"}),
    "80.20": frozenset({"80.20", "26.30", "26.40"}),
    "71.12": frozenset({"71.12", "71.20"}),
    "72.19": frozenset({"72.19", "72.11"}),
    "85.41": frozenset({"85.41", "85.42"}),
    "85.22": frozenset({"85.22", "85.23", "85.41", "85.42", "72.19"}),
}
# A measure for digital solutions (by its title or rules) is no answer to a project that has nothing digital in it.
DIGITAL_MEASURE = re.compile(r"\bИТ\b|ИТ-|цифров\w* (?:решени|технолог|продукт|трансформац)|\bПО\b", re.IGNORECASE)
DIGITAL_WORDS = frozenset(
    [
        "цифровой",
        "цифровизация",
        "программный",
        "приложение",
        "платформа",
        "нейросеть",
        "нейросетевой",
        "алгоритм",
        "данные",
        "сервис",
        "информационный",
        "машинный",
        "искусственный",
        "интеллект",
        "видеоаналитика",
        "геоинформационный",
        "ит",
        "софт",
        "портал",
        "модель",
        "моделирование",
        "онлайн",
        "электронный",
        "компьютерный",
        "виртуальный",
        "облачный",
        "автоматизированный",
        "plm",
        "erp",
        "crm",
        "mes",
        "асу",
    ]
)
DIGITAL_ACTIVITIES = ("58.2", "62", "63.1")
PRODUCT_EVIDENCE_WORDS = 2  # a product's name and a tender's items share at least two meaningful words


def meaningful(words: set[str]) -> set[str]:
    """The words that are evidence of a subject: the domain's common words dropped."""
    return {word for word in words if word not in DOMAIN_STOP_WORDS and not word.isdigit()}


def seeks_money(project: Project | None) -> bool:
    return project is not None and bool(project.requested_support) and project.requested_support > 0


TRADE_ACTIVITIES = ("45.", "46.", "47.")  # OKVED2 section G: wholesale and retail trade
LAST_GOODS_DIVISION = 33  # OKPD2 sections A–C (divisions 01–33) are goods; 35 onwards are works, services and rights


def is_goods_class(klass: str) -> bool:
    return klass[:2].isdigit() and int(klass[:2]) <= LAST_GOODS_DIVISION


def fully_funded(project: Project | None) -> bool:
    """The project asks for no support and its own funds cover its whole budget: money is not what it needs."""
    return (
        project is not None
        and not seeks_money(project)
        and bool(project.budget_total)
        and project.budget_total > 0
        and project.own_funds >= project.budget_total
    )


def supply_classes(organisation_classes: set[str]) -> set[str]:
    """OKPD2 classes the organisation can deliver: each activity's own product class and what it supplies.

    A trade activity delivers only goods (OKPD2 01–33): what a reseller has is stock. Software rights (58.29) and
    services are delivered by the activity that makes them: rights to protection software, for one, come with
    installation and setting up under the buyer's security rules, which a dealer in hardware does not do. So a
    computer dealer (46.51) delivers computers and printers, not licences; a software publisher (58.29) does.
    """
    classes = set(organisation_classes)
    for activity in organisation_classes:
        supplied = SUPPLIES.get(activity, frozenset())
        if activity.startswith(TRADE_ACTIVITIES):
            supplied = frozenset(klass for klass in supplied if is_goods_class(klass))
        classes |= supplied
    return classes


def already_has(opportunity: Opportunity, organisation: Organisation) -> bool:
    """The status the measure confers is one the organisation already holds."""
    if opportunity.grants_status == GrantedStatus.IT_ACCREDITATION:
        return organisation.it_accredited
    if opportunity.grants_status == GrantedStatus.SOFTWARE_REGISTRY:
        return any(product.registry_number for product in organisation.products.all())
    return False


def offered_to(opportunity: Opportunity, organisation: Organisation) -> bool:
    """Whether the opportunity may be offered to the organisation at all: not a measure for individuals, not a
    status it holds, not a measure for small businesses to a university, an authority or a corporation."""
    if opportunity.size_categories and organisation.kind in NOT_SMALL_BUSINESSES:
        return False
    return not opportunity.for_individuals and not already_has(opportunity, organisation)


def is_digital_measure(opportunity: Opportunity) -> bool:
    if opportunity.kind == OpportunityKind.TENDER:
        return False
    return bool(DIGITAL_MEASURE.search(f"{opportunity.title} {opportunity.eligibility_text}"))


def is_digital_need(organisation_classes: set[str], words: set[str]) -> bool:
    """A project (or profile) with something digital in it: an IT activity or digital words in its text."""
    return any(c.startswith(DIGITAL_ACTIVITIES) for c in organisation_classes) or bool(words & DIGITAL_WORDS)


@dataclass(frozen=True)
class Capability:
    """How far the organisation can deliver what a tender buys: share of its items, and the evidence."""

    share: float
    codes: list[str]
    words: list[str]

    @property
    def note(self) -> str:
        if self.codes:
            return "компания может поставить закупаемое: ОКПД2 " + ", ".join(self.codes[:4])
        if self.words:
            return "закупаемое совпадает с продуктами компании: " + ", ".join(self.words[:4])
        return ""


def capability(items: list[tuple[str, str]], deliverable: set[str], product_words: list[set[str]]) -> Capability:
    """Items (OKPD2 code, name) the organisation can deliver by its classes or by one of its products."""
    if not items:
        return Capability(0.0, [], [])
    codes: set[str] = set()
    words: set[str] = set()
    delivered = 0
    for code, name in items:
        item_class = class_of(code)
        if item_class and item_class in deliverable:
            codes.add(item_class)
            delivered += 1
            continue
        item_words = meaningful(set(lemmas(name)))
        shared = max((item_words & product for product in product_words), key=len, default=set())
        if len(shared) >= PRODUCT_EVIDENCE_WORDS:
            words |= shared
            delivered += 1
    return Capability(delivered / len(items), sorted(codes), sorted(words))


def tender_key(opportunity: Opportunity) -> tuple[object, ...]:
    """Identical tenders (the same subject, customer and price under different numbers) share this key."""
    tender = getattr(opportunity, "tender", None)
    if tender is None:
        return ("measure", opportunity.pk)
    subject = tuple(sorted(set(lemmas(opportunity.title))))
    return ("tender", subject, tender.customer_inn or tender.customer_name, tender.max_price)


# --- support measures against the need ----------------------------------------------------------------------


@dataclass(frozen=True)
class Fit:
    value: float
    note: str = ""


def instrument_fit(opportunity: Opportunity, project: Project | None) -> Fit:
    """Money for a project that asks for money; a status or benefit is a lesser answer to that need."""
    if opportunity.kind not in MONEY_KINDS:
        return Fit(0.5 if seeks_money(project) else 0.9)
    if project is None:
        return Fit(0.7)  # an organisation's profile: money is one of its possible needs
    if not seeks_money(project):
        return Fit(0.1)  # the project asks for no money: funding is not its need
    assert project is not None
    if opportunity.kind == OpportunityKind.LOAN and project.trl <= EARLY_TRL_FOR_LOANS:
        return Fit(0.3, "заём возвращается из выручки: для НИОКР ранней стадии обычно не подходит")
    return Fit(1.0, f"{opportunity.get_kind_display().lower()} — проект ищет финансирование")


def amount_fit(opportunity: Opportunity, project: Project | None) -> Fit:
    """The support asked for inside the measure's range; far below its minimum is a programme of another scale."""
    if not seeks_money(project) or not (opportunity.amount_min or opportunity.amount_max):
        return Fit(0.6)
    assert project is not None
    asked = Decimal(project.requested_support)
    if opportunity.amount_min and asked < opportunity.amount_min:
        return Fit(0.0, f"программа для сумм от {formats.millions(opportunity.amount_min)} — проект просит меньше")
    upper = f" до {formats.millions(opportunity.amount_max)}" if opportunity.amount_max else ""
    return Fit(1.0, f"запрошенная сумма в пределах программы{upper}")


def trl_fit(opportunity: Opportunity, project: Project | None) -> Fit:
    if project is None or not (opportunity.trl_min or opportunity.trl_max):
        return Fit(0.6)
    inside = (opportunity.trl_min or 1) <= project.trl <= (opportunity.trl_max or 9)
    return Fit(1.0 if inside else 0.0)


def stage_fit(opportunity: Opportunity, project: Project | None) -> Fit:
    if project is None or not opportunity.project_stages:
        return Fit(0.7)
    if project.stage in opportunity.project_stages:
        return Fit(1.0, f"подходит для стадии «{Stage(project.stage).label}»")
    return Fit(0.3)


def audience_fit(opportunity: Opportunity, organisation: Organisation) -> Fit:
    if not opportunity.audience_kinds:
        return Fit(0.6)
    return Fit(1.0 if organisation.kind in opportunity.audience_kinds else 0.0)


MEASURE_WEIGHTS = {"instrument": 0.25, "amount": 0.2, "trl": 0.15, "stage": 0.05, "audience": 0.1, "topic": 0.25}


def measure_fit(
    opportunity: Opportunity, organisation: Organisation, project: Project | None, topic: float
) -> tuple[float, list[str]]:
    """The weighed fit of a support measure to the need, and the notes worth showing."""
    parts = {
        "instrument": instrument_fit(opportunity, project),
        "amount": amount_fit(opportunity, project),
        "trl": trl_fit(opportunity, project),
        "stage": stage_fit(opportunity, project),
        "audience": audience_fit(opportunity, organisation),
        "topic": Fit(topic),
    }
    value = sum(MEASURE_WEIGHTS[name] * fit.value for name, fit in parts.items())
    return value, [fit.note for fit in parts.values() if fit.note]
