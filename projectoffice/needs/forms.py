"""Forms of the needs part: the public intake (honeypot, minimum time), qualification, diagnosis, solutions."""

from __future__ import annotations

import time
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing

from projectoffice.lib.bounds import date_validators
from projectoffice.needs.models import (
    BudgetBand,
    Deployment,
    DiagnosisKind,
    Horizon,
    MatchStatus,
    Municipality,
    PriceBand,
    Priority,
    Subject,
)

STAMP_SALT = "needs.form-started"
CONSENT_TEXT = (
    "Я согласен(на) на обработку моих персональных данных (ФИО, должность, телефон, эл. почта) проектным офисом "
    "цифрового развития для рассмотрения обращения и передачи контактов выбранным экспертам и ИТ-компаниям "
    "(152-ФЗ «О персональных данных»). Согласие можно отозвать письмом в офис."
)


class SubjectChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Subject) -> str:
        return obj.name


def subject_choices(active_only: bool = True) -> list[tuple[str, list[tuple[int, str]]]]:
    subjects = Subject.objects.select_related("theme")
    if active_only:
        subjects = subjects.filter(active=True)
    grouped: dict[str, list[tuple[int, str]]] = {}
    for subject in subjects:
        grouped.setdefault(subject.theme.name, []).append((subject.pk, subject.name))
    return list(grouped.items())


class GroupedSubjectField(SubjectChoiceField):
    """A select of subjects grouped by theme (optgroups); `group()` fills the choices when the form is built."""

    def __init__(self, *args: Any, active_only: bool = True, **kwargs: Any) -> None:
        queryset = Subject.objects.filter(active=True) if active_only else Subject.objects.all()
        super().__init__(queryset, *args, **kwargs)
        self.active_only = active_only

    def group(self) -> None:
        self.choices = [("", "— выберите —"), *subject_choices(self.active_only)]


def _group_subjects(form: forms.Form) -> None:
    for field in form.fields.values():
        if isinstance(field, GroupedSubjectField):
            field.group()


class IntakeForm(forms.Form):
    inn = forms.CharField(
        label="ИНН предприятия",
        max_length=14,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text="10 цифр для организации, 12 — для ИП",
    )
    organisation_name = forms.CharField(
        label="Наименование предприятия",
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
        help_text="Если предприятия нет в нашем реестре, мы внесём его по этим данным",
    )
    contact_name = forms.CharField(
        label="Контактное лицо (ФИО)", max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    contact_position = forms.CharField(
        label="Должность",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    contact_email = forms.EmailField(
        label="Эл. почта", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    contact_phone = forms.CharField(
        label="Телефон",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    subject = GroupedSubjectField(label="С чем нужна помощь")
    municipality = forms.ModelChoiceField(
        Municipality.objects.all(), label="Где находится предприятие", required=False, empty_label="— не указано —"
    )
    description = forms.CharField(
        label="Опишите задачу",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Что хотите улучшить, что уже пробовали, какие системы используете",
    )
    budget_band = forms.ChoiceField(label="Бюджет", choices=BudgetBand.choices, initial=BudgetBand.UNKNOWN)
    horizon = forms.ChoiceField(label="Когда нужно", choices=Horizon.choices, initial=Horizon.HALF_YEAR)
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        required=False,  # the service refuses without it, with its own message
    )
    # The honeypot: bots fill it; people never see it (off-screen), never reach it by Tab, screen readers skip it.
    website = forms.CharField(
        required=False,
        label="Не заполняйте это поле",
        widget=forms.TextInput(attrs={"class": "honeypot", "tabindex": "-1", "autocomplete": "off"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _group_subjects(self)
        self.initial.setdefault("started", signing.dumps(time.time(), salt=STAMP_SALT))

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
        if time.time() - started < settings.NEEDS_INTAKE_MIN_SECONDS:
            raise forms.ValidationError("Форма заполнена слишком быстро. Проверьте ответы и отправьте ещё раз.")
        data["started_ts"] = started
        return data


class NeedForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _group_subjects(self)

    title = forms.CharField(label="Кратко", max_length=250, required=False)
    subject = GroupedSubjectField(label="Предмет", active_only=False)
    priority = forms.ChoiceField(label="Приоритет", choices=Priority.choices, initial=Priority.NORMAL)
    municipality = forms.ModelChoiceField(
        Municipality.objects.all(), label="Территория", required=False, empty_label="— не указана —"
    )
    description = forms.CharField(label="Описание", widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)


class DiagnosisForm(forms.Form):
    kind = forms.ChoiceField(label="Диагностика", choices=DiagnosisKind.choices, widget=forms.RadioSelect)
    held_on = forms.DateField(
        label="Дата", widget=forms.DateInput(attrs={"type": "date"}), validators=date_validators(past_only=True)
    )
    notes = forms.CharField(label="Заметки", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)


class QualifyForm(NeedForm):
    diagnosis_kind = forms.ChoiceField(
        label="Как уточняли", choices=[("", "— без диагностики —"), *DiagnosisKind.choices], required=False
    )
    diagnosis_notes = forms.CharField(
        label="Заметки диагностики", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )
    second_description = forms.CharField(
        label="Вторая потребность из того же обращения (разделить)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
        help_text="Заполните, если в обращении две разные задачи; предмет — тот же, его можно сменить потом",
    )


class MoveForm(forms.Form):
    to = forms.ChoiceField(choices=[*MatchStatus.choices, ("reopen", "открыть заново")])
    reason = forms.CharField(
        label="Причина или итог", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class SolutionForm(forms.Form):
    name = forms.CharField(label="Название", max_length=200)
    description = forms.CharField(label="Описание", widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)
    subjects = forms.ModelMultipleChoiceField(
        Subject.objects.select_related("theme"), label="Какие задачи решает", widget=forms.CheckboxSelectMultiple
    )
    registry_number = forms.IntegerField(
        label="Номер в реестре российского ПО", required=False, min_value=1, max_value=99_999_999
    )
    registry_class = forms.CharField(label="Класс ПО по реестру", max_length=200, required=False)
    okved_codes = forms.CharField(
        label="Отрасли заказчиков (ОКВЭД2)",
        required=False,
        max_length=300,
        help_text="Коды или префиксы через запятую: 25, 28.4",
    )
    deployment = forms.ChoiceField(label="Размещение", choices=Deployment.choices)
    price_band = forms.ChoiceField(label="Цена", choices=PriceBand.choices)
    certifications = forms.CharField(label="Сертификаты", required=False, max_length=1000)
    published = forms.BooleanField(label="Опубликовать в каталоге", required=False)

    def clean_okved_codes(self) -> list[str]:
        codes = [c.strip() for c in self.cleaned_data["okved_codes"].replace(";", ",").split(",") if c.strip()]
        for code in codes:
            if not all(part.isdigit() for part in code.split(".")) or len(code) > 8:
                raise forms.ValidationError(f"«{code}» — не код ОКВЭД2.")
        return codes


class CaseForm(forms.Form):
    customer = forms.CharField(label="Заказчик", max_length=300)
    industry_okved = forms.CharField(label="Отрасль заказчика (ОКВЭД2)", max_length=8, required=False)
    task = forms.CharField(label="Задача", widget=forms.Textarea(attrs={"rows": 3}), max_length=3000)
    result = forms.CharField(label="Результат", widget=forms.Textarea(attrs={"rows": 3}), max_length=3000)
    figures = forms.CharField(label="Результат в цифрах", max_length=300, required=False)
    year = forms.IntegerField(label="Год", required=False, min_value=1990, max_value=2100)
