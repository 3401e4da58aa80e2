from django.apps import AppConfig


class KpisConfig(AppConfig):
    name = "projectoffice.kpis"
    label = "kpis"
    verbose_name = "Показатели (KPI) и отчёты"
