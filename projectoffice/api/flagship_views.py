"""API v1 for funders, flagships and the deal flow: the office and the grantor read, only the office writes, and a
member of a project's lead organisation reads that project's deals. Writes go through the flagships services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from projectoffice.accounts.http import acting_user
from projectoffice.accounts.models import User
from projectoffice.accounts.rules import can_oversee
from projectoffice.api import fields as strict
from projectoffice.api.queryparams import ID_MAX
from projectoffice.flagships import rules, selectors, services
from projectoffice.flagships.models import Deal, DealMove, DealStage, Flagship, FunderProfile, Instrument
from projectoffice.flagships.services import DealMoveError
from projectoffice.materials.funder_classes import FunderClass
from projectoffice.projects.models import Project


class PortfolioAccess(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return rules.can_view_portfolio(request.user)


class DealAccess(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if request.method in SAFE_METHODS:
            return isinstance(user, User) and user.is_active
        return rules.can_manage(user)


class FunderProfileSerializer(strict.ModelSerializer):
    technologies: serializers.StringRelatedField = serializers.StringRelatedField(many=True)

    class Meta:
        model = FunderProfile
        fields = [
            "id", "name", "funder_class", "organisation", "channel", "sectors", "technologies", "ticket_min",
            "ticket_max", "stages", "trl_min", "trl_max", "geography", "instruments", "contacts", "past_deals",
        ]  # fmt: skip


class FlagshipReadinessSerializer(serializers.Serializer):
    funder_class = serializers.ChoiceField(choices=FunderClass.choices)
    complete = strict.BooleanField()
    missing = serializers.ListField(child=strict.CharField())


class FlagshipSerializer(strict.ModelSerializer):
    title = serializers.CharField(source="project.title", read_only=True)
    readiness = serializers.SerializerMethodField()
    meets_promise = serializers.SerializerMethodField()
    reasons = serializers.SerializerMethodField(help_text="Чего не хватает до обещания (пусто, когда выполнено)")

    class Meta:
        model = Flagship
        fields = ["id", "project", "title", "target_classes", "showcase", "readiness", "meets_promise", "reasons"]

    def _card(self, flagship: Flagship) -> selectors.FlagshipCard:
        cache: dict[int, selectors.FlagshipCard] = self.__dict__.setdefault("_cards", {})
        if flagship.pk not in cache:
            cache[flagship.pk] = selectors.card(flagship)
        return cache[flagship.pk]

    @extend_schema(responses=FlagshipReadinessSerializer(many=True))
    def get_readiness(self, flagship: Flagship) -> list[dict[str, Any]]:
        return [
            {"funder_class": r.funder_class, "complete": r.complete, "missing": r.missing}
            for r in self._card(flagship).readiness
        ]

    def get_meets_promise(self, flagship: Flagship) -> bool:
        return self._card(flagship).meets_promise

    def get_reasons(self, flagship: Flagship) -> list[str]:
        return self._card(flagship).reasons


class DealMoveSerializer(strict.ModelSerializer):
    class Meta:
        model = DealMove
        fields = ["from_stage", "to_stage", "on", "note"]


class DealSerializer(strict.ModelSerializer):
    moves = DealMoveSerializer(many=True, read_only=True)

    class Meta:
        model = Deal
        fields = [
            "id", "project", "funder", "funder_organisation", "channel", "funder_name", "funder_class",
            "representative_name", "stage", "stage_changed_on", "owner", "next_step", "next_step_due", "amount",
            "instrument", "closed_on", "declined_reason", "source", "moves",
        ]  # fmt: skip
        read_only_fields = ["stage", "stage_changed_on", "amount", "instrument", "closed_on", "declined_reason",
                            "source", "moves"]  # fmt: skip


class DealCreateRequest(serializers.Serializer):
    project = strict.IntegerField(min_value=1, max_value=ID_MAX)
    funder = strict.IntegerField(min_value=1, max_value=ID_MAX, required=False, allow_null=True)
    funder_name = strict.CharField(max_length=300, required=False, allow_blank=True, default="")
    funder_class = serializers.ChoiceField(choices=FunderClass.choices, required=False, allow_blank=True)
    next_step = strict.CharField(max_length=300, required=False, allow_blank=True, default="")
    next_step_due = serializers.DateField(required=False, allow_null=True)


class DealMoveRequest(serializers.Serializer):
    to_stage = serializers.ChoiceField(choices=DealStage.choices)
    on = serializers.DateField(required=False)
    note = strict.CharField(max_length=2000, required=False, allow_blank=True, default="")
    expected_stage = serializers.ChoiceField(choices=DealStage.choices, required=False)
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, required=False, allow_null=True, min_value=0)
    instrument = serializers.ChoiceField(choices=Instrument.choices, required=False, allow_blank=True, default="")
    declined_reason = strict.CharField(max_length=2000, required=False, allow_blank=True, default="")


@extend_schema_view(
    list=extend_schema(summary="Профили инвесторов"), retrieve=extend_schema(summary="Профиль инвестора")
)
class FunderProfileViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = FunderProfileSerializer
    permission_classes = [PortfolioAccess]

    def get_queryset(self) -> QuerySet[FunderProfile]:
        return selectors.funder_profiles().order_by("name", "id")


@extend_schema_view(
    list=extend_schema(summary="Флагманские проекты: готовность материалов и обещание"),
    retrieve=extend_schema(summary="Флагманский проект"),
)
class FlagshipViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = FlagshipSerializer
    permission_classes = [PortfolioAccess]

    def get_queryset(self) -> QuerySet[Flagship]:
        return selectors.flagships_queryset().order_by("project__title", "id")


def _raise(exc: Exception) -> None:
    if isinstance(exc, ValidationError):
        raise exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages})
    raise exceptions.ValidationError({"stage": [str(exc)]})


@extend_schema_view(list=extend_schema(summary="Сделки"), retrieve=extend_schema(summary="Сделка со стадиями"))
class DealViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = DealSerializer
    permission_classes = [DealAccess]

    def get_queryset(self) -> QuerySet[Deal]:
        deals = Deal.objects.prefetch_related("moves").order_by("-updated_at", "-id")
        user = self.request.user
        if can_oversee(user):
            return deals
        orgs = user.organisation_ids if isinstance(user, User) else frozenset()
        return deals.filter(Q(project__lead_organisation__in=orgs))

    @extend_schema(summary="Начать сделку (офис)", request=DealCreateRequest, responses={201: DealSerializer})
    def create(self, request: Request) -> Response:
        body = DealCreateRequest(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        project = Project.objects.filter(pk=data.pop("project")).first()
        if project is None:
            raise exceptions.ValidationError({"project": ["Нет такого проекта."]})
        funder_id = data.pop("funder", None)
        if funder_id:
            data["funder"] = FunderProfile.objects.filter(pk=funder_id).first()
            if data["funder"] is None:
                raise exceptions.ValidationError({"funder": ["Нет такого профиля инвестора."]})
        try:
            deal = services.deal_create(actor=acting_user(request), project=project, data=data)
        except ValidationError as exc:
            _raise(exc)
        return Response(DealSerializer(deal).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Перевести сделку на следующую стадию (офис)", request=DealMoveRequest,
                   responses={200: DealSerializer})  # fmt: skip
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str | None = None) -> Response:
        deal = self.get_object()
        body = DealMoveRequest(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            deal = services.deal_move(
                actor=acting_user(request),
                deal=deal,
                to_stage=data["to_stage"],
                on=data.get("on"),
                note=data["note"],
                expected_stage=data.get("expected_stage"),
                amount=data.get("amount"),
                instrument=data["instrument"],
                declined_reason=data["declined_reason"],
            )
        except (ValidationError, DealMoveError) as exc:
            _raise(exc)
        deal = Deal.objects.prefetch_related("moves").get(pk=deal.pk)
        return Response(DealSerializer(deal).data)
