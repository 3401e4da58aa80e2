from django.contrib import admin

from projectoffice.audit.admin_mixins import AuditedAdminMixin
from projectoffice.projects.models import Project, ProjectPartner, StaffNote, StageMove


class PartnerInline(admin.TabularInline):
    model = ProjectPartner
    extra = 0
    autocomplete_fields = ["organisation"]


class StageMoveInline(admin.TabularInline):
    model = StageMove
    extra = 0
    can_delete = False
    readonly_fields = ["from_stage", "to_stage", "actor", "reason", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Project)
class ProjectAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Stage moves are made on the project page (they need a reason); here the stage is read-only."""

    list_display = ["title", "lead_organisation", "stage", "trl", "updated_at"]
    list_filter = ["stage", "trl", "is_demo"]
    search_fields = ["title", "search_text"]
    autocomplete_fields = ["lead_organisation", "technologies"]
    readonly_fields = ["stage", "stage_changed_at"]
    inlines = [PartnerInline, StageMoveInline]


@admin.register(StaffNote)
class StaffNoteAdmin(admin.ModelAdmin):
    list_display = ["project", "author", "created_at"]
