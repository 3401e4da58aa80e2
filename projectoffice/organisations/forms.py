"""Forms of the registry: the profile, yearly figures, products, contacts, import and filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.urls import reverse_lazy

from projectoffice.classifiers.fields import CodeField, CodeListField, TagsField
from projectoffice.classifiers.models import OkvedCode, Region
from projectoffice.organisations.models import (
    Contact,
    Organisation,
    OrganisationFigures,
    OrganisationKind,
    SoftwareProduct,
)
from projectoffice.organisations.selectors import ORGANISATION_SORTS
from projectoffice.organisations.sizes import SizeCategory

OKVED_PICKER = reverse_lazy("classifiers:suggest", kwargs={"scheme": "okved2"})


class OrganisationForm(forms.ModelForm):
    main_okved = CodeField(model=OkvedCode, picker_url=OKVED_PICKER, label="Основной ОКВЭД2", required=False)
    extra_okveds = CodeListField(
        model=OkvedCode,
        picker_url=OKVED_PICKER,
        label="Дополнительные ОКВЭД2",
        help_text="Коды через запятую",
    )
    technologies = TagsField(label="Технологии")
    competencies = TagsField(label="Компетенции")
    website = forms.URLField(label="Сайт", required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = [
            "kind", "name", "short_name", "inn", "ogrn", "region", "main_okved", "extra_okveds",
            "founded_on", "it_accredited", "it_accreditation_date", "technologies", "competencies",
            "description", "website", "email", "phone", "address",
        ]  # fmt: skip
        widgets = {
            "founded_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "it_accreditation_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "inn": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "ogrn": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = self.fields["region"]
        assert isinstance(region, forms.ModelChoiceField)
        region.queryset = Region.objects.order_by("name")
        if self.instance.pk and not self.is_bound:
            self.initial["technologies"] = [t.name for t in self.instance.technologies.all()]
            self.initial["competencies"] = [t.name for t in self.instance.competencies.all()]
            self.initial["extra_okveds"] = list(self.instance.extra_okveds.all())
        elif not self.instance.pk and not self.is_bound:
            self.initial.setdefault("region", Region.objects.filter(iso_code=settings.HOME_REGION_ISO).first())

    def clean_inn(self) -> str:
        return self.cleaned_data["inn"].strip()

    def clean_ogrn(self) -> str:
        return self.cleaned_data["ogrn"].strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("it_accreditation_date") and not data.get("it_accredited"):
            self.add_error("it_accredited", "Указана дата аккредитации: отметьте и саму аккредитацию.")
        return data

    def _save_m2m(self) -> None:  # the service sets the many-to-many fields
        pass


class FiguresForm(forms.ModelForm):
    class Meta:
        model = OrganisationFigures
        fields = ["year", "revenue", "headcount"]

    def validate_unique(self) -> None:  # one row per year is kept by the service (get or create)
        pass


class ProductForm(forms.ModelForm):
    class Meta:
        model = SoftwareProduct
        fields = ["name", "registry_number", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["full_name", "position", "email", "phone"]


class ImportForm(forms.Form):
    file = forms.FileField(label="Файл CSV или XLSX", help_text="Первая строка — заголовки столбцов")

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            limit = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
            raise forms.ValidationError(f"Файл больше допустимых {limit} МБ.")
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("Поддерживаются только файлы .csv и .xlsx.")
        return upload


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label="Поиск", required=False)
    kind = forms.ChoiceField(label="Тип", choices=[("", "Все типы"), *OrganisationKind.choices], required=False)
    region = forms.ModelChoiceField(
        label="Регион", queryset=Region.objects.order_by("name"), required=False, empty_label="Все регионы"
    )
    okved = forms.CharField(label="ОКВЭД2 (начало кода)", required=False, max_length=16)
    size = forms.ChoiceField(label="Категория", choices=[("", "Любая"), *SizeCategory.choices], required=False)
    accredited = forms.BooleanField(label="Только аккредитованные ИТ", required=False)
    sort = forms.CharField(label="Порядок", required=False, max_length=16)

    def clean_sort(self) -> str:
        """A column of ORGANISATION_SORTS, "-" for the other way; anything else is the default order, not an error
        that would drop the filters."""
        sort = self.cleaned_data.get("sort") or ""
        return sort if sort.lstrip("-") in ORGANISATION_SORTS and sort.count("-") <= 1 else ""
