"""Eligibility: an organisation (and its project) against an opportunity's rules, one Russian reason per rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cached_property

from django.db import models
from django.utils import timezone

from projectoffice.accounts.rules import AnyUser
from projectoffice.lib import formats
from projectoffice.opendata.selectors import latest_income
from projectoffice.opportunities.models import Opportunity, OpportunityKind
from projectoffice.organisations.models import Organisation, OrganisationFigures, OrganisationKind
from projectoffice.organisations.rules import can_view_private
from projectoffice.organisations.sizes import SizeCategory
from projectoffice.projects.models import Project


class Verdict(models.TextChoices):
    ELIGIBLE = "eligible", "подходит"
    NOT_ELIGIBLE = "not_eligible", "не подходит"
    UNKNOWN = "unknown", "не хватает данных"


class Outcome(models.TextChoices):
    PASS = "pass", "выполнено"
    FAIL = "fail", "не выполнено"
    UNKNOWN = "unknown", "нет данных"


@dataclass(frozen=True)
class RuleCheck:
    """One rule's outcome. `reason` is safe for anyone who may see the organisation's public profile;
    `detail`, when set, is the same reason with private figures (revenue, headcount) in it."""

    rule: str
    outcome: Outcome
    reason: str
    detail: str = ""


@dataclass
class Eligibility:
    checks: list[RuleCheck] = field(default_factory=list)

    def with_private_figures(self) -> Eligibility:
        """The reasons with the figures in them, for those who may see the organisation's figures."""
        return Eligibility([replace(c, reason=c.detail or c.reason, detail="") for c in self.checks])

    @property
    def verdict(self) -> Verdict:
        outcomes = {check.outcome for check in self.checks}
        if Outcome.FAIL in outcomes:
            return Verdict.NOT_ELIGIBLE
        if Outcome.UNKNOWN in outcomes:
            return Verdict.UNKNOWN
        return Verdict.ELIGIBLE


def plural(n: int, forms: tuple[str, str, str]) -> str:
    """Russian plural: plural(2, ("год", "года", "лет")) == "2 года"."""
    n_abs = abs(n)
    if n_abs % 10 == 1 and n_abs % 100 != 11:
        form = forms[0]
    elif 2 <= n_abs % 10 <= 4 and not 12 <= n_abs % 100 <= 14:
        form = forms[1]
    else:
        form = forms[2]
    return f"{n} {form}"


YEARS = ("год", "года", "лет")


def at_most_years(n: int) -> str:
    """ "не более 1 года", "не более 2 лет", "не более 21 года" (genitive after «не более»)."""
    return f"{n} {'года' if n % 10 == 1 and n % 100 != 11 else 'лет'}"


def _money(value: Decimal) -> str:
    return formats.millions(value)


def _years_between(start: dt.date, end: dt.date) -> int:
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def eligibility_seen_by(user: AnyUser, organisation: Organisation, eligibility: Eligibility) -> Eligibility:
    """The reasons as this user may read them: figures only for those who may see the organisation's figures."""
    return eligibility.with_private_figures() if can_view_private(user, organisation) else eligibility


@dataclass
class Applicant:
    """What the rules look at: the organisation on the day of the check, its latest figures read once."""

    organisation: Organisation
    today: dt.date

    @cached_property
    def figures(self) -> OrganisationFigures | None:
        return self.organisation.latest_figures


OrganisationRule = Callable[[Opportunity, Applicant], RuleCheck | None]
ProjectRule = Callable[[Opportunity, Project], RuleCheck | None]


def check_eligibility(
    opportunity: Opportunity,
    organisation: Organisation,
    project: Project | None = None,
    *,
    today: dt.date | None = None,
) -> Eligibility:
    """Every rule of the opportunity, in the order of RULES (and PROJECT_RULES when a project is given)."""
    applicant = Applicant(organisation, today or timezone.localdate())
    checks = [rule(opportunity, applicant) for rule in RULES]
    if project is not None:
        checks += [rule(opportunity, project) for rule in PROJECT_RULES]
    return Eligibility([check for check in checks if check is not None])


def _by_outcome(rule: str, passed: bool, passes: str, fails: str) -> RuleCheck:
    return RuleCheck(rule, Outcome.PASS, passes) if passed else RuleCheck(rule, Outcome.FAIL, fails)


# --- rules about the organisation ----------------------------------------------------------------------------


def deadline_rule(o: Opportunity, applicant: Applicant) -> RuleCheck | None:
    """Applications are no longer taken after the closing day (only a failure is worth saying)."""
    if o.closes_on and o.closes_on < applicant.today:
        return RuleCheck("deadline", Outcome.FAIL, f"приём заявок закрыт {formats.date(o.closes_on)}")
    return None


def audience_rule(o: Opportunity, applicant: Applicant) -> RuleCheck | None:
    """The measure is for some kinds of organisation only."""
    if not o.audience_kinds:
        return None
    kind = applicant.organisation.get_kind_display().lower()
    labels = ", ".join(
        OrganisationKind(value).label.lower() for value in o.audience_kinds if value in OrganisationKind.values
    )
    return _by_outcome(
        "audience",
        applicant.organisation.kind in o.audience_kinds,
        f"тип организации подходит ({kind})",
        f"программа для: {labels}; ваша организация — {kind}",
    )


def region_rule(o: Opportunity, applicant: Applicant) -> RuleCheck | None:
    """A regional measure is for organisations of its region."""
    if o.is_federal or not o.region_id:
        return None
    return _by_outcome(
        "region",
        applicant.organisation.region_id == o.region_id,
        f"мера действует в регионе компании ({o.region})",
        f"мера действует только в регионе «{o.region}»",
    )


def age_rule(o: Opportunity, applicant: Applicant) -> RuleCheck | None:
    """The company is at most so many years old on the day of the check."""
    if o.max_company_age_years is None:
        return None
    founded_on = applicant.organisation.founded_on
    if founded_on is None:
        return RuleCheck("age", Outcome.UNKNOWN, "нет даты регистрации — укажите её в профиле")
    age = _years_between(founded_on, applicant.today)
    allowed = at_most_years(o.max_company_age_years)
    return _by_outcome(
        "age",
        age <= o.max_company_age_years,
        f"компании {plural(age, YEARS)}, допускается не более {allowed}",
        f"компания зарегистрирована {plural(age, YEARS)} назад, программа допускает не более {allowed}",
    )


def revenue_rule(o: Opportunity, applicant: Applicant) -> RuleCheck | None:
    """The latest year's revenue is at most the ceiling; the figure itself is private. The reason says which figure
    it used and from where: the profile's revenue, else the FNS open data's income (income is not revenue, but
    revenue is never above it, so income within the ceiling shows revenue is too)."""
    if o.max_revenue is None:
        return None
    latest = applicant.figures
    if latest is None or latest.revenue is None:
        return _income_instead(o.max_revenue, applicant)
    revenue = latest.revenue
    source = f"за {latest.year} г., источник: профиль организации"
    if revenue > o.max_revenue:
        return RuleCheck(
            "revenue",
            Outcome.FAIL,
            "данные о выручке есть: больше допустимой",
            detail=f"выручка {_money(revenue)} за {latest.year} г. больше допустимых {_money(o.max_revenue)} "
            f"(источник: профиль организации)",
        )
    return RuleCheck(
        "revenue",
        Outcome.PASS,
        "данные о выручке есть: в пределах допустимой",
        detail=f"выручка {_money(revenue)} — в пределах {_money(o.max_revenue)} ({source})",
    )


def _income_instead(ceiling: Decimal, applicant: Applicant) -> RuleCheck:
    income = latest_income(applicant.organisation.inn)
    if income is None or income.value > ceiling:
        return RuleCheck("revenue", Outcome.UNKNOWN, "нет данных о выручке — укажите её в профиле")
    return RuleCheck(
        "revenue",
        Outcome.PASS,
        "выручки в профиле нет; по доходам из открытых данных ФНС — в пределах допустимой",
        detail=f"выручки в профиле нет; доходы за {income.year} г. — {_money(income.value)} ({income.source}) — "
        f"не больше допустимых {_money(ceiling)}, а выручка не больше доходов",
    )


def headcount_rule(o: Opportunity, applicant: Applicant) -> RuleCheck | None:
    """The latest year's headcount is at most the ceiling; the figure itself is private."""
    if o.max_headcount is None:
        return None
    headcount = applicant.figures.headcount if applicant.figures else None
    if headcount is None:
        return RuleCheck("headcount", Outcome.UNKNOWN, "нет данных о численности — укажите её в профиле")
    if headcount > o.max_headcount:
        return RuleCheck(
            "headcount",
            Outcome.FAIL,
            "данные о численности есть: больше допустимой",
            detail=f"численность {headcount} чел. больше допустимых {o.max_headcount}",
        )
    return RuleCheck(
        "headcount",
        Outcome.PASS,
        "данные о численности есть: в пределах допустимой",
        detail=f"численность {headcount} чел. — в пределах {o.max_headcount}",
    )


def size_rule(o: Opportunity, applicant: Applicant) -> RuleCheck | None:
    """The SME category (from revenue and headcount) is one the measure is for."""
    if not o.size_categories:
        return None
    organisation = applicant.organisation
    if not organisation.size_category:
        return RuleCheck("size", Outcome.UNKNOWN, "категория МСП неизвестна — внесите выручку и численность в профиль")
    allowed = ", ".join(SizeCategory(c).label.lower() for c in o.size_categories if c in SizeCategory.values)
    category = organisation.get_size_category_display().lower()
    return _by_outcome(
        "size",
        organisation.size_category in o.size_categories,
        f"категория подходит: {category}",
        f"программа для: {allowed}; ваша категория — {category}",
    )


def accreditation_rule(o: Opportunity, applicant: Applicant) -> RuleCheck | None:
    """The measure is for accredited IT companies."""
    if not o.it_accreditation_required:
        return None
    return _by_outcome(
        "accreditation",
        applicant.organisation.it_accredited,
        "компания аккредитована как ИТ-организация",
        "нужна аккредитация ИТ-компании — в профиле её нет",
    )


def software_rule(o: Opportunity, applicant: Applicant) -> RuleCheck | None:
    """The measure needs a product in the register of Russian software."""
    if not o.registered_software_required:
        return None
    registered = [p for p in applicant.organisation.products.all() if p.registry_number]
    if not registered:
        return RuleCheck("software", Outcome.FAIL, "нужен продукт в реестре российского ПО — в профиле такого нет")
    product = registered[0]
    return RuleCheck(
        "software", Outcome.PASS, f"продукт «{product.name}» в реестре российского ПО (№ {product.registry_number})"
    )


def okved_rule(o: Opportunity, applicant: Applicant) -> RuleCheck | None:
    """One of the organisation's OKVED2 codes (the main one first) falls in the measure's groups."""
    if not o.okved_prefixes:
        return None
    organisation = applicant.organisation
    codes = [c.code for c in organisation.extra_okveds.all()]
    if organisation.main_okved_id:
        codes.insert(0, organisation.main_okved.code)  # type: ignore[union-attr]
    if not codes:
        return RuleCheck("okved", Outcome.UNKNOWN, "коды ОКВЭД2 не указаны — добавьте их в профиль")
    matched = [code for code in codes if code.startswith(tuple(o.okved_prefixes))]
    if matched:
        return RuleCheck("okved", Outcome.PASS, f"вид деятельности подходит: ОКВЭД2 {matched[0]}")
    return RuleCheck(
        "okved",
        Outcome.FAIL,
        f"нужен ОКВЭД2 из групп {', '.join(o.okved_prefixes[:6])}; у компании — {', '.join(codes[:4])}",
    )


# --- rules about the project ---------------------------------------------------------------------------------


def trl_rule(o: Opportunity, project: Project) -> RuleCheck | None:
    """The project's technology readiness level lies in the measure's range (an open end counts as 1 or 9)."""
    if not (o.trl_min or o.trl_max):
        return None
    low, high = o.trl_min or 1, o.trl_max or 9
    return _by_outcome(
        "trl",
        low <= project.trl <= high,
        f"TRL проекта {project.trl} — в диапазоне программы {low}–{high}",
        f"TRL проекта {project.trl}, программа рассчитана на {low}–{high}",
    )


def own_share_rule(o: Opportunity, project: Project) -> RuleCheck | None:
    """The project's own funds are at least the measure's share of its budget."""
    if o.own_share_min is None:
        return None
    if not project.budget_total:
        return RuleCheck(
            "own_share", Outcome.UNKNOWN, "бюджет проекта не указан — нельзя проверить долю собственных средств"
        )
    share = Decimal(project.own_funds) * 100 / Decimal(project.budget_total)
    return _by_outcome(
        "own_share",
        share + Decimal("0.0001") >= o.own_share_min,
        f"собственные средства {share:.0f} % бюджета (нужно ≥ {o.own_share_min} %)",
        f"собственные средства {share:.0f} % бюджета, требуется не менее {o.own_share_min} %",
    )


def amount_rule(o: Opportunity, project: Project) -> RuleCheck | None:
    """The support asked for is at most what the measure gives (only a failure is worth saying).

    A tender's price is what the customer pays for the work, not support: it is no bound on the project's ask."""
    if o.kind == OpportunityKind.TENDER:
        return None
    if o.amount_max and Decimal(project.requested_support) > o.amount_max:
        return RuleCheck(
            "amount",
            Outcome.FAIL,
            f"запрошено {_money(project.requested_support)}, а программа даёт не более {_money(o.amount_max)}",
        )
    return None


RULES: tuple[OrganisationRule, ...] = (
    deadline_rule,
    audience_rule,
    region_rule,
    age_rule,
    revenue_rule,
    headcount_rule,
    size_rule,
    accreditation_rule,
    software_rule,
    okved_rule,
)
PROJECT_RULES: tuple[ProjectRule, ...] = (trl_rule, own_share_rule, amount_rule)
