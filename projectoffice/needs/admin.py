"""The office edits the subject taxonomy, the municipalities, partner institutions and their experts (with their
absences) here; every change drops the routing index so that the next routing sees it."""

from typing import Any

from django.contrib import admin

from projectoffice.audit.admin_mixins import AuditedAdminMixin
from projectoffice.needs import routing
from projectoffice.needs.models import Expert, ExpertAbsence, Municipality, PartnerInstitution, Subject, Theme


class RoutingAdmin(AuditedAdminMixin, admin.ModelAdmin):
    def save_related(self, request: Any, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        routing.invalidate()


class SubjectInline(admin.TabularInline):
    model = Subject
    extra = 1
    fields = ["name", "keywords", "active", "order"]


@admin.register(Theme)
class ThemeAdmin(RoutingAdmin):
    list_display = ["name", "order"]
    inlines = [SubjectInline]


@admin.register(Municipality)
class MunicipalityAdmin(RoutingAdmin):
    list_display = ["name", "kind", "oktmo"]
    list_filter = ["kind"]
    search_fields = ["name", "oktmo"]


@admin.register(PartnerInstitution)
class PartnerInstitutionAdmin(RoutingAdmin):
    list_display = ["name", "kind", "is_active"]
    filter_horizontal = ["municipalities", "subjects"]
    raw_id_fields = ["organisation"]


class AbsenceInline(admin.TabularInline):
    model = ExpertAbsence
    extra = 1


@admin.register(Expert)
class ExpertAdmin(RoutingAdmin):
    list_display = ["user", "institution", "max_open_needs", "is_active"]
    list_filter = ["institution", "is_active"]
    filter_horizontal = ["municipalities", "subjects"]
    raw_id_fields = ["user"]
    inlines = [AbsenceInline]
