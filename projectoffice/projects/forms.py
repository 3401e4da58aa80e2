"""Forms of the projects pipeline."""

from __future__ import annotations

from typing import Any

from django import forms

from projectoffice.accounts.models import User
from projectoffice.accounts.rules import is_staff
from projectoffice.classifiers.fields import TagsField
from projectoffice.organisations.models import Organisation
from projectoffice.projects.models import Project
from projectoffice.projects.stages import Stage, allowed_moves


class ProjectForm(forms.ModelForm):
    technologies = TagsField(label="Технологии")
    partner_organisations = forms.ModelMultipleChoiceField(
        label="Партнёры (наука, индустрия, инвесторы)",
        queryset=Organisation.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = Project
        fields = [
            "title", "lead_organisation", "summary", "problem", "solution", "technologies", "trl",
            "budget_total", "own_funds", "requested_support", "starts_on", "ends_on", "team",
        ]  # fmt: skip
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "problem": forms.Textarea(attrs={"rows": 3}),
            "solution": forms.Textarea(attrs={"rows": 3}),
            "team": forms.Textarea(attrs={"rows": 3}),
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not is_staff(user):
            # A member can only lead with their own organisations; another id in the post is "not a valid choice".
            lead = self.fields["lead_organisation"]
            assert isinstance(lead, forms.ModelChoiceField)
            lead.queryset = Organisation.objects.filter(pk__in=user.organisation_ids)
        if self.instance.pk and not self.is_bound:
            self.initial["technologies"] = [t.name for t in self.instance.technologies.all()]
            self.initial["partner_organisations"] = list(self.instance.partners.all())

    def _save_m2m(self) -> None:  # the service sets the many-to-many fields
        pass


class StageMoveForm(forms.Form):
    to_stage = forms.ChoiceField(label="Новая стадия", choices=Stage.choices)
    expected_stage = forms.ChoiceField(choices=Stage.choices, widget=forms.HiddenInput)
    reason = forms.CharField(label="Основание", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        to_stage = self.fields["to_stage"]
        assert isinstance(to_stage, forms.ChoiceField)
        to_stage.choices = [(s.value, s.label) for s in allowed_moves(project.stage)]
        to_stage.error_messages["invalid_choice"] = (
            f"Из стадии «{project.get_stage_display()}» сюда перейти нельзя: обновите страницу и выберите из списка."
        )
        self.initial.setdefault("expected_stage", project.stage)


class StaffNoteForm(forms.Form):
    text = forms.CharField(label="Служебная заметка", widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)


class ProjectFilterForm(forms.Form):
    q = forms.CharField(label="Поиск", required=False)
    stage = forms.ChoiceField(label="Стадия", choices=[("", "Все стадии"), *Stage.choices], required=False)
    trl_min = forms.IntegerField(label="TRL от", min_value=1, max_value=9, required=False)
    trl_max = forms.IntegerField(label="TRL до", min_value=1, max_value=9, required=False)
    tag = forms.CharField(label="Технология", required=False)
