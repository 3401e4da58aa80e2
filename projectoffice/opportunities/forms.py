"""Forms of the catalogue: filters and the staff editor."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from projectoffice.classifiers.models import Region
from projectoffice.opportunities.models import Opportunity, OpportunityKind, OpportunityStatus
from projectoffice.opportunities.selectors import ALL_REGIONS, HOME_REGION
from projectoffice.organisations.models import OrganisationKind
from projectoffice.organisations.sizes import SizeCategory
from projectoffice.projects.stages import Stage


class OpportunityFilterForm(forms.Form):
    q = forms.CharField(label="Поиск", required=False, max_length=200)
    kind = forms.ChoiceField(label="Вид", choices=[("", "Все виды"), *OpportunityKind.choices], required=False)
    audience = forms.ChoiceField(label="Для кого", choices=[("", "Все"), *OrganisationKind.choices], required=False)
    provider = forms.CharField(label="Организатор", required=False, max_length=100)
    amount_min = forms.IntegerField(label="Сумма от, руб.", required=False, min_value=0)
    closes_before = forms.DateField(
        label="Приём заявок до", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    status = forms.ChoiceField(label="Статус", required=False, choices=[("", "Открытые"), *OpportunityStatus.choices])
    region = forms.ChoiceField(label="Регион", required=False, choices=[("", "Свой регион и федеральные")])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        home = Region.objects.filter(iso_code=settings.HOME_REGION_ISO).first()
        mine = f"{home.name_with_type} и федеральные" if home else "Свой регион и федеральные"
        region = self.fields["region"]
        assert isinstance(region, forms.ChoiceField)
        region.choices = [("", mine), (ALL_REGIONS, "Все регионы")]

    def clean_region(self) -> str:
        """Other regions' programmes show only when asked for: the default is the home region and federal ones."""
        return self.cleaned_data.get("region") or HOME_REGION


class SuspendForm(forms.Form):
    """The office's finding when checking the source: the call is suspended, why and since when."""

    reason = forms.CharField(
        label="Причина (как в источнике)", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    on = forms.DateField(label="Дата приостановки", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


def _multi(label: str, choices: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple)


class OpportunityForm(forms.ModelForm):
    audience_kinds = _multi("Для каких организаций", OrganisationKind.choices)
    size_categories = _multi("Категории МСП", SizeCategory.choices)
    project_stages = _multi("Для каких стадий проекта", Stage.choices)
    okved_prefixes = forms.CharField(label="ОКВЭД2 (начала кодов, через запятую)", required=False)
    source_url = forms.URLField(label="Источник", required=False, assume_scheme="https")

    class Meta:
        model = Opportunity
        fields = [
            "kind",
            "title",
            "external_id",
            "summary",
            "provider_name",
            "instrument",
            "amount_min",
            "amount_max",
            "own_share_min",
            "loan_rate",
            "loan_term_months",
            "term_note",
            "is_federal",
            "region",
            "audience_kinds",
            "project_stages",
            "trl_min",
            "trl_max",
            "opens_on",
            "closes_on",
            "recurrence",
            "max_company_age_years",
            "max_revenue",
            "max_headcount",
            "size_categories",
            "it_accreditation_required",
            "registered_software_required",
            "okved_prefixes",
            "for_individuals",
            "grants_status",
            "eligibility_text",
            "conditions",
            "source_url",
            "source_kind",
            "source_quote",
            "source_date_note",
            "licence",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "eligibility_text": forms.Textarea(attrs={"rows": 3}),
            "conditions": forms.Textarea(attrs={"rows": 2}),
            "source_quote": forms.Textarea(attrs={"rows": 2}),
            "opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["okved_prefixes"] = ", ".join(self.instance.okved_prefixes)

    def clean_okved_prefixes(self) -> list[str]:
        raw = self.cleaned_data.get("okved_prefixes") or ""
        prefixes = [p.strip() for p in raw.replace(";", ",").split(",") if p.strip()]
        bad = [p for p in prefixes if not all(part.isdigit() for part in p.split("."))]
        if bad:
            raise forms.ValidationError(f"Не похоже на коды ОКВЭД2: {', '.join(bad)}")
        return prefixes

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("amount_min"), data.get("amount_max")
        if low is not None and high is not None and low > high:
            self.add_error("amount_max", "Максимальная сумма меньше минимальной.")
        if data.get("trl_min") and data.get("trl_max") and data["trl_min"] > data["trl_max"]:
            self.add_error("trl_max", "Верхняя граница TRL меньше нижней.")
        for name in ("trl_min", "trl_max"):
            if data.get(name) is not None and not 1 <= data[name] <= 9:
                self.add_error(name, "TRL — от 1 до 9.")
        if data.get("own_share_min") is not None and data["own_share_min"] > 100:
            self.add_error("own_share_min", "Доля — не больше 100 %.")
        return data
