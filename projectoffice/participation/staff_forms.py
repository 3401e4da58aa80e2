"""Forms of the office's pages for a process's phases, surveys with their questions, and results (besides the admin).
The services (services.staff_save) check the role and the model's rules again and audit each change."""

from __future__ import annotations

from typing import Any

from django import forms

from projectoffice.participation.models import (
    Action,
    Phase,
    Process,
    Proposal,
    QuestionKind,
    Result,
    Survey,
    SurveyQuestion,
)


class _Lines(forms.CharField):
    """A list of short texts, one per line (survey choices, matrix rows)."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value)
        return [line.strip()[:200] for line in str(text).splitlines() if line.strip()][:50]


class PhaseForm(forms.ModelForm):
    actions = forms.MultipleChoiceField(
        label="Что можно делать", choices=Action.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Phase
        fields = ["title", "description", "starts_on", "ends_on", "actions"]
        widgets = {"starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "description": forms.Textarea(attrs={"rows": 3})}  # fmt: skip

    def __init__(self, *args: Any, process: Process, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.process = process
        self.instance.process = process

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end:
            if end < start:
                # A field error: the form then leaves ends_on out of the model's constraint check (phase_dates),
                # so its message is not shown a second time.
                self.add_error("ends_on", "Этап заканчивается раньше, чем начинается.")
            elif start < self.process.starts_on or end > self.process.ends_on:
                raise forms.ValidationError("Этап должен укладываться в сроки процесса.")
        return data


class SurveyForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["phase", "title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, process: Process, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = process.phases.all()  # type: ignore[attr-defined]


class QuestionForm(forms.ModelForm):
    choices = _Lines(label="Варианты ответа (или столбцы матрицы), по одному в строке", required=False)
    rows = _Lines(label="Строки матрицы, по одной в строке", required=False)

    class Meta:
        model = SurveyQuestion
        fields = ["kind", "text", "choices", "rows", "scale_max", "required", "order"]

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.survey = survey

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if (
            kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.MATRIX)
            and len(data.get("choices") or []) < 2
        ):
            self.add_error("choices", "Нужно хотя бы два варианта.")
        if kind == QuestionKind.MATRIX and not data.get("rows"):
            self.add_error("rows", "Матрице нужна хотя бы одна строка.")
        return data


class ResultForm(forms.ModelForm):
    class Meta:
        model = Result
        fields = ["parent", "title", "description", "proposals", "indicator_code", "source", "manual_progress",
                  "evidence", "order"]  # fmt: skip
        widgets = {"proposals": forms.CheckboxSelectMultiple, "description": forms.Textarea(attrs={"rows": 3}),
                   "evidence": forms.Textarea(attrs={"rows": 3})}  # fmt: skip

    def __init__(self, *args: Any, process: Process, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.process = process
        parents = Result.objects.filter(process=process, parent__isnull=True)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]
        self.fields["proposals"].queryset = (  # type: ignore[attr-defined]
            Proposal.objects.shown().filter(process=process, status="published").order_by("title")
        )
        self.fields["proposals"].required = False
