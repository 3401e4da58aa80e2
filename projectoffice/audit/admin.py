from typing import Any

from django.apps import apps
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from projectoffice.audit.models import AuditEvent


class ActionFilter(admin.SimpleListFilter):
    """The recorded actions by their Russian names («Организации: создание»), not their dotted codes."""

    title = "действие"
    parameter_name = "action"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        actions = AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct()
        return [(action, _action_name(action)) for action in actions]

    def queryset(self, request: HttpRequest, queryset: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        return queryset.filter(action=self.value()) if self.value() else queryset


def _action_name(action: str) -> str:
    app_label = action.split(".", 1)[0]
    app = apps.get_app_config(app_label).verbose_name if app_label in apps.app_configs else app_label
    return f"{app}: {AuditEvent(action=action).action_label}"


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action_label", "object_repr", "actor"]
    list_filter = [ActionFilter, ("content_type", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["object_repr", "message"]
    fields = ("created_at", "actor", "action_label", "content_type", "object_repr", "changes_table", "message")
    readonly_fields = fields

    @admin.display(description="действие")
    def action_label(self, event: AuditEvent) -> str:
        return event.action_label

    @admin.display(description="изменения")
    def changes_table(self, event: AuditEvent) -> str:
        rows = event.change_rows()
        if not rows:
            return "—"
        return format_html_join(
            mark_safe("<br>"), "{}: {} → {}", ((label, before or "—", after or "—") for label, before, after in rows)
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
