from __future__ import annotations

from decimal import Decimal

from django.apps import AppConfig
from django.utils import timezone


class KpisConfig(AppConfig):
    name = "projectoffice.kpis"
    label = "kpis"
    verbose_name = "Показатели (KPI) и отчёты"

    def ready(self) -> None:
        # Participation (below kpis) shows a result's progress from an indicator through this hook, never by import.
        from projectoffice.kpis import ledger  # imports models, which are loaded only by now
        from projectoffice.kpis.models import Indicator
        from projectoffice.participation import hooks

        def figures(code: str) -> tuple[Decimal, Decimal] | None:
            indicator = Indicator.objects.filter(code=code).first()
            if indicator is None:
                return None
            row = ledger.dashboard(year=timezone.localdate().year, indicators=[indicator])[0]
            return (row.fact_year, row.target_year) if row.target_year else None

        hooks.connect(figures)
