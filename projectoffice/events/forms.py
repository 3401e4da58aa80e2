"""The public registration form: the event's own questions, consent, a honeypot and a minimum fill time."""

from __future__ import annotations

import time
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing

from projectoffice.events.answers import answer_field, answer_key
from projectoffice.events.models import Event
from projectoffice.lib import formats

STAMP_SALT = "events.form-started"


class RegistrationForm(forms.Form):
    full_name = forms.CharField(
        label="Фамилия, имя, отчество", max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label="Эл. почта", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    organisation_name = forms.CharField(
        label="Организация",
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    phone = forms.CharField(
        label="Телефон",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    # The honeypot: bots fill it; people never see it (off-screen), never reach it by Tab, and screen readers
    # never announce it (its block is aria-hidden in includes/_form.html).
    website = forms.CharField(
        required=False,
        label="Не заполняйте это поле",
        widget=forms.TextInput(attrs={"class": "honeypot", "tabindex": "-1", "autocomplete": "off"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        self.initial.setdefault("started", signing.dumps(time.time(), salt=STAMP_SALT))
        self.questions = list(event.questions.all())
        for question in self.questions:
            self.fields[answer_key(question)] = answer_field(question)
        limited = list(event.sessions.filter(capacity__isnull=False))
        if limited:
            self.fields["sessions"] = forms.TypedMultipleChoiceField(
                label="Сессии с ограниченным числом мест",
                required=False,
                coerce=int,
                widget=forms.CheckboxSelectMultiple,
                choices=[(s.pk, _session_label(s)) for s in limited],
            )
        self.fields["consent"] = forms.BooleanField(
            label=event.consent_text,
            required=True,
            error_messages={"required": "Без согласия на обработку персональных данных зарегистрироваться нельзя."},
        )

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise forms.ValidationError("Форма заполнена автоматически.")
        return ""

    def clean(self) -> dict[str, Any]:
        """The hidden timestamp: a forged or day-old form, or one filled faster than a person can, is refused."""
        data = super().clean() or {}
        try:
            started = float(signing.loads(self.data.get("started", ""), salt=STAMP_SALT, max_age=24 * 3600))
        except (signing.BadSignature, ValueError, TypeError):
            raise forms.ValidationError("Форма устарела: обновите страницу.") from None
        if time.time() - started < settings.REGISTRATION_MIN_SECONDS:
            raise forms.ValidationError("Форма заполнена слишком быстро. Попробуйте ещё раз.")
        return data

    def answers(self) -> dict[str, Any]:
        """The answers under their keys, as registration_create takes them (and checks them again)."""
        return {answer_key(q): self.cleaned_data.get(answer_key(q)) for q in self.questions}


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="Общая оценка", coerce=int, choices=[(i, str(i)) for i in range(5, 0, -1)], widget=forms.RadioSelect
    )
    nps = forms.TypedChoiceField(
        label="Насколько вероятно, что вы порекомендуете мероприятие коллегам (0–10)?",
        coerce=int,
        choices=[(i, str(i)) for i in range(11)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="Что улучшить?", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


def _session_label(session: Any) -> str:
    """«Воркшоп — 14.05 08:00, 20 мест» in local time."""
    when = f"{formats.day_month(session.starts_at)} {formats.time(session.starts_at)}"
    return f"{session.title} — {when}, {formats.plural(session.capacity, 'место', 'места', 'мест')}"
