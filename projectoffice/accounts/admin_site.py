"""The admin site and permission backend: office staff (by role) administer everything."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib import admin
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.db import models
from django.http import HttpRequest

from projectoffice.accounts.rules import is_staff


class OfficeAdminSite(admin.AdminSite):
    site_header = "Проектный офис цифрового развития"
    site_title = "Администрирование"

    def has_permission(self, request: HttpRequest) -> bool:
        return is_staff(request.user)


class OfficeStaffBackend(ModelBackend):
    """Office staff hold every model permission; everyone else has none beyond their explicit ones."""

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return is_staff(user_obj) or super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return is_staff(user_obj) or super().has_module_perms(user_obj, app_label)


class PasswordChangeForm(AdminPasswordChangeForm):
    """The admin's password form without the switch that disables password sign-in: everyone here signs in with one
    (and Django leaves that switch's warning untranslated)."""

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        self.fields.pop("usable_password", None)
        self.fields["password1"].required = self.fields["password2"].required = True


def _link_str(link: models.Model) -> str:
    return " — ".join(str(getattr(link, f.name)) for f in link._meta.concrete_fields if f.is_relation)


def name_link_rows() -> None:
    """Give the rows Django creates for many-to-many fields Russian names («связь «технологии»: Волга Софт — Python»),
    as the admin's deletion page lists them with what is deleted."""
    for model in apps.get_models():
        if not model.__module__.startswith("projectoffice."):
            continue
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            if isinstance(through, type) and through._meta.auto_created:
                through._meta.verbose_name = f"связь «{field.verbose_name}»"
                through._meta.verbose_name_plural = f"связи «{field.verbose_name}»"
                through.__str__ = _link_str  # type: ignore[method-assign,assignment]
