from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "projectoffice.demo"
    label = "demo"
