from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from projectoffice.accounts.models import Role, User
from projectoffice.applications.models import ApplicationStatus, BudgetItem
from projectoffice.lib.bounds import MONEY_MAX

# <input type=date> takes the value as yyyy-mm-dd whatever the language of the page.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SectionForm(forms.Form):
    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 8}))
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class CommentForm(forms.Form):
    text = forms.CharField(label="Комментарий", max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class BudgetItemForm(forms.ModelForm):
    class Meta:
        model = BudgetItem
        fields = ["name", "own_funds", "requested", "cofinancing", "cofinancing_partner"]


class AttachmentForm(forms.Form):
    file = forms.FileField(label="Файл")


class ExpertChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name} ({obj.email})" if obj.email else obj.display_name


class AssignExpertForm(forms.Form):
    expert = ExpertChoiceField(label="Эксперт", queryset=User.objects.filter(role=Role.EXPERT, is_active=True))


class SubmitForm(forms.Form):
    submitted_on = forms.DateField(label="Дата подачи", widget=DATE_INPUT)
    number = forms.CharField(label="Номер заявки у организатора", max_length=100, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("submitted_on", timezone.localdate().isoformat())


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Итог",
        choices=[
            (s.value, s.label)
            for s in (ApplicationStatus.SUPPORTED, ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN)
        ],
    )
    decided_on = forms.DateField(label="Дата решения", widget=DATE_INPUT)
    awarded = forms.DecimalField(
        label="Сумма поддержки, руб.", required=False, min_value=0, max_value=MONEY_MAX, decimal_places=2
    )
    cofinancing = forms.DecimalField(
        label="Привлечённое софинансирование, руб.", required=False, min_value=0, max_value=MONEY_MAX, decimal_places=2
    )
    feedback = forms.CharField(label="Отзыв организатора", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReminderForm(forms.Form):
    days = forms.CharField(label="Напоминать за (дней, через запятую)", required=False, max_length=50)

    def clean_days(self) -> list[int]:
        """The typed numbers, each once; which of them are allowed is the service's rule (reminder_days_set)."""
        raw = self.cleaned_data.get("days") or ""
        try:
            return sorted({int(part) for part in raw.replace(";", ",").split(",") if part.strip()}, reverse=True)
        except ValueError:
            raise forms.ValidationError("Только числа через запятую, например: 7, 1") from None
