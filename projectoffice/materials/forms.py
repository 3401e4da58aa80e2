from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.apps import apps
from django.utils import timezone


class SectionForm(forms.Form):
    text = forms.CharField(label="Текст", required=False, widget=forms.Textarea(attrs={"rows": 6}))
    translates_version = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)


class InvitationForm(forms.Form):
    deal: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label="Сделка", queryset=None, required=False,
                                  help_text="Переговоры с инвестором, ради которых открывается доступ")  # fmt: skip
    email = forms.EmailField(label="Эл. почта представителя инвестора", required=False,
                             help_text="Если пусто — адрес представителя из сделки")  # fmt: skip
    expires_on = forms.DateField(label="Действует до (включительно)", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, project: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The deals are the flagship portfolio's (a higher app): looked up by name, so materials imports nothing of it.
        deals = apps.get_model("flagships", "Deal").objects
        self.fields["deal"].queryset = (  # type: ignore[attr-defined]
            deals.filter(project=project).order_by("funder_name") if project is not None else deals.none()
        )
        if not self.is_bound:
            self.initial["expires_on"] = timezone.localdate() + dt.timedelta(days=30)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        deal = data.get("deal")
        if not data.get("email") and deal is not None and deal.representative_email:
            data["email"] = deal.representative_email
        if not data.get("email") and "email" not in self.errors:
            self.add_error("email", "Укажите адрес или выберите сделку с адресом представителя.")
        return data


class RoomDocumentForm(forms.Form):
    title = forms.CharField(label="Название", max_length=250, required=False,
                            help_text="Если пусто — имя файла")  # fmt: skip
    file = forms.FileField(label="Файл (PDF, DOCX, XLSX)")


class NdaForm(forms.Form):
    text = forms.CharField(label="Текст соглашения о неразглашении", widget=forms.Textarea(attrs={"rows": 12}))
