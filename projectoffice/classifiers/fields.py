"""Form fields that take classifier codes and tags as text and return model instances."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django import forms

from projectoffice.classifiers.models import TAG_MAX_LENGTH, OkpdCode, OkvedCode

if TYPE_CHECKING:  # django-stubs-ext is a dev dependency: never imported at run time
    from django_stubs_ext import StrOrPromise

_SEPARATORS = re.compile(r"[\s,;]+")


class CodeField(forms.CharField):
    """One code of a classifier, typed or picked from the autocomplete; unknown codes are refused."""

    def __init__(self, *, model: type[OkvedCode] | type[OkpdCode], picker_url: StrOrPromise, **kwargs: Any) -> None:
        self.model = model
        kwargs.setdefault("max_length", 16)
        super().__init__(**kwargs)
        self.widget.attrs.update({"data-picker": picker_url, "autocomplete": "off", "inputmode": "decimal"})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int):
            return self.model.objects.filter(pk=value).values_list("code", flat=True).first() or ""
        return getattr(value, "code", value)

    def clean(self, value: Any) -> OkvedCode | OkpdCode | None:
        code = (super().clean(value) or "").strip().split(" ")[0]
        if not code:
            return None
        found = self.model.objects.filter(code=code).first()
        if found is None:
            raise forms.ValidationError(
                f"Код «{code}» не найден в классификаторе {self.model._meta.verbose_name_plural}."
            )
        return found


class CodeListField(forms.CharField):
    """Several codes separated by commas or spaces; every one must exist."""

    def __init__(self, *, model: type[OkvedCode] | type[OkpdCode], picker_url: StrOrPromise, **kwargs: Any) -> None:
        self.model = model
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update({"data-picker": picker_url, "data-picker-multi": "1", "autocomplete": "off"})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(getattr(v, "code", str(v)) for v in value)
        return value

    def clean(self, value: Any) -> list[OkvedCode | OkpdCode]:
        text = super().clean(value) or ""
        codes = list(dict.fromkeys(code for code in _SEPARATORS.split(text) if code))
        found = {obj.code: obj for obj in self.model.objects.filter(code__in=codes)}
        missing = [code for code in codes if code not in found]
        if missing:
            raise forms.ValidationError(
                f"Коды не найдены в классификаторе {self.model._meta.verbose_name_plural}: {', '.join(missing)}."
            )
        return [found[code] for code in codes]


class TagsField(forms.CharField):
    """Tags typed as a comma-separated list; returns their names (created on save by the service)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", "Через запятую")
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        return value

    def clean(self, value: Any) -> list[str]:
        text = super().clean(value) or ""
        names = list(dict.fromkeys(" ".join(name.split()) for name in text.split(",") if name.strip()))
        too_long = [name for name in names if len(name) > TAG_MAX_LENGTH]
        if too_long:
            raise forms.ValidationError(f"Слишком длинный тег: {too_long[0][:40]}…")
        return names
