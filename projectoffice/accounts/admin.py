"""Admin for users and memberships; role and membership changes go through the audited services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.html import format_html
from knox.models import AuthToken

from projectoffice.accounts import services
from projectoffice.accounts.admin_site import PasswordChangeForm
from projectoffice.accounts.models import ApiToken, Membership, User
from projectoffice.audit.services import audit_record
from projectoffice.lib import formats


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


# Rights follow the role (OfficeStaffBackend), so Django's groups and per-model permissions, whose names are
# stored in English, are neither shown nor editable.
admin.site.unregister(Group)
admin.site.unregister(AuthToken)  # shown below as ApiToken, with Russian names


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Staff see who holds API tokens until when, and may revoke one (delete); tokens are issued by logging in."""

    list_display = ["key_start", "owner", "issued", "valid_until"]
    fields = ("key_start", "owner", "issued", "valid_until")
    readonly_fields = fields
    search_fields = ["token_key", "user__username", "user__last_name"]

    @admin.display(description="начало токена")
    def key_start(self, token: ApiToken) -> str:
        return format_html("<code>{}…</code>", token.token_key[:8])

    @admin.display(description="владелец", ordering="user__last_name")
    def owner(self, token: ApiToken) -> str:
        return formats.person(token.user)

    @admin.display(description="выдан", ordering="created")
    def issued(self, token: ApiToken) -> str:
        return formats.datetime(token.created)

    @admin.display(description="действует до", ordering="expiry")
    def valid_until(self, token: ApiToken) -> str:
        return formats.datetime(token.expiry) or "бессрочно"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: ApiToken) -> None:
        self.delete_queryset(request, ApiToken.objects.filter(pk=obj.pk))

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for token in queryset.select_related("user"):
            audit_record(
                actor=request.user,
                action="accounts.token_revoked",
                instance=token.user,
                message=f"токен {token.token_key[:8]}… отозван через администрирование",
            )
        queryset.delete()


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["login", "last_name", "first_name", "email", "role", "is_active", "is_superuser"]
    list_filter = ["role", "is_active", "is_superuser"]
    fieldsets = (
        (None, {"fields": ["username", "password"]}),
        ("Персональная информация", {"fields": ["last_name", "first_name", "patronymic", "email"]}),
        ("Роль в платформе", {"fields": ["role", "is_active", "is_staff", "is_superuser"]}),
        ("Важные даты", {"fields": ["last_login", "date_joined"]}),
    )
    # Everyone signs in with a password here (no single sign-on), so the «password-based authentication» switch
    # of Django's form is left out.
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
        ("Роль в платформе", {"fields": ["role"]}),
    )
    inlines = [MembershipInline]
    change_password_form = PasswordChangeForm

    @admin.display(description="логин", ordering="username")
    def login(self, user: User) -> str:
        return format_html("<code>{}</code>", user.username)  # an identifier a person types, shown as such

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        """The page names the person, not the login."""
        response = super().user_change_password(request, id, form_url)
        user = self.get_object(request, id)
        if isinstance(response, TemplateResponse) and response.context_data is not None and user is not None:
            response.context_data["title"] = f"Смена пароля: {user.display_name}"
        return response

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
                services.membership_update(
                    actor=request.user,  # type: ignore[arg-type]
                    membership=membership,
                    organisation=membership.organisation,
                    position=membership.position,
                    is_admin=membership.is_admin,
                )
            else:
                services.membership_add(
                    actor=request.user,  # type: ignore[arg-type]
                    user=membership.user,
                    organisation=membership.organisation,
                    position=membership.position,
                    is_admin=membership.is_admin,
                )
