from axes.apps import AppConfig as AxesConfig
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    default = True
    name = "projectoffice.accounts"
    label = "accounts"
    verbose_name = "Пользователи и роли"


class OfficeAdminConfig(admin_apps.AdminConfig):
    """Django's admin with a site that admits office staff by role."""

    default = False

    default_site = "projectoffice.accounts.admin_site.OfficeAdminSite"

    def ready(self) -> None:
        super().ready()
        from projectoffice.accounts.admin_site import name_link_rows  # needs the models, loaded by now

        name_link_rows()


class ApiTokensConfig(AppConfig):
    """django-rest-knox (API tokens) under a Russian name in the admin."""

    name = "knox"
    verbose_name = "Токены API"


class LoginAttemptsConfig(AxesConfig):
    """django-axes (login lockout) under a Russian name in the admin."""

    verbose_name = "Попытки входа"
