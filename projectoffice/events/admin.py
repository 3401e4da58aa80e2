from django.contrib import admin

from projectoffice.audit.admin_mixins import AuditedAdminMixin
from projectoffice.events.models import Event, Question, Session, Speaker


class SessionInline(admin.TabularInline):
    model = Session
    extra = 1
    filter_horizontal = ["speakers"]


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


@admin.register(Event)
class EventAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "capacity", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["partners"]
    inlines = [SessionInline, QuestionInline]


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    search_fields = ["full_name", "organisation_name"]
