from typing import Any

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest

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

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "content_type":  # only what can serve an indicator, not every table of the platform
            kwargs["queryset"] = ContentType.objects.filter(
                app_label__in=["projects", "applications", "events"], model__in=["project", "application", "event"]
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
