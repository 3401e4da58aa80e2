from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "projectoffice.opendata"
    verbose_name = "Открытые данные ФНС"

    def ready(self) -> None:
        from projectoffice.opendata import lookup
        from projectoffice.organisations import completion

        completion.connect(lookup=lookup.find_party_values, enabled=lookup.enabled)
