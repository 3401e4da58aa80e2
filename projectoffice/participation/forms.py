"""Forms of participation pages; the services check the rules again."""

from __future__ import annotations

from typing import Any

from django import forms

from projectoffice.accounts.models import User
from projectoffice.organisations.models import Organisation
from projectoffice.participation.models import AnswerState, Category, Disposition, Goal, ReportReason, Stance


def _own_organisations(user: User) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=Organisation.objects.filter(pk__in=user.organisation_ids).order_by("name"),
        required=False,
        label="От имени организации",
        empty_label="от себя лично",
        help_text="Только организации, участником которых вы являетесь",
    )


class ProposalForm(forms.Form):
    title = forms.CharField(label="Название", max_length=200)
    body = forms.CharField(label="Суть предложения", max_length=10_000, widget=forms.Textarea(attrs={"rows": 8}))
    category = forms.ChoiceField(label="Категория", choices=Category.choices)
    goals = forms.ModelMultipleChoiceField(
        queryset=Goal.objects.all(), required=False, label="Цели", widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, user: User, with_organisation: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_organisation and user.organisation_ids:
            self.fields["organisation"] = _own_organisations(user)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="Причина отзыва", max_length=2_000, widget=forms.Textarea(attrs={"rows": 3}))


class CommentForm(forms.Form):
    body = forms.CharField(label="Комментарий", max_length=5_000, widget=forms.Textarea(attrs={"rows": 3}))
    stance = forms.ChoiceField(label="Позиция", choices=Stance.choices, initial=Stance.NEUTRAL)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label="Причина", choices=ReportReason.choices)
    text = forms.CharField(label="Пояснение", max_length=500, required=False)


class AnswerForm(forms.Form):
    state = forms.ModelChoiceField(queryset=AnswerState.objects.all(), label="Состояние", empty_label=None)
    text = forms.CharField(label="Ответ и обоснование", max_length=10_000, required=False,
                           widget=forms.Textarea(attrs={"rows": 4}))  # fmt: skip


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Обоснование", max_length=2_000, widget=forms.Textarea(attrs={"rows": 2}))


class RemarkForm(forms.Form):
    paragraph = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)
    quote = forms.CharField(label="Цитата из пункта", max_length=2_000, required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    text = forms.CharField(
        label="Замечание или предложение", max_length=5_000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user.organisation_ids:
            self.fields["organisation"] = _own_organisations(user)


class DispositionForm(forms.Form):
    disposition = forms.ChoiceField(label="Решение", choices=[c for c in Disposition.choices if c[0]])
    justification = forms.CharField(label="Обоснование", max_length=5_000, required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip


class VersionForm(forms.Form):
    title = forms.CharField(label="Название документа", max_length=300)
    text = forms.CharField(
        label="Текст документа",
        max_length=1_000_000,
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text="Раздел начинается строкой «# Название», пункты разделяются пустой строкой",
    )
    changelog = forms.CharField(label="Что изменилось", max_length=5_000, required=False,
                                widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    is_final = forms.BooleanField(label="Окончательная редакция", required=False)
