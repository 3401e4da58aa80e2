"""API v1 for the opportunity radar: catalogue, auto-coding, matches with explanations, feedback, subscriptions."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.request import Request
from rest_framework.response import Response

from projectoffice.accounts.http import acting_user
from projectoffice.accounts.rules import AnyUser
from projectoffice.api import fields as strict
from projectoffice.api.queryparams import ID_MAX, id_parameter, integer_parameter, query_int
from projectoffice.api.serializers import ErrorSerializer
from projectoffice.matching import rules as matching_rules
from projectoffice.matching.coding import SCHEMES, classify
from projectoffice.matching.eligibility import Eligibility, Outcome, Verdict, check_eligibility, eligibility_seen_by
from projectoffice.matching.models import FeedbackVerdict, Subscription
from projectoffice.matching.ranking import Match, Participant, match_opportunities, match_participants
from projectoffice.matching.services import feedback_set
from projectoffice.matching.subscriptions import subscription_delete, subscription_save
from projectoffice.opportunities import rules as opportunity_rules
from projectoffice.opportunities import selectors as opportunity_selectors
from projectoffice.opportunities import services as opportunity_services
from projectoffice.opportunities.models import Opportunity, OpportunityKind, OpportunityStatus
from projectoffice.organisations.models import Organisation, OrganisationKind
from projectoffice.organisations.sizes import SizeCategory
from projectoffice.projects.models import Project
from projectoffice.projects.selectors import projects_visible_to
from projectoffice.projects.stages import Stage

OKVED_PREFIX = r"^[0-9]{2}(\.[0-9]{1,3}){0,3}$"


def choice_list(choices: Any, **kwargs: Any) -> serializers.ListField:
    """A JSON list of choice values (never null): the API's form of a multiple-choice field."""
    return serializers.ListField(child=serializers.ChoiceField(choices=choices), required=False, **kwargs)


class TenderItemSerializer(serializers.Serializer):
    okpd2_code = strict.CharField()
    name = strict.CharField()
    quantity = strict.DecimalField(max_digits=18, decimal_places=3, allow_null=True)


class TenderSerializer(serializers.Serializer):
    registry_number = strict.CharField()
    law = strict.CharField()
    procedure = strict.CharField()
    customer_name = strict.CharField()
    customer_inn = strict.CharField()
    max_price = strict.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    submission_ends_at = strict.DateTimeField(allow_null=True)
    tender_status = strict.CharField()
    portal_url = strict.CharField()
    items = TenderItemSerializer(many=True, source="items.all")


class OpportunitySerializer(strict.ModelSerializer):
    region: strict.SlugRelatedField = strict.SlugRelatedField(slug_field="iso_code", read_only=True, allow_null=True)
    tender = TenderSerializer(read_only=True, allow_null=True)
    audience_kinds = choice_list(OrganisationKind.choices, help_text="Для каких организаций")
    project_stages = choice_list(Stage.choices, help_text="Для каких стадий проекта")
    size_categories = choice_list(SizeCategory.choices, help_text="Категории МСП")
    okved_prefixes = serializers.ListField(
        child=strict.RegexField(OKVED_PREFIX, max_length=20), required=False, help_text="Начала кодов ОКВЭД2"
    )

    class Meta:
        model = Opportunity
        exclude = ["search_text", "provider"]
        read_only_fields = ["status", "verified_on", "created_at", "updated_at", "is_demo"]


class OpportunityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="noop", label="Полнотекстовый поиск (морфология русского языка)")
    kind = django_filters.ChoiceFilter(choices=OpportunityKind.choices)
    status = django_filters.ChoiceFilter(choices=OpportunityStatus.choices)
    region = django_filters.CharFilter(field_name="region__iso_code")
    closes_before = django_filters.DateFilter(field_name="closes_on", lookup_expr="lte")

    class Meta:
        model = Opportunity
        fields = ["q", "kind", "status", "region", "closes_before"]

    def noop(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset  # applied by the view through the search engine


class CatalogueAccess(permissions.BasePermission):
    """Reading is public (drafts aside); writing is the office's."""

    anonymous_methods = frozenset(permissions.SAFE_METHODS)  # the schema marks these operations public

    def has_permission(self, request: Request, view: Any) -> bool:
        return request.method in permissions.SAFE_METHODS or opportunity_rules.can_edit(request.user)


class EligibilityCheckSerializer(serializers.Serializer):
    rule = strict.CharField()
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    reason = strict.CharField()


class EligibilitySerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    verdict_label = strict.CharField()
    checks = EligibilityCheckSerializer(many=True)


class NamedRefSerializer(serializers.Serializer):
    id = strict.IntegerField()
    name = strict.CharField()


class ProjectRefSerializer(serializers.Serializer):
    id = strict.IntegerField()
    title = strict.CharField()


class ParticipantSerializer(serializers.Serializer):
    organisation = NamedRefSerializer()
    project = ProjectRefSerializer(allow_null=True)
    score = strict.FloatField()
    eligibility = EligibilitySerializer()
    matched_terms = serializers.ListField(child=strict.CharField())
    matched_codes = serializers.ListField(child=strict.CharField())


class MatchedOpportunitySerializer(serializers.Serializer):
    id = strict.IntegerField()
    title = strict.CharField()
    kind = serializers.ChoiceField(choices=OpportunityKind.choices)
    closes_on = strict.DateField(allow_null=True)
    amount_max = strict.FloatField(allow_null=True)


class MatchSerializer(serializers.Serializer):
    opportunity = MatchedOpportunitySerializer()
    score = strict.FloatField()
    eligibility = EligibilitySerializer()
    matched_terms = serializers.ListField(child=strict.CharField())
    matched_codes = serializers.ListField(child=strict.CharField())
    notes = serializers.ListField(child=strict.CharField())
    feedback = serializers.ChoiceField(choices=FeedbackVerdict.choices, allow_null=True)


SUBJECT_PARAMETERS = [
    id_parameter("organisation", description="Организация (если не указан project)"),
    id_parameter("project", description="Проект: подбор для его ведущей организации и самого проекта"),
]
SUBJECT_NOT_FOUND = {404: OpenApiResponse(ErrorSerializer, description="Возможность, организация или проект не найден")}


@extend_schema_view(
    list=extend_schema(summary="Каталог возможностей (публичный)"),
    retrieve=extend_schema(summary="Возможность"),
    create=extend_schema(summary="Добавить возможность (офис)"),
    partial_update=extend_schema(summary="Изменить возможность (офис)"),
    update=extend_schema(summary="Заменить возможность (офис)"),
)
class OpportunityViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = OpportunitySerializer
    permission_classes = [CatalogueAccess]
    filterset_class = OpportunityFilter

    def get_queryset(self) -> QuerySet:
        if self.action == "list":
            filters = {"q": self.request.query_params.get("q", "")[:200]}
            if self.request.query_params.get("status"):
                filters["status"] = self.request.query_params["status"]
            return opportunity_selectors.opportunity_list(user=self.request.user, filters=filters).prefetch_related(
                "tender__items"
            )
        return opportunity_selectors.opportunities_visible_to(self.request.user).select_related("region", "tender")

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        serializer.instance = opportunity_services.opportunity_create(
            actor=acting_user(self.request), data=dict(serializer.validated_data)
        )

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        assert serializer.instance is not None
        serializer.instance, _changed = opportunity_services.opportunity_update(
            actor=acting_user(self.request), opportunity=serializer.instance, data=dict(serializer.validated_data)
        )

    @extend_schema(
        summary="Подходящие участники региона (офис и грантодатель)",
        responses={200: ParticipantSerializer(many=True)},
    )
    @action(
        detail=True,
        methods=["get"],
        permission_classes=[permissions.IsAuthenticated],
        pagination_class=None,
        filter_backends=[],
    )
    def participants(self, request: Request, pk: str | None = None) -> Response:
        if not matching_rules.can_see_participants(request.user):
            raise exceptions.PermissionDenied()
        participants = match_participants(opportunity=self.get_object())
        return Response([_participant(p, request.user) for p in participants])

    @extend_schema(
        summary="Проверка соответствия требованиям (укажите organisation или project)",
        parameters=SUBJECT_PARAMETERS,
        responses={200: EligibilitySerializer, **SUBJECT_NOT_FOUND},
    )
    @action(
        detail=True,
        methods=["get"],
        permission_classes=[permissions.IsAuthenticated],
        pagination_class=None,
        filter_backends=[],
    )
    def eligibility(self, request: Request, pk: str | None = None) -> Response:
        organisation, project = _subject(request, request.query_params)
        result = check_eligibility(self.get_object(), organisation, project)
        return Response(_eligibility(eligibility_seen_by(request.user, organisation, result)))


class ClassifyRequest(serializers.Serializer):
    text = strict.CharField(max_length=20_000, allow_blank=True, trim_whitespace=False)
    scheme = serializers.ChoiceField(choices=SCHEMES)
    top = strict.IntegerField(min_value=1, max_value=50, default=5)


class CodeScoreSerializer(serializers.Serializer):
    code = strict.CharField()
    score = strict.FloatField()


class ClassifyResponse(serializers.Serializer):
    codes = CodeScoreSerializer(many=True)


@extend_schema(summary="Подбор кодов ОКПД2/ОКВЭД2 по тексту", request=ClassifyRequest, responses=ClassifyResponse)
@api_view(["POST"])
def classify_text(request: Request) -> Response:
    body = ClassifyRequest(data=request.data)
    body.is_valid(raise_exception=True)
    codes = classify(body.validated_data["text"], scheme=body.validated_data["scheme"], top=body.validated_data["top"])
    return Response({"codes": [{"code": c.code, "score": c.score} for c in codes]})


def _subject(request: Request, params: Any) -> tuple[Organisation, Project | None]:
    """The organisation and (optionally) project named in the query or body, if the user may see them."""
    project_id = query_int(params, "project", minimum=1, maximum=ID_MAX)
    organisation_id = query_int(params, "organisation", minimum=1, maximum=ID_MAX)
    if project_id:
        project = projects_visible_to(request.user).select_related("lead_organisation").filter(pk=project_id).first()
        if project is None:
            raise exceptions.NotFound()
        return project.lead_organisation, project
    if not organisation_id:
        raise exceptions.ValidationError({"organisation": ["Укажите organisation или project."]})
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    if not matching_rules.can_see_matches(request.user, organisation=organisation, project=None):
        raise exceptions.PermissionDenied()
    return organisation, None


def _eligibility(result: Eligibility) -> dict[str, Any]:
    return {
        "verdict": result.verdict.value,
        "verdict_label": result.verdict.label,
        "checks": [{"rule": c.rule, "outcome": c.outcome.value, "reason": c.reason} for c in result.checks],
    }


def _match(match: Match, eligibility: Eligibility) -> dict[str, Any]:
    o = match.opportunity
    return {
        "opportunity": {
            "id": o.pk,
            "title": o.title,
            "kind": o.kind,
            "closes_on": o.closes_on,
            "amount_max": o.amount_max,
        },
        "score": match.score,
        "eligibility": _eligibility(eligibility),
        "matched_terms": match.matched_terms,
        "matched_codes": match.matched_codes,
        "notes": match.notes,
        "feedback": match.feedback or None,
    }


def _participant(participant: Participant, user: AnyUser) -> dict[str, Any]:
    return {
        "organisation": {"id": participant.organisation.pk, "name": str(participant.organisation)},
        "project": {"id": participant.project.pk, "title": participant.project.title} if participant.project else None,
        "score": participant.score,
        "eligibility": _eligibility(eligibility_seen_by(user, participant.organisation, participant.eligibility)),
        "matched_terms": participant.matched_terms,
        "matched_codes": participant.matched_codes,
    }


@extend_schema(
    summary="Подходящие возможности для организации или проекта, с объяснением",
    parameters=[*SUBJECT_PARAMETERS, integer_parameter("limit", minimum=1, maximum=50, description="По умолчанию 10")],
    responses={200: MatchSerializer(many=True), **SUBJECT_NOT_FOUND},
)
@api_view(["GET"])
def matches(request: Request) -> Response:
    limit = query_int(request.query_params, "limit", minimum=1, maximum=50, default=10)
    assert limit is not None
    organisation, project = _subject(request, request.query_params)
    if not matching_rules.can_see_matches(request.user, organisation=organisation, project=project):
        raise exceptions.PermissionDenied()
    found = match_opportunities(organisation=organisation, project=project, limit=limit)
    return Response([_match(m, eligibility_seen_by(request.user, organisation, m.eligibility)) for m in found])


class FeedbackRequest(serializers.Serializer):
    opportunity = strict.PrimaryKeyRelatedField(queryset=Opportunity.objects.all())
    verdict = serializers.ChoiceField(choices=FeedbackVerdict.choices)
    organisation = strict.IntegerField(required=False, min_value=1, max_value=ID_MAX)
    project = strict.IntegerField(required=False, min_value=1, max_value=ID_MAX)


class FeedbackResponse(serializers.Serializer):
    id = strict.IntegerField()
    verdict = serializers.ChoiceField(choices=FeedbackVerdict.choices)


@extend_schema(
    summary="Отметить подбор: интересно или не подходит (укажите organisation или project)",
    request=FeedbackRequest,
    responses={201: FeedbackResponse, **SUBJECT_NOT_FOUND},
)
@api_view(["POST"])
def feedback(request: Request) -> Response:
    body = FeedbackRequest(data=request.data)
    body.is_valid(raise_exception=True)
    organisation, project = _subject(request, body.validated_data)
    mark = feedback_set(
        actor=acting_user(request),
        opportunity=body.validated_data["opportunity"],
        verdict=body.validated_data["verdict"],
        organisation=organisation,
        project=project,
    )
    return Response({"id": mark.pk, "verdict": mark.verdict}, status=status.HTTP_201_CREATED)


class SubscriptionSerializer(strict.ModelSerializer):
    kinds = choice_list(OpportunityKind.choices, help_text="Виды возможностей (пусто — все)")
    email = strict.EmailField(
        required=False,
        help_text="По умолчанию адрес учётной записи; другой адрес начинает работать после подтверждения",
    )
    email_confirmed = serializers.SerializerMethodField()

    class Meta:
        model = Subscription
        fields = ["id", "organisation", "query", "kinds", "email", "email_confirmed", "is_active"]
        fields += ["last_sent_at", "created_at"]
        read_only_fields = ["last_sent_at", "created_at"]

    def get_email_confirmed(self, subscription: Subscription) -> bool:
        return subscription.email_confirmed_at is not None


@extend_schema_view(
    list=extend_schema(summary="Мои подписки на дайджест"),
    create=extend_schema(summary="Подписаться на дайджест"),
    partial_update=extend_schema(summary="Изменить или приостановить подписку"),
    destroy=extend_schema(summary="Удалить подписку"),
)
class SubscriptionViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = SubscriptionSerializer
    http_method_names = ["get", "post", "patch", "delete"]

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Subscription.objects.none()
        return Subscription.objects.filter(user=acting_user(self.request)).order_by("pk")

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        serializer.instance = subscription_save(
            actor=acting_user(self.request),
            data=dict(serializer.validated_data),
        )

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        serializer.instance = subscription_save(
            actor=acting_user(self.request),
            data=dict(serializer.validated_data),
            subscription=serializer.instance,
        )

    def perform_destroy(self, instance: Subscription) -> None:
        subscription_delete(actor=acting_user(self.request), subscription=instance)
