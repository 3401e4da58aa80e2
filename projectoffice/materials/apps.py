from django.apps import AppConfig


class MaterialsConfig(AppConfig):
    name = "projectoffice.materials"
    verbose_name = "Материалы проекта и комната данных"
    label = "materials"
