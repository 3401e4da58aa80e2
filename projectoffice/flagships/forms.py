"""Forms of the flagship portfolio, the deal flow, funder profiles and the showcase's contact form."""

from __future__ import annotations

import time
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from projectoffice.accounts.models import Role, User
from projectoffice.flagships.models import Deal, DealStage, Flagship, FunderProfile, Instrument
from projectoffice.flagships.services import TRANSITIONS
from projectoffice.materials.funder_classes import FunderClass
from projectoffice.opportunities.models import Opportunity
from projectoffice.projects.stages import Stage

STAMP_SALT = "flagships.intro"
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
EMPTY_LABEL = "— не указано —"


def russian_empty_choices(form: forms.BaseForm) -> None:
    """Django's «---------» blank choice of selects becomes a Russian label, as in the other forms of the project."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label is not None:
                field.empty_label = EMPTY_LABEL
        elif isinstance(field, forms.ChoiceField):
            choices = list(field.choices)  # type: ignore[arg-type]
            if choices and choices[0][0] == "" and choices[0][1] == "---------":
                field.choices = [("", EMPTY_LABEL), *choices[1:]]


class FlagshipForm(forms.ModelForm):
    target_classes = forms.MultipleChoiceField(
        label="Целевые классы инвесторов", choices=FunderClass.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Flagship
        fields = ["target_classes", "sector", "geography", "title_en", "showcase", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class FunderProfileForm(forms.ModelForm):
    stages = forms.MultipleChoiceField(
        label="Стадии проекта", choices=Stage.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    instruments = forms.MultipleChoiceField(
        label="Инструменты", choices=Instrument.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = FunderProfile
        fields = [
            "name", "funder_class", "organisation", "channel", "sectors", "ticket_min", "ticket_max", "stages",
            "trl_min", "trl_max", "geography", "instruments", "contacts", "past_deals",
        ]  # fmt: skip
        widgets = {
            "sectors": forms.Textarea(attrs={"rows": 3}),
            "contacts": forms.Textarea(attrs={"rows": 3}),
            "past_deals": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        channel = self.fields["channel"]
        assert isinstance(channel, forms.ModelChoiceField)
        channel.queryset = Opportunity.objects.exclude(channel_category="").order_by("title")
        russian_empty_choices(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        ticket_min, ticket_max = data.get("ticket_min"), data.get("ticket_max")
        if ticket_min is not None and ticket_max is not None and ticket_max < ticket_min:
            self.add_error("ticket_max", "Верхняя граница чека меньше нижней.")
        trl_min, trl_max = data.get("trl_min"), data.get("trl_max")
        if trl_min is not None and trl_max is not None and trl_max < trl_min:
            self.add_error("trl_max", "Верхняя граница TRL меньше нижней.")
        return data


class DealForm(forms.ModelForm):
    class Meta:
        model = Deal
        fields = [
            "funder", "funder_name", "funder_class", "channel", "representative_name", "representative_email",
            "owner", "next_step", "next_step_due",
        ]  # fmt: skip
        widgets = {"next_step_due": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["funder_name"].required = False
        self.fields["funder_name"].help_text = "Если инвестора нет среди профилей"
        self.fields["funder_class"].required = False
        channel = self.fields["channel"]
        assert isinstance(channel, forms.ModelChoiceField)
        channel.queryset = Opportunity.objects.filter(status="published").exclude(channel_category="").order_by("title")
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = User.objects.filter(role=Role.STAFF, is_active=True).order_by("username")
        russian_empty_choices(self)


class NextStepForm(forms.ModelForm):
    class Meta:
        model = Deal
        fields = ["owner", "next_step", "next_step_due", "representative_name", "representative_email"]
        widgets = {"next_step_due": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = User.objects.filter(role=Role.STAFF, is_active=True).order_by("username")
        russian_empty_choices(self)


class DealMoveForm(forms.Form):
    to_stage = forms.ChoiceField(label="Новая стадия")
    on = forms.DateField(label="Дата", widget=DATE)
    note = forms.CharField(label="Заметка", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    amount = forms.DecimalField(label="Сумма сделки, руб. (для закрытия)", required=False, min_value=0)
    instrument = forms.ChoiceField(
        label="Инструмент (для закрытия)", required=False, choices=[("", "—"), *Instrument.choices]
    )
    declined_reason = forms.CharField(label="Причина отказа", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    expected_stage = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, deal: Deal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = TRANSITIONS.get(deal.stage, [])
        field = self.fields["to_stage"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(s, DealStage(s).label) for s in allowed]
        self.initial.setdefault("expected_stage", deal.stage)


class IntroRequestForm(forms.Form):
    """The showcase's contact form, in the visitor's language; a honeypot and a minimum fill time keep bots out."""

    name = forms.CharField(label=_("Ваше имя"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    organisation = forms.CharField(
        label=_("Организация"), max_length=300, widget=forms.TextInput(attrs={"autocomplete": "organization"})
    )
    email = forms.EmailField(label=_("Эл. почта"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    funder_class = forms.ChoiceField(label=_("Вы представляете"))
    message = forms.CharField(label=_("Сообщение"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4}))
    website = forms.CharField(
        required=False,
        label=_("Не заполняйте это поле"),
        widget=forms.TextInput(attrs={"class": "honeypot", "tabindex": "-1", "autocomplete": "off"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["funder_class"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (FunderClass.FEDERAL_INSTITUTE, _("Федеральный институт развития")),
            (FunderClass.LARGE_COMPANY, _("Крупную компанию")),
            (FunderClass.INTERSTATE_FUND, _("Межгосударственный фонд")),
            (FunderClass.FOREIGN_BUSINESS, _("Иностранный бизнес")),
            (FunderClass.INTERSTATE_BODY, _("Структуру межгосударственного сотрудничества")),
        ]
        self.initial.setdefault("started", signing.dumps(time.time(), salt=STAMP_SALT))

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("Форма заполнена автоматически."))
        return ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            started = float(signing.loads(self.data.get("started", ""), salt=STAMP_SALT, max_age=24 * 3600))
        except (signing.BadSignature, ValueError, TypeError):
            raise forms.ValidationError(_("Форма устарела: обновите страницу.")) from None
        if time.time() - started < settings.REGISTRATION_MIN_SECONDS:
            raise forms.ValidationError(_("Форма заполнена слишком быстро. Попробуйте ещё раз."))
        return data
