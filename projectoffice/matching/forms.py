from __future__ import annotations

from typing import Any

from django import forms

from projectoffice.accounts.models import User
from projectoffice.accounts.rules import is_staff
from projectoffice.matching.models import Subscription
from projectoffice.opportunities.models import OpportunityKind
from projectoffice.organisations.models import Organisation


class SubscriptionForm(forms.ModelForm):
    kinds = forms.MultipleChoiceField(
        label="Виды возможностей (пусто — все)",
        choices=OpportunityKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Subscription
        fields = ["organisation", "query", "kinds", "email"]
        labels = {"organisation": "По профилю организации", "query": "Или по сохранённому поиску"}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            Organisation.objects.all() if is_staff(user) else Organisation.objects.filter(pk__in=user.organisation_ids)
        )
        field.required = False
        self.initial.setdefault("email", user.email)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("organisation") and not (data.get("query") or "").strip():
            raise forms.ValidationError("Выберите организацию или задайте поисковый запрос.")
        return data
