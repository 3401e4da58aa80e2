from django.apps import AppConfig


class FlagshipsConfig(AppConfig):
    name = "projectoffice.flagships"
    verbose_name = "Флагманские проекты и инвесторы"
    label = "flagships"
