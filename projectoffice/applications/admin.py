"""Staff build and edit application templates here: sections, criteria with weights and scales, documents."""

from django.contrib import admin

from projectoffice.applications.models import (
    Application,
    ApplicationTemplate,
    Criterion,
    RequiredDocument,
    TemplateSection,
)
from projectoffice.audit.admin_mixins import AuditedAdminMixin


class SectionInline(admin.TabularInline):
    model = TemplateSection
    extra = 1


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 1


class DocumentInline(admin.TabularInline):
    model = RequiredDocument
    extra = 1


@admin.register(ApplicationTemplate)
class ApplicationTemplateAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "provider_name", "opportunity", "max_support_share", "min_own_share", "is_builtin"]
    search_fields = ["name", "provider_name"]
    autocomplete_fields = ["opportunity"]
    inlines = [SectionInline, CriterionInline, DocumentInline]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Read-mostly: applications are worked on in the builder, which keeps versions and the audit trail."""

    list_display = ["project", "opportunity", "status", "readiness", "deadline", "submitted_on"]
    list_filter = ["status"]
    search_fields = ["project__title", "opportunity__title"]
    readonly_fields = [f.name for f in Application._meta.fields]
