"""API representations; validation of substance stays in the models and services."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from projectoffice.api import fields as strict
from projectoffice.classifiers.models import OkvedCode, Region
from projectoffice.organisations import identifiers
from projectoffice.organisations import rules as organisation_rules
from projectoffice.organisations.models import Contact, Organisation, OrganisationFigures, SoftwareProduct
from projectoffice.organisations.sizes import SizeCategory
from projectoffice.projects.models import PartnerRole, Project, ProjectPartner, StageMove
from projectoffice.projects.stages import Stage


class TagListField(serializers.ListField):
    child = strict.CharField(max_length=80)

    def to_representation(self, data: Any) -> list[str]:
        return [tag.name for tag in data.all()]


class CodeSerializer(serializers.Serializer):
    code = strict.CharField()
    name = strict.CharField()
    section = strict.CharField()
    parent_code = strict.CharField()
    level = strict.IntegerField()


class RegionSerializer(strict.ModelSerializer):
    class Meta:
        model = Region
        fields = [
            "iso_code",
            "name",
            "name_with_type",
            "federal_district",
            "okato",
            "oktmo",
            "tax_code",
            "timezone",
        ]


class FiguresSerializer(strict.ModelSerializer):
    size_category = serializers.ChoiceField(
        choices=SizeCategory.choices, read_only=True, allow_null=True, help_text="По численности и выручке этого года"
    )

    class Meta:
        model = OrganisationFigures
        fields = ["year", "revenue", "headcount", "size_category"]


class ProductSerializer(strict.ModelSerializer):
    class Meta:
        model = SoftwareProduct
        fields = ["id", "name", "registry_number", "description"]


class ContactSerializer(strict.ModelSerializer):
    class Meta:
        model = Contact
        fields = ["id", "full_name", "position", "email", "phone"]


class OrganisationSerializer(strict.ModelSerializer):
    region = strict.SlugRelatedField(slug_field="iso_code", queryset=Region.objects.all())
    main_okved = strict.SlugRelatedField(
        slug_field="code", queryset=OkvedCode.objects.all(), required=False, allow_null=True
    )
    extra_okveds = strict.SlugRelatedField(
        slug_field="code", queryset=OkvedCode.objects.all(), many=True, required=False
    )
    technologies = TagListField(required=False)
    competencies = TagListField(required=False)
    products = ProductSerializer(many=True, read_only=True)
    figures = serializers.SerializerMethodField(
        help_text="Только для сотрудников, грантодателя и участников организации"
    )
    contacts = serializers.SerializerMethodField(
        help_text="Только для сотрудников, грантодателя и участников организации"
    )
    size_category = serializers.ChoiceField(
        choices=SizeCategory.choices, allow_blank=True, read_only=True, help_text="Пусто, пока нет показателей"
    )

    class Meta:
        model = Organisation
        fields = [
            "id", "kind", "name", "short_name", "inn", "ogrn", "region", "main_okved", "extra_okveds",
            "founded_on", "size_category", "it_accredited", "it_accreditation_date", "technologies",
            "competencies", "description", "website", "email", "phone", "address", "products", "figures",
            "contacts", "is_demo", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["size_category", "is_demo", "created_at", "updated_at"]
        # Uniqueness of INN/OGRN is checked by the model's full_clean in the service (one place for both).
        extra_kwargs: dict[str, dict[str, Any]] = {"inn": {"validators": []}, "ogrn": {"validators": []}}

    def _private(self, obj: Organisation) -> bool:
        request = self.context.get("request")
        return request is not None and organisation_rules.can_view_private(request.user, obj)

    @extend_schema_field(FiguresSerializer(many=True, allow_null=True))
    def get_figures(self, obj: Organisation) -> Any:
        return FiguresSerializer(obj.figures.all(), many=True).data if self._private(obj) else None

    @extend_schema_field(ContactSerializer(many=True, allow_null=True))
    def get_contacts(self, obj: Organisation) -> Any:
        return ContactSerializer(obj.contacts.all(), many=True).data if self._private(obj) else None

    def validate_inn(self, value: str) -> str:
        identifiers.validate_inn(value.strip())
        return value.strip()

    def validate_ogrn(self, value: str) -> str:
        if value.strip():
            identifiers.validate_ogrn(value.strip())
        return value.strip()


class PartnerSerializer(strict.ModelSerializer):
    organisation = strict.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    organisation_name = strict.CharField(source="organisation.__str__", read_only=True)
    role = serializers.ChoiceField(choices=PartnerRole.choices, default=PartnerRole.OTHER)

    class Meta:
        model = ProjectPartner
        fields = ["organisation", "organisation_name", "role"]


class ProjectSerializer(strict.ModelSerializer):
    technologies = TagListField(required=False)
    partners = PartnerSerializer(source="partnerships", many=True, required=False)
    stage = serializers.ChoiceField(choices=Stage.choices, read_only=True)

    class Meta:
        model = Project
        fields = [
            "id", "title", "lead_organisation", "partners", "summary", "problem", "solution", "technologies",
            "trl", "budget_total", "own_funds", "requested_support", "starts_on", "ends_on", "team", "stage",
            "stage_changed_at", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["stage_changed_at", "created_at", "updated_at"]


class StageMoveSerializer(strict.ModelSerializer):
    actor = strict.CharField(source="actor.username", read_only=True, default=None)
    expected_stage = serializers.ChoiceField(choices=Stage.choices, write_only=True, required=False)

    class Meta:
        model = StageMove
        fields = ["id", "from_stage", "to_stage", "reason", "actor", "created_at", "expected_stage"]
        read_only_fields = ["from_stage", "created_at"]


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"})


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Показывается один раз; храните его как пароль")
    expires_at = serializers.DateTimeField(allow_null=True)


class ErrorDetailSerializer(serializers.Serializer):
    code = strict.CharField()
    message = strict.CharField()
    fields = serializers.DictField()  # type: ignore[assignment]  # the error body's key, not Serializer.fields


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()
