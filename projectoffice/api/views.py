"""API v1 endpoints: thin adapters from HTTP to the same selectors, rules and services as the UI."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db import IntegrityError
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from projectoffice.accounts.http import acting_user
from projectoffice.api import serializers as s
from projectoffice.api.permissions import OrganisationAccess, ProjectAccess
from projectoffice.api.queryparams import BooleanFilter, IntegerFilter
from projectoffice.classifiers.models import OkpdCode, OkvedCode, Region
from projectoffice.organisations import rules as organisation_rules
from projectoffice.organisations import selectors as organisation_selectors
from projectoffice.organisations import services as organisation_services
from projectoffice.organisations.models import Organisation, OrganisationKind
from projectoffice.organisations.sizes import SizeCategory
from projectoffice.projects import selectors as project_selectors
from projectoffice.projects import services as project_services
from projectoffice.projects.models import Project
from projectoffice.projects.stages import Stage


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Поиск по названию, ИНН, ОГРН")
    kind = django_filters.ChoiceFilter(choices=OrganisationKind.choices)
    region = django_filters.CharFilter(field_name="region__iso_code", label="Код региона ISO 3166-2")
    okved = django_filters.CharFilter(method="filter_okved", label="Начало кода ОКВЭД2")
    size_category = django_filters.ChoiceFilter(choices=SizeCategory.choices)
    it_accredited = BooleanFilter()
    inn = django_filters.CharFilter()

    class Meta:
        model = Organisation
        fields = ["q", "kind", "region", "okved", "size_category", "it_accredited", "inn"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.search(value)  # type: ignore[attr-defined]

    def filter_okved(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return organisation_selectors.organisation_list(filters={"okved": value}).filter(pk__in=queryset.values("pk"))


def _organisation_data(validated: dict[str, Any]) -> dict[str, Any]:
    return dict(validated)


@extend_schema_view(
    list=extend_schema(summary="Реестр организаций"),
    retrieve=extend_schema(summary="Организация"),
    create=extend_schema(summary="Добавить организацию (сотрудники офиса)"),
    partial_update=extend_schema(summary="Изменить организацию"),
    update=extend_schema(summary="Заменить карточку организации"),
)
class OrganisationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    serializer_class = s.OrganisationSerializer
    permission_classes = [OrganisationAccess]
    filterset_class = OrganisationFilter

    def get_queryset(self) -> QuerySet:
        return (
            Organisation.objects.select_related("region", "main_okved")
            .prefetch_related("extra_okveds", "technologies", "competencies", "products", "figures", "contacts")
            .order_by("name", "pk")
        )

    def perform_create(self, serializer: BaseSerializer) -> None:
        try:
            serializer.instance = organisation_services.organisation_create(
                actor=acting_user(self.request),
                data=_organisation_data(serializer.validated_data),
            )
        except IntegrityError:
            raise exceptions.ValidationError(
                {"inn": ["Организация с таким ИНН или ОГРН уже есть в реестре."]}
            ) from None

    def perform_update(self, serializer: BaseSerializer) -> None:
        assert serializer.instance is not None
        try:
            organisation_services.organisation_update(
                actor=acting_user(self.request),
                organisation=serializer.instance,
                data=_organisation_data(serializer.validated_data),
            )
        except IntegrityError:
            raise exceptions.ValidationError(
                {"inn": ["Организация с таким ИНН или ОГРН уже есть в реестре."]}
            ) from None
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    @extend_schema(
        methods=["GET"],
        summary="Выручка и численность по годам (сотрудники, грантодатель, участники организации)",
        responses=s.FiguresSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary="Записать или исправить показатели за год (сотрудники и участники организации)",
        request=s.FiguresSerializer,
        responses=s.FiguresSerializer,
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def figures(self, request: Request, pk: str | None = None) -> Response:
        organisation = self.get_object()  # writes: OrganisationAccess asks rules.can_edit
        if not organisation_rules.can_view_private(request.user, organisation):
            raise exceptions.PermissionDenied("Показатели организации видны сотрудникам, грантодателю и её участникам.")
        if request.method == "GET":
            return Response(s.FiguresSerializer(organisation.figures.all(), many=True).data)
        body = s.FiguresSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        organisation_services.figures_set(
            actor=acting_user(request),
            organisation=organisation,
            year=body.validated_data["year"],
            revenue=body.validated_data.get("revenue"),
            headcount=body.validated_data.get("headcount"),
        )
        return Response(s.FiguresSerializer(organisation.figures.get(year=body.validated_data["year"])).data)

    @extend_schema(
        methods=["GET"], summary="Программные продукты организации", responses=s.ProductSerializer(many=True)
    )
    @extend_schema(
        methods=["POST"],
        summary="Добавить программный продукт (сотрудники и участники организации)",
        request=s.ProductSerializer,
        responses={201: s.ProductSerializer},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def products(self, request: Request, pk: str | None = None) -> Response:
        organisation = self.get_object()  # writes: OrganisationAccess asks rules.can_edit
        if request.method == "GET":
            return Response(s.ProductSerializer(organisation.products.all(), many=True).data)
        body = s.ProductSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        product = organisation_services.product_add(
            actor=acting_user(request), organisation=organisation, data=dict(body.validated_data)
        )
        return Response(s.ProductSerializer(product).data, status=status.HTTP_201_CREATED)


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Поиск по названию и описанию")
    stage = django_filters.ChoiceFilter(choices=Stage.choices)
    lead_organisation = IntegerFilter()
    trl_min = IntegerFilter(field_name="trl", lookup_expr="gte", min_value=1, max_value=9)
    trl_max = IntegerFilter(field_name="trl", lookup_expr="lte", min_value=1, max_value=9)
    technology = django_filters.CharFilter(field_name="technologies__name", distinct=True)

    class Meta:
        model = Project
        fields = ["q", "stage", "lead_organisation", "trl_min", "trl_max", "technology"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.search(value)  # type: ignore[attr-defined]


def _project_kwargs(validated: dict[str, Any]) -> tuple[dict[str, Any], list | None]:
    data = dict(validated)
    partnerships = data.pop("partnerships", None)
    partners = None if partnerships is None else [(p["organisation"], p["role"]) for p in partnerships]
    return data, partners


@extend_schema_view(
    list=extend_schema(summary="Проекты, видимые пользователю"),
    retrieve=extend_schema(summary="Проект"),
    create=extend_schema(summary="Создать проект (стадия «Идея»)"),
    partial_update=extend_schema(summary="Изменить проект"),
    update=extend_schema(summary="Заменить карточку проекта"),
)
class ProjectViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    serializer_class = s.ProjectSerializer
    permission_classes = [ProjectAccess]
    filterset_class = ProjectFilter

    def get_queryset(self) -> QuerySet:
        return (
            project_selectors.projects_visible_to(self.request.user)
            .select_related("lead_organisation")
            .prefetch_related("technologies", "partnerships__organisation")
            .order_by("-updated_at", "-id")
        )

    def perform_create(self, serializer: BaseSerializer) -> None:
        data, partners = _project_kwargs(serializer.validated_data)
        serializer.instance = project_services.project_create(
            actor=acting_user(self.request),
            data=data,
            partners=partners,
        )

    def perform_update(self, serializer: BaseSerializer) -> None:
        assert serializer.instance is not None
        data, partners = _project_kwargs(serializer.validated_data)
        project_services.project_update(
            actor=acting_user(self.request),
            project=serializer.instance,
            data=data,
            partners=partners,
        )
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    @extend_schema(
        summary="Перевести проект в другую стадию (сотрудники офиса)",
        request=s.StageMoveSerializer,
        responses={201: s.StageMoveSerializer, 409: s.ErrorSerializer},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def move(self, request: Request, pk: str | None = None) -> Response:
        project = self.get_object()
        body = s.StageMoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            move = project_services.project_move_stage(
                actor=acting_user(request),
                project=project,
                to_stage=body.validated_data["to_stage"],
                reason=body.validated_data["reason"],
                expected_stage=body.validated_data.get("expected_stage"),
            )
        except project_services.StageMoveError as exc:
            return Response(
                {"error": {"code": "conflict", "message": str(exc), "fields": {}}},
                status=status.HTTP_409_CONFLICT,
            )
        return Response(s.StageMoveSerializer(move).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="История смен стадий", responses={200: s.StageMoveSerializer(many=True)})
    @action(detail=True, methods=["get"], url_path="stage-moves", pagination_class=None, filter_backends=[])
    def stage_moves(self, request: Request, pk: str | None = None) -> Response:
        project = self.get_object()
        return Response(s.StageMoveSerializer(project.stage_moves.select_related("actor"), many=True).data)


class CodeViewSet(viewsets.ReadOnlyModelViewSet):
    """Classifier codes; `q` searches by code prefix or by words of the name."""

    serializer_class = s.CodeSerializer
    lookup_field = "code"
    lookup_value_regex = r"[0-9A-Z.]+"
    model: type[OkvedCode] | type[OkpdCode] = OkvedCode

    def get_queryset(self) -> QuerySet:
        query = self.request.query_params.get("q", "")[:100]
        return self.model.objects.search(query).order_by("code")

    @extend_schema(parameters=[OpenApiParameter("q", str, description="Код (начало) или слова наименования")])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)


@extend_schema_view(list=extend_schema(summary="ОКВЭД2"), retrieve=extend_schema(summary="Код ОКВЭД2"))
class OkvedViewSet(CodeViewSet):
    model = OkvedCode


@extend_schema_view(list=extend_schema(summary="ОКПД2"), retrieve=extend_schema(summary="Код ОКПД2"))
class OkpdViewSet(CodeViewSet):
    model = OkpdCode


@extend_schema_view(list=extend_schema(summary="Регионы"), retrieve=extend_schema(summary="Регион"))
class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.RegionSerializer
    lookup_field = "iso_code"
    lookup_value_regex = r"[A-Z]{2}-[A-Z]+"

    def get_queryset(self) -> QuerySet:
        return Region.objects.search(self.request.query_params.get("q", "")[:100]).order_by("name")
