from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "projectoffice.audit"
    label = "audit"
    verbose_name = "Журнал действий"
