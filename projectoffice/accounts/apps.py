from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "projectoffice.accounts"
    label = "accounts"
    verbose_name = "Пользователи и роли"
