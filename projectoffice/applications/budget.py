"""The budget's rules: the items against the project card's total and the template's and opportunity's limits on
shares and amounts, each a pass or a fail with its message. The readiness score and the budget page both read them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from projectoffice.applications.models import Application
from projectoffice.lib import formats


@dataclass(frozen=True)
class BudgetCheck:
    ok: bool
    message: str


def budget_checks(application: Application) -> list[BudgetCheck]:
    """The budget rules of the template and the opportunity, each with a pass/fail message."""
    items = list(application.budget.all())
    own = sum((i.own_funds for i in items), Decimal(0))
    requested = sum((i.requested for i in items), Decimal(0))
    cofinancing = sum((i.cofinancing for i in items), Decimal(0))
    total = own + requested + cofinancing
    checks = []
    if total <= 0:
        return [BudgetCheck(False, "Бюджет пуст: добавьте статьи расходов.")]
    template, opportunity, project = application.template, application.opportunity, application.project
    if project.budget_total:
        checks.append(
            BudgetCheck(
                total <= project.budget_total,
                f"Статьи бюджета на {formats.money(total)} "
                f"при бюджете проекта {formats.money(project.budget_total)} по карточке"
                + ("." if total <= project.budget_total else ": проверьте, не учтены ли расходы дважды."),
            )
        )
    if template.max_support_share is not None:
        share = requested * 100 / total
        checks.append(
            BudgetCheck(
                share <= template.max_support_share,
                f"Запрашиваемая поддержка {share:.0f} % стоимости проекта "
                f"(допускается не более {template.max_support_share} %).",
            )
        )
    minimum = max(template.min_own_share or 0, opportunity.own_share_min or 0)
    if minimum:
        share = (own + cofinancing) * 100 / total
        checks.append(
            BudgetCheck(
                share >= minimum, f"Собственные средства и софинансирование {share:.0f} % (нужно не менее {minimum} %)."
            )
        )
    if opportunity.amount_max is not None:
        checks.append(
            BudgetCheck(
                requested <= opportunity.amount_max,
                f"Запрошено {formats.money(requested)} при максимуме {formats.money(opportunity.amount_max)}.",
            )
        )
    if opportunity.amount_min is not None and requested:
        checks.append(
            BudgetCheck(
                requested >= opportunity.amount_min,
                f"Запрошено {formats.money(requested)} при минимуме {formats.money(opportunity.amount_min)}.",
            )
        )
    return checks
