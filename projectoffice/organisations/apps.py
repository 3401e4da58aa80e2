from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "projectoffice.organisations"
    label = "organisations"
    verbose_name = "Реестр организаций"
