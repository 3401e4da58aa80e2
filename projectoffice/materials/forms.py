from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone


class SectionForm(forms.Form):
    text = forms.CharField(label="Текст", required=False, widget=forms.Textarea(attrs={"rows": 6}))
    translates_version = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Эл. почта представителя инвестора")
    expires_on = forms.DateField(label="Действует до (включительно)", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not self.is_bound:
            self.initial["expires_on"] = timezone.localdate() + dt.timedelta(days=30)


class RoomDocumentForm(forms.Form):
    title = forms.CharField(label="Название", max_length=250, required=False,
                            help_text="Если пусто — имя файла")  # fmt: skip
    file = forms.FileField(label="Файл (PDF, DOCX, XLSX)")


class NdaForm(forms.Form):
    text = forms.CharField(label="Текст соглашения о неразглашении", widget=forms.Textarea(attrs={"rows": 12}))
