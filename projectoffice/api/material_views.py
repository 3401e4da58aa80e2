"""API v1 for a project's bilingual materials (read only): every section in Russian and English with its version,
the Russian version each translation renders and whether it is outdated, and the readiness per funder class.
Staff and the grantor read every project's materials, members those of their organisations' projects."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, viewsets

from projectoffice.accounts.rules import can_oversee
from projectoffice.materials.funder_classes import FunderClass
from projectoffice.materials.models import SECTIONS, Document, Section
from projectoffice.materials.readiness import is_outdated, materials_complete, sections_of
from projectoffice.projects.models import Project


class MaterialSectionSerializer(serializers.Serializer):
    document = serializers.ChoiceField(choices=Document.choices, help_text="teaser — тизер, memo — меморандум")
    key = serializers.CharField(help_text="Раздел: problem, solution, market, team, traction, financials, …")
    heading = serializers.CharField(help_text="Название раздела по-русски")
    lang = serializers.ChoiceField(choices=["ru", "en"])
    text = serializers.CharField()
    version = serializers.IntegerField()
    source_version = serializers.IntegerField(allow_null=True, help_text="У английского: версия русского текста, "
                                              "которую он переводит")  # fmt: skip
    outdated = serializers.BooleanField(help_text="Английский текст переводит старую версию русского")
    updated_at = serializers.DateTimeField()


class MaterialReadinessSerializer(serializers.Serializer):
    funder_class = serializers.ChoiceField(choices=FunderClass.choices)
    complete = serializers.BooleanField()
    missing = serializers.ListField(child=serializers.CharField(), help_text="Чего не хватает, по-русски")


class MaterialsSerializer(serializers.Serializer):
    project = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    sections = serializers.SerializerMethodField()
    readiness = serializers.SerializerMethodField()

    @extend_schema_field(MaterialSectionSerializer(many=True))
    def get_sections(self, project: Project) -> list[dict[str, Any]]:
        found = sections_of(project)
        rows = []
        for document, keys in SECTIONS.items():
            for key in keys:
                for lang in ("ru", "en"):
                    section: Section | None = found.get((document, key, lang))
                    if section is None:
                        continue
                    rows.append({
                        "document": document, "key": key, "heading": section.get_key_display(), "lang": lang,
                        "text": section.text, "version": section.version, "source_version": section.source_version,
                        "outdated": lang == "en" and is_outdated(section, found.get((document, key, "ru"))),
                        "updated_at": section.updated_at,
                    })  # fmt: skip
        return rows

    @extend_schema_field(MaterialReadinessSerializer(many=True))
    def get_readiness(self, project: Project) -> list[dict[str, Any]]:
        found = sections_of(project)
        result = []
        for value in FunderClass.values:
            complete, missing = materials_complete(project, value, found=found)
            result.append({"funder_class": value, "complete": complete, "missing": missing})
        return result


@extend_schema_view(
    list=extend_schema(summary="Материалы проектов", description="Проекты с их материалами, видимые пользователю."),
    retrieve=extend_schema(summary="Материалы проекта", description="Тизер и меморандум на русском и английском."),
)
class MaterialsViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = MaterialsSerializer
    lookup_field = "pk"  # the project's id

    def get_queryset(self) -> QuerySet[Project]:
        user = self.request.user
        projects = Project.objects.filter(material_sections__isnull=False).distinct()
        if not can_oversee(user):
            orgs: frozenset[int] = getattr(user, "organisation_ids", frozenset())
            projects = projects.visible_to_members_of(orgs) if orgs else projects.none()
        return projects.prefetch_related(Prefetch("material_sections")).order_by("id")
