from __future__ import annotations

from django import forms

from projectoffice.opendata.models import Change, CompanyStatus, Dataset
from projectoffice.organisations.models import OrganisationKind
from projectoffice.organisations.sizes import SizeCategory


class FeedFilterForm(forms.Form):
    q = forms.CharField(label="Название или ИНН", required=False, max_length=100)
    kind = forms.ChoiceField(label="Тип", required=False, choices=[("", "все"), *OrganisationKind.choices])
    okved = forms.CharField(label="ОКВЭД2 (начало кода)", required=False, max_length=10)
    size = forms.ChoiceField(label="Категория", required=False, choices=[("", "все"), *SizeCategory.choices])
    municipality = forms.CharField(label="Муниципалитет", required=False, max_length=100)
    change = forms.ChoiceField(label="Что изменилось", required=False,
                               choices=[("", "всё"), *[c for c in Change.choices if c[0]]])  # fmt: skip
    status = forms.ChoiceField(label="Решение", required=False,
                               choices=[("", "ждут решения"), ("all", "все"), *CompanyStatus.choices[1:]])  # fmt: skip


class ConfirmForm(forms.Form):
    kind = forms.ChoiceField(label="Тип", required=False, choices=[("", "по ОКВЭД2"), *OrganisationKind.choices])
    email = forms.EmailField(label="Пригласить по эл. почте", required=False)


class MergeForm(forms.Form):
    inn = forms.CharField(label="ИНН карточки в реестре", max_length=12)


class ImportStartForm(forms.Form):
    dataset = forms.ChoiceField(label="Набор данных", choices=Dataset.choices)
    file = forms.FileField(label="ZIP или XML")
    full_dump = forms.BooleanField(label="Это вся выгрузка реестра МСП (кого нет — выбыл)", required=False)


class SignUpForm(forms.Form):
    first_name = forms.CharField(label="Имя", max_length=150)
    last_name = forms.CharField(label="Фамилия", max_length=150)
    username = forms.CharField(label="Имя пользователя", max_length=150)
    password = forms.CharField(label="Пароль", widget=forms.PasswordInput, min_length=10, max_length=128)
