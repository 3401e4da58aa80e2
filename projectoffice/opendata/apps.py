from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "projectoffice.opendata"
    verbose_name = "Открытые данные ФНС"
