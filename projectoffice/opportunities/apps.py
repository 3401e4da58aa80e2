from django.apps import AppConfig


class OpportunitiesConfig(AppConfig):
    name = "projectoffice.opportunities"
    label = "opportunities"
    verbose_name = "Возможности: меры поддержки, пилоты, закупки"
