from django.apps import AppConfig


class NeedsConfig(AppConfig):
    name = "projectoffice.needs"
    verbose_name = "Потребности предприятий"
    label = "needs"
