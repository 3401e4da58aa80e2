from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "projectoffice.dashboards"
    label = "dashboards"
