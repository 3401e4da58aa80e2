"""Input fields that take a JSON value only of the type the schema states.

DRF on its own turns 5 into "5" for a text field, "true" and 1 into True, "5" and 5.0 into 5: requests that
the schema calls invalid would be accepted. Every API serializer builds its input fields from here (the
ModelSerializer below maps model fields to them), so that the schema and the server agree. Money (Decimal)
is the one exception on purpose: it is accepted as a string or a number, and the schema says so.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers
from rest_framework.fields import empty

TYPE_NAMES = {str: "строка", int: "целое число", float: "число", bool: "true или false"}


class TypedInput:
    """Refuses a JSON value of another type before the field's own conversion."""

    json_types: tuple[type, ...] = ()

    def run_validation(self, data: Any = empty) -> Any:
        # DRF reads "" as null for numbers, dates and relations; an empty string is not a value of those types.
        if data == "" and not isinstance(self, serializers.CharField):
            raise serializers.ValidationError(
                "Пустая строка вместо значения: передайте значение или null.", code="blank"
            )
        return super().run_validation(data)  # type: ignore[misc]

    def to_internal_value(self, data: Any) -> Any:
        wrong_bool = isinstance(data, bool) and bool not in self.json_types
        if wrong_bool or not isinstance(data, self.json_types):
            expected = " или ".join(dict.fromkeys(TYPE_NAMES[t] for t in self.json_types))
            raise serializers.ValidationError(f"Неверный тип значения: ожидается {expected}.", code="invalid_type")
        return super().to_internal_value(data)  # type: ignore[misc]


class CharField(TypedInput, serializers.CharField):
    json_types = (str,)


class EmailField(TypedInput, serializers.EmailField):
    json_types = (str,)


class URLField(TypedInput, serializers.URLField):
    json_types = (str,)


class RegexField(TypedInput, serializers.RegexField):
    json_types = (str,)


class SlugField(TypedInput, serializers.SlugField):
    json_types = (str,)


class DateField(TypedInput, serializers.DateField):
    json_types = (str,)


class DateTimeField(TypedInput, serializers.DateTimeField):
    json_types = (str,)


class IntegerField(TypedInput, serializers.IntegerField):
    json_types = (int,)


class FloatField(TypedInput, serializers.FloatField):
    json_types = (int, float)


class DecimalField(TypedInput, serializers.DecimalField):
    json_types = (str, int, float)


class BooleanField(TypedInput, serializers.BooleanField):
    json_types = (bool,)


class PrimaryKeyRelatedField(TypedInput, serializers.PrimaryKeyRelatedField):
    json_types = (int,)


class SlugRelatedField(TypedInput, serializers.SlugRelatedField):
    json_types = (str,)


class DecimalFieldExtension(OpenApiSerializerFieldExtension):
    """A decimal is written as a string or a number; it is read back as a string."""

    target_class = DecimalField
    match_subclasses = True

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> Any:
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if direction == "response":
            return schema
        field = self.target
        text = {key: value for key, value in schema.items() if key not in ("minimum", "maximum", "nullable")}
        number: dict[str, Any] = {"type": "number"}
        number["multipleOf"] = float(Decimal(1).scaleb(-field.decimal_places))
        if field.min_value is not None:
            number["minimum"] = float(field.min_value)
        if field.max_value is not None:
            number["maximum"] = float(field.max_value)
            whole_digits = len(str(int(field.max_value)))
            sign = "" if field.min_value is not None and field.min_value >= 0 else "-?"
            text["pattern"] = rf"^{sign}\d{{1,{whole_digits}}}(?:\.\d{{1,{field.decimal_places}}})?$"
        variants: dict[str, Any] = {"oneOf": [text, number]}
        if schema.get("nullable"):
            variants["nullable"] = True
        return variants


class NonBlankTextExtension(OpenApiSerializerFieldExtension):
    """Text that may not be blank is refused when only spaces remain after trimming: the schema says so."""

    target_class = serializers.CharField
    match_subclasses = True

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> Any:
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        field = self.target
        plain_text = schema.get("type") == "string" and not {"pattern", "format", "enum"} & set(schema)
        if direction == "request" and plain_text and field.trim_whitespace and not field.allow_blank:
            schema["pattern"] = r"\S"
        return schema


STRICT_MODEL_FIELDS: dict[type[models.Field], type[serializers.Field]] = {
    models.CharField: CharField,
    models.TextField: CharField,
    models.EmailField: EmailField,
    models.URLField: URLField,
    models.SlugField: SlugField,
    models.DateField: DateField,
    models.DateTimeField: DateTimeField,
    models.IntegerField: IntegerField,
    models.BigIntegerField: IntegerField,
    models.SmallIntegerField: IntegerField,
    models.PositiveIntegerField: IntegerField,
    models.PositiveSmallIntegerField: IntegerField,
    models.PositiveBigIntegerField: IntegerField,
    models.FloatField: FloatField,
    models.DecimalField: DecimalField,
    models.BooleanField: BooleanField,
}


class ModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose input fields are the strict ones above."""

    serializer_field_mapping = {**serializers.ModelSerializer.serializer_field_mapping, **STRICT_MODEL_FIELDS}
    serializer_related_field = PrimaryKeyRelatedField
