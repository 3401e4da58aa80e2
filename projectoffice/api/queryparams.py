"""Whole numbers in query strings: parsed strictly, bounded, and described in the schema with the same bounds.

A query value that is not a whole number in range answers 400 with a Russian message; it never reaches the
database, where an identifier past 64 bits overflows (SQLite raises, PostgreSQL refuses the cast).
"""

from __future__ import annotations

import re
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.drainage import set_override
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions
from rest_framework.request import Request

ID_MAX = 2**63 - 1  # the largest BigAutoField value on SQLite and PostgreSQL
_WHOLE = re.compile(r"-?[0-9]{1,20}")


def whole_number_error(minimum: int, maximum: int) -> str:
    return f"Ожидается целое число от {minimum} до {maximum}."


def parse_whole(raw: str, *, minimum: int, maximum: int) -> int | None:
    """The number written in `raw` (ASCII digits only) if it lies in [minimum, maximum], else None."""
    if not _WHOLE.fullmatch(raw):
        return None
    value = int(raw)
    return value if minimum <= value <= maximum else None


REPEATED = "Параметр указан несколько раз."
EMPTY = "Пустое значение: уберите параметр или укажите значение."


def single_value(params: Any, name: str) -> Any:
    """The one value of a query parameter (None when absent); 400 when it is given more than once."""
    values = params.getlist(name) if hasattr(params, "getlist") else [params[name]] if name in params else []
    if len(values) > 1:
        raise exceptions.ValidationError({name: [REPEATED]})
    return values[0] if values else None


def query_int(
    params: Any, name: str, *, minimum: int, maximum: int, default: int | None = None, required: bool = False
) -> int | None:
    """A bounded whole number from the query string (or a validated body); absent gives `default`."""
    raw = single_value(params, name)
    if raw is None:
        if required:
            raise exceptions.ValidationError({name: ["Обязательный параметр."]})
        return default
    if raw == "":
        raise exceptions.ValidationError({name: [EMPTY]})
    value = parse_whole(str(raw), minimum=minimum, maximum=maximum)
    if value is None:
        raise exceptions.ValidationError({name: [whole_number_error(minimum, maximum)]})
    return value


def integer_schema(minimum: int, maximum: int) -> dict[str, Any]:
    return {"type": "integer", "minimum": minimum, "maximum": maximum}


def integer_parameter(
    name: str, *, minimum: int, maximum: int, required: bool = False, description: str = ""
) -> OpenApiParameter:
    """The schema's side of query_int."""
    return OpenApiParameter(name, integer_schema(minimum, maximum), required=required, description=description)


def id_parameter(name: str, *, required: bool = False, description: str = "") -> OpenApiParameter:
    return integer_parameter(name, minimum=1, maximum=ID_MAX, required=required, description=description)


class StrictIntegerField(forms.IntegerField):
    """Only ASCII digits (no "1.0", "1e3", " 1" or other scripts' digits), within min_value..max_value."""

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        text = str(value)
        if not _WHOLE.fullmatch(text):
            # the bounds are checked next by min_value and max_value, with their own message
            raise forms.ValidationError("Ожидается целое число цифрами.", code="invalid")
        return int(text)


class IntegerFilter(django_filters.Filter):
    """A whole-number filter with bounds that the form checks and the schema states."""

    field_class = StrictIntegerField

    def __init__(self, *args: Any, min_value: int = 1, max_value: int = ID_MAX, **kwargs: Any) -> None:
        super().__init__(*args, min_value=min_value, max_value=max_value, **kwargs)
        set_override(self, "field", integer_schema(min_value, max_value))


class StrictFilterBackend(DjangoFilterBackend):
    """Filters as the schema states them: each given once, and one that is not free text never empty."""

    def filter_queryset(self, request: Request, queryset: QuerySet, view: Any) -> QuerySet:
        filterset_class = self.get_filterset_class(view, queryset)
        for name, declared in (filterset_class.base_filters if filterset_class else {}).items():
            value = single_value(request.query_params, name)
            if value == "" and not isinstance(declared, django_filters.CharFilter):
                raise exceptions.ValidationError({name: [EMPTY]})
        return super().filter_queryset(request, queryset, view)


class StrictBooleanField(forms.Field):
    """`true` or `false`, nothing else: django-filter's own boolean ignores what it cannot read."""

    VALUES = {"true": True, "false": False}

    def to_python(self, value: Any) -> bool | None:
        if value in self.empty_values:
            return None
        if str(value) not in self.VALUES:
            raise forms.ValidationError("Ожидается true или false.", code="invalid")
        return self.VALUES[str(value)]


class BooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField
