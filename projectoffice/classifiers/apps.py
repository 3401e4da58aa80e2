from django.apps import AppConfig


class ClassifiersConfig(AppConfig):
    name = "projectoffice.classifiers"
    label = "classifiers"
    verbose_name = "Справочники"
