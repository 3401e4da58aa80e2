from django.contrib import admin

from projectoffice.audit.admin_mixins import AuditedAdminMixin
from projectoffice.kpis.models import Indicator, KpiLink, Target


class TargetInline(admin.TabularInline):
    model = Target
    extra = 1


@admin.register(Indicator)
class IndicatorAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "unit", "method", "is_public"]
    inlines = [TargetInline]


@admin.register(KpiLink)
class KpiLinkAdmin(admin.ModelAdmin):
    """Tag a project, an application or an event to the indicator it serves."""

    list_display = ["indicator", "content_type", "object_id"]
