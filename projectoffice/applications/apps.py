from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "projectoffice.applications"
    label = "applications"
    verbose_name = "Заявки: упаковка проектов"
