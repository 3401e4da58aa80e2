"""The office enters regional goals, processes with their phases, debates and the states of official answers here."""

from django import forms
from django.contrib import admin

from projectoffice.audit.admin_mixins import AuditedAdminMixin
from projectoffice.participation.models import (
    Action,
    AnswerState,
    Debate,
    Goal,
    Phase,
    Process,
    Result,
    Survey,
    SurveyQuestion,
)


class PhaseForm(forms.ModelForm):
    actions = forms.MultipleChoiceField(
        label="Что можно делать", choices=Action.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Phase
        fields = ["title", "description", "starts_on", "ends_on", "actions"]


class PhaseInline(admin.TabularInline):
    model = Phase
    form = PhaseForm
    extra = 1


@admin.register(Process)
class ProcessAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "starts_on", "ends_on", "is_published"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["goals"]
    inlines = [PhaseInline]


@admin.register(Goal)
class GoalAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "code"]
    list_filter = ["kind"]


@admin.register(AnswerState)
class AnswerStateAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "is_accepted", "needs_justification", "order"]


@admin.register(Debate)
class DebateAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "process", "created_at"]


@admin.register(Result)
class ResultAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "process", "source", "parent"]
    list_filter = ["process", "source"]
    filter_horizontal = ["proposals", "projects"]


class QuestionInline(admin.StackedInline):
    model = SurveyQuestion
    extra = 1


@admin.register(Survey)
class SurveyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "phase"]
    inlines = [QuestionInline]
