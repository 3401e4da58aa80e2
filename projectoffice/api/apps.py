from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "projectoffice.api"
    label = "api"
