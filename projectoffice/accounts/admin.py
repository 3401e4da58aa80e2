"""Admin for users and memberships; role and membership changes go through the audited services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from projectoffice.accounts import services
from projectoffice.accounts.models import Membership, User
from projectoffice.audit.services import audit_record


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "email", "first_name", "last_name", "role", "is_active", "is_superuser"]
    list_filter = ["role", "is_active", "is_superuser"]
    fieldsets = (*BaseUserAdmin.fieldsets, ("Роль в платформе", {"fields": ["role", "patronymic"]}))  # type: ignore[misc]
    add_fieldsets = (*BaseUserAdmin.add_fieldsets, ("Роль в платформе", {"fields": ["role"]}))
    inlines = [MembershipInline]

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        new_role = obj.role
        if change:
            obj.role = User.objects.get(pk=obj.pk).role
            super().save_model(request, obj, form, change)
            services.user_set_role(actor=request.user, user=obj, role=new_role)  # type: ignore[arg-type]
        else:
            super().save_model(request, obj, form, change)
            audit_record(
                actor=request.user,
                action="accounts.user_created",
                instance=obj,
                changes={"role": {"before": None, "after": obj.role}},
            )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        instances = formset.save(commit=False)
        for membership in formset.deleted_objects:
            services.membership_remove(actor=request.user, membership=membership)  # type: ignore[arg-type]
        for membership in instances:
            if membership.pk:
                membership.save()
            else:
                services.membership_add(
                    actor=request.user,  # type: ignore[arg-type]
                    user=membership.user,
                    organisation=membership.organisation,
                    position=membership.position,
                    is_admin=membership.is_admin,
                )
