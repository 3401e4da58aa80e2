"""Eligibility: an organisation (and its project) against an opportunity's rules, one Russian reason per rule."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db import models
from django.utils import timezone

from projectoffice.accounts.rules import AnyUser
from projectoffice.lib import formats
from projectoffice.opportunities.models import Opportunity
from projectoffice.organisations.models import Organisation, OrganisationKind
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

    def add(self, rule: str, outcome: Outcome, reason: str, *, detail: str = "") -> None:
        self.checks.append(RuleCheck(rule, outcome, reason, detail))


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


def check_eligibility(
    opportunity: Opportunity,
    organisation: Organisation,
    project: Project | None = None,
    *,
    today: dt.date | None = None,
) -> Eligibility:
    today = today or timezone.localdate()
    result = Eligibility()
    o = opportunity
    if o.closes_on and o.closes_on < today:
        result.add("deadline", Outcome.FAIL, f"приём заявок закрыт {formats.date(o.closes_on)}")
    if o.audience_kinds:
        labels = ", ".join(
            OrganisationKind(kind).label.lower() for kind in o.audience_kinds if kind in OrganisationKind.values
        )
        if organisation.kind in o.audience_kinds:
            result.add(
                "audience", Outcome.PASS, f"тип организации подходит ({organisation.get_kind_display().lower()})"
            )
        else:
            result.add(
                "audience",
                Outcome.FAIL,
                f"программа для: {labels}; ваша организация — {organisation.get_kind_display().lower()}",
            )
    if not o.is_federal and o.region_id:
        if organisation.region_id == o.region_id:
            result.add("region", Outcome.PASS, f"мера действует в регионе компании ({o.region})")
        else:
            result.add("region", Outcome.FAIL, f"мера действует только в регионе «{o.region}»")
    if o.max_company_age_years is not None:
        if organisation.founded_on is None:
            result.add("age", Outcome.UNKNOWN, "нет даты регистрации — укажите её в профиле")
        else:
            age = _years_between(organisation.founded_on, today)
            allowed = at_most_years(o.max_company_age_years)
            if age > o.max_company_age_years:
                result.add(
                    "age",
                    Outcome.FAIL,
                    f"компания зарегистрирована {plural(age, YEARS)} назад, программа допускает не более {allowed}",
                )
            else:
                result.add("age", Outcome.PASS, f"компании {plural(age, YEARS)}, допускается не более {allowed}")
    latest = organisation.latest_figures
    if o.max_revenue is not None:
        if latest is None or latest.revenue is None:
            result.add("revenue", Outcome.UNKNOWN, "нет данных о выручке — укажите её в профиле")
        elif (revenue := latest.revenue) > o.max_revenue:
            result.add(
                "revenue",
                Outcome.FAIL,
                "данные о выручке есть: больше допустимой",
                detail=f"выручка {_money(revenue)} за {latest.year} г. больше допустимых {_money(o.max_revenue)}",
            )
        else:
            result.add(
                "revenue",
                Outcome.PASS,
                "данные о выручке есть: в пределах допустимой",
                detail=f"выручка {_money(revenue)} — в пределах {_money(o.max_revenue)}",
            )
    if o.max_headcount is not None:
        headcount = latest.headcount if latest else None
        if headcount is None:
            result.add("headcount", Outcome.UNKNOWN, "нет данных о численности — укажите её в профиле")
        elif headcount > o.max_headcount:
            result.add(
                "headcount",
                Outcome.FAIL,
                "данные о численности есть: больше допустимой",
                detail=f"численность {headcount} чел. больше допустимых {o.max_headcount}",
            )
        else:
            result.add(
                "headcount",
                Outcome.PASS,
                "данные о численности есть: в пределах допустимой",
                detail=f"численность {headcount} чел. — в пределах {o.max_headcount}",
            )
    if o.size_categories:
        allowed_sizes = ", ".join(SizeCategory(c).label.lower() for c in o.size_categories if c in SizeCategory.values)
        if not organisation.size_category:
            result.add("size", Outcome.UNKNOWN, "категория МСП неизвестна — внесите выручку и численность в профиль")
        elif organisation.size_category in o.size_categories:
            result.add("size", Outcome.PASS, f"категория подходит: {organisation.get_size_category_display().lower()}")
        else:
            result.add(
                "size",
                Outcome.FAIL,
                f"программа для: {allowed_sizes}; ваша категория — {organisation.get_size_category_display().lower()}",
            )
    if o.it_accreditation_required:
        if organisation.it_accredited:
            result.add("accreditation", Outcome.PASS, "компания аккредитована как ИТ-организация")
        else:
            result.add("accreditation", Outcome.FAIL, "нужна аккредитация ИТ-компании — в профиле её нет")
    if o.registered_software_required:
        registered = [p for p in organisation.products.all() if p.registry_number]
        if registered:
            result.add(
                "software",
                Outcome.PASS,
                f"продукт «{registered[0].name}» в реестре российского ПО (№ {registered[0].registry_number})",
            )
        else:
            result.add("software", Outcome.FAIL, "нужен продукт в реестре российского ПО — в профиле такого нет")
    if o.okved_prefixes:
        codes = [c.code for c in organisation.extra_okveds.all()]
        if organisation.main_okved_id:
            codes.insert(0, organisation.main_okved.code)  # type: ignore[union-attr]
        matched = [code for code in codes if any(code.startswith(prefix) for prefix in o.okved_prefixes)]
        if not codes:
            result.add("okved", Outcome.UNKNOWN, "коды ОКВЭД2 не указаны — добавьте их в профиль")
        elif matched:
            result.add("okved", Outcome.PASS, f"вид деятельности подходит: ОКВЭД2 {matched[0]}")
        else:
            result.add(
                "okved",
                Outcome.FAIL,
                f"нужен ОКВЭД2 из групп {', '.join(o.okved_prefixes[:6])}; у компании — {', '.join(codes[:4])}",
            )
    if project is not None:
        _check_project(result, o, project)
    return result


def _check_project(result: Eligibility, o: Opportunity, project: Project) -> None:
    if o.trl_min or o.trl_max:
        low, high = o.trl_min or 1, o.trl_max or 9
        if low <= project.trl <= high:
            result.add("trl", Outcome.PASS, f"TRL проекта {project.trl} — в диапазоне программы {low}–{high}")
        else:
            result.add("trl", Outcome.FAIL, f"TRL проекта {project.trl}, программа рассчитана на {low}–{high}")
    if o.own_share_min is not None:
        if not project.budget_total:
            result.add(
                "own_share", Outcome.UNKNOWN, "бюджет проекта не указан — нельзя проверить долю собственных средств"
            )
        else:
            share = Decimal(project.own_funds) * 100 / Decimal(project.budget_total)
            if share + Decimal("0.0001") < o.own_share_min:
                result.add(
                    "own_share",
                    Outcome.FAIL,
                    f"собственные средства {share:.0f} % бюджета, требуется не менее {o.own_share_min} %",
                )
            else:
                result.add(
                    "own_share",
                    Outcome.PASS,
                    f"собственные средства {share:.0f} % бюджета (нужно ≥ {o.own_share_min} %)",
                )
    if o.amount_max and Decimal(project.requested_support) > o.amount_max:
        result.add(
            "amount",
            Outcome.FAIL,
            f"запрошено {_money(project.requested_support)}, а программа даёт не более {_money(o.amount_max)}",
        )
