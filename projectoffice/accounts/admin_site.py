"""The admin site and permission backend: office staff (by role) administer everything."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.backends import ModelBackend
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
