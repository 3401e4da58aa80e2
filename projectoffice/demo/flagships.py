"""Demo flagships (issue 17, part A): the 40 funders' channels, funder profiles on four of them, five flagship
projects at different stages — a closed pilot with a large company, a memorandum with an interstate fund, one in
due diligence with an overdue next step, a meeting, and an introduction asked for from the showcase — and the
KPI «Флагманские проекты» with its target. Runs before the materials demo (demo/materials.py), which fills the
teasers and opens data rooms for these deals.

Idempotent: nothing is added when demo flagships exist. The funder profiles' mandates are demo assumptions (marked
as such in their contacts), not statements of the operators."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils import timezone

from projectoffice.accounts.models import User
from projectoffice.flagships import services
from projectoffice.flagships.models import Flagship, FunderProfile
from projectoffice.kpis.models import Indicator, Target
from projectoffice.opportunities.funders import load_funders
from projectoffice.opportunities.models import Opportunity
from projectoffice.projects.models import Project

DEMO_NOTE = "Демо-профиль: мандат составлен для демонстрации, не заявление оператора."
# (channel id, profile name, class, sectors, ticket min/max ₽, stages, TRL, geography, instruments)
PROFILES: list[tuple[str, str, str, str, Any, Any, list[str], tuple[int, int], str, list[str]]] = [
    ("gazprom_neft_skolkovo_pilot_testing", "ПАО «Газпром нефть» — пилоты технологий", "large_company",
     "промышленность\nкомпьютерное зрение\nпромышленная автоматизация", Decimal(5_000_000), Decimal(50_000_000),
     ["packaging", "submitted", "supported"], (5, 8), "Россия", ["pilot", "contract"]),
    ("edb_investment_financing", "Евразийский банк развития", "interstate_fund",
     "сельское хозяйство\nцифровые платформы\nинфраструктура", Decimal(10_000_000), None,
     ["packaging", "submitted"], (6, 9), "страны ЕАЭС", ["loan", "equity"]),
    ("skolkovo_ozp_pilot_grants", "Фонд «Сколково» — гранты на пилотные внедрения", "federal_institute",
     "промышленный интернет вещей\nпромышленность\nпрограммное обеспечение", None, Decimal(700_000_000),
     ["submitted", "supported"], (6, 9), "Россия", ["grant", "pilot"]),
    ("rzd_regional_innovation_centres", "ОАО «РЖД» — региональные центры инноваций", "large_company",
     "транспорт\nэнергетика\nбеспилотники\nкомпьютерное зрение", None, None, ["supported"], (6, 9), "Россия",
     ["pilot"]),
]  # fmt: skip
# (project title, targets, showcase, sector)
FLAGSHIPS = [
    ("Видеоаналитика дефектов на конвейере", ["large_company", "foreign_business"], True, "промышленность"),
    ("Спутниковый мониторинг посевов", ["interstate_fund", "interstate_body"], True, "сельское хозяйство"),
    ("Платформа промышленного IoT для станочного парка", ["federal_institute"], True, "машиностроение"),
    ("Мониторинг ЛЭП беспилотниками", ["large_company"], False, "энергетика"),
    ("Цифровой двойник кабельного производства", ["large_company", "foreign_business"], True, "промышленность"),
]


def _profiles(staff: User) -> dict[str, FunderProfile]:
    out = {}
    for channel_id, name, cls, sectors, low, high, stages, trl, geography, instruments in PROFILES:
        channel = Opportunity.objects.get(external_id=channel_id)
        profile = FunderProfile.objects.filter(channel=channel).first()
        if profile is None:
            profile = services.funder_profile_save(
                actor=staff,
                is_demo=True,
                data={
                    "name": name, "funder_class": cls, "channel": channel, "sectors": sectors, "ticket_min": low,
                    "ticket_max": high, "stages": stages, "trl_min": trl[0], "trl_max": trl[1],
                    "geography": geography, "instruments": instruments, "contacts": DEMO_NOTE,
                },
            )  # fmt: skip
        out[channel_id] = profile
    return out


def _walk(staff: User, deal: Any, steps: list[tuple[str, int, dict[str, Any]]]) -> Any:
    today = timezone.localdate()
    for stage, days_ago, extra in steps:
        deal = services.deal_move(
            actor=staff, deal=deal, to_stage=stage, on=today - dt.timedelta(days=days_ago), **extra
        )
    return deal


def load_flagships(staff: User, progress: Callable[[str], None] = lambda _: None) -> int:
    """Channels, profiles, five flagships and their deals; returns how many flagships were added now."""
    channels = load_funders()
    if Flagship.objects.filter(project__is_demo=True).exists():
        progress(f"каналы инвесторов: новых {channels.created}; демо-флагманы уже загружены")
        return 0
    profiles = _profiles(staff)
    today = timezone.localdate()
    projects = {p.title: p for p in Project.objects.filter(is_demo=True, title__in=[f[0] for f in FLAGSHIPS])}
    for title, targets, showcase, sector in FLAGSHIPS:
        services.flagship_mark(
            actor=staff, project=projects[title],
            data={"target_classes": targets, "showcase": showcase, "sector": sector},
        )  # fmt: skip

    def deal(title: str, profile: str | None, on_days_ago: int, **data: Any) -> Any:
        if profile:
            data["funder"] = profiles[profile]
        return services.deal_create(
            actor=staff, project=projects[title], data=data, on=today - dt.timedelta(days=on_days_ago), is_demo=True
        )

    pilot = deal("Видеоаналитика дефектов на конвейере", "gazprom_neft_skolkovo_pilot_testing", 150,
                 representative_name="Ирина Инвесторова", representative_email="investor@demo.invalid")  # fmt: skip
    _walk(staff, pilot, [
        ("intro_made", 140, {"note": "Знакомство на отраслевой сессии"}),
        ("meeting", 120, {"note": "Демонстрация на опытной установке"}),
        ("due_diligence", 90, {"note": "Технический аудит модели и данных"}),
        ("term_sheet", 60, {"note": "Соглашение о пилоте на двух линиях"}),
        ("closed", 20, {"amount": Decimal(12_000_000), "instrument": "pilot", "note": "Договор на пилот подписан"}),
    ])  # fmt: skip
    memo = deal("Спутниковый мониторинг посевов", "edb_investment_financing", 100,
                representative_name="Ирина Инвесторова", representative_email="investor@demo.invalid",
                next_step="Подготовить финансовую модель для заявки на проектное финансирование",
                next_step_due=today + dt.timedelta(days=14))  # fmt: skip
    _walk(staff, memo, [
        ("intro_made", 90, {}),
        ("meeting", 70, {"note": "Встреча с отраслевой группой банка"}),
        ("term_sheet", 30, {"note": "Подписан меморандум о взаимопонимании"}),
    ])  # fmt: skip
    diligence = deal("Платформа промышленного IoT для станочного парка", "skolkovo_ozp_pilot_grants", 80,
                     next_step="Передать отчёт о пилотах на трёх площадках",
                     next_step_due=today - dt.timedelta(days=3))  # fmt: skip
    _walk(staff, diligence, [("intro_made", 70, {}), ("meeting", 50, {}), ("due_diligence", 25, {})])
    meeting = deal("Мониторинг ЛЭП беспилотниками", "rzd_regional_innovation_centres", 40,
                   next_step="Согласовать участок для облёта", next_step_due=today + dt.timedelta(days=7))  # fmt: skip
    _walk(staff, meeting, [("intro_made", 30, {}), ("meeting", 10, {})])
    declined = deal("Мониторинг ЛЭП беспилотниками", None, 60, funder_name="Демо-корпорация энергетики",
                    funder_class="large_company")  # fmt: skip
    refusal = {"declined_reason": "Нет бюджета на пилоты в этом году (демо)"}
    _walk(staff, declined, [("intro_made", 50, {}), ("declined", 45, refusal)])
    deal("Цифровой двойник кабельного производства", None, 2, funder_name="Demo Engineering Pvt Ltd (демо)",
         funder_class="foreign_business", representative_name="Raj Demo", next_step="Ответить на запрос с витрины",
         next_step_due=today + dt.timedelta(days=1))  # fmt: skip
    indicator, _ = Indicator.objects.get_or_create(
        code="flagships",
        defaults={"name": "Флагманские проекты, подготовленные совместно с наукой и бизнесом", "unit": "pieces",
                  "method": "flagships", "is_public": True, "order": 2},
    )  # fmt: skip
    Target.objects.get_or_create(
        indicator=indicator, year=today.year, quarter=None,
        defaults={"value": Decimal(5), "agreement_number": "36-ДИТ/2026 (демо)",
                  "agreement_date": dt.date(2026, 1, 15)},
    )  # fmt: skip
    progress(f"каналы инвесторов: новых {channels.created}; флагманских проектов: {len(FLAGSHIPS)}, сделок: 6")
    return len(FLAGSHIPS)
