from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "projectoffice.matching"
    label = "matching"
    verbose_name = "Подбор и текстовый движок"
