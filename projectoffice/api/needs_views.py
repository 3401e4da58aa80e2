"""API v1 for the needs service.

- `needs`: anyone files a request through the public form's rules (the same service: INN check digits, consent,
  an offered subject, the per-address limit; the e-mail confirmation follows); reading is by role: the office and
  the grantor read every need, an expert or an IT company's member only the needs sent to them, and the contact
  person only once they took the need.
- `needs/solutions`: the IT solutions catalogue; anyone reads the published ones; members of the vendor (and the
  office) create and edit theirs; DELETE withdraws a solution from publication (matches keep pointing at it).
- `needs/matches`: the matches a user works on, and their status changes through the lifecycle (needs/lifecycle.py).
- `needs/landscape`: the anonymised landscape of demand, as on the public page.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.request import Request
from rest_framework.response import Response

from projectoffice.accounts.http import acting_user
from projectoffice.accounts.rules import can_oversee
from projectoffice.api import fields as strict
from projectoffice.api.serializers import ErrorSerializer
from projectoffice.lib.clients import client_address
from projectoffice.needs import landscape, lifecycle, rules, services
from projectoffice.needs.models import (
    BudgetBand,
    Deployment,
    Horizon,
    Match,
    MatchStatus,
    Municipality,
    Need,
    PriceBand,
    Solution,
    Subject,
)
from projectoffice.organisations.models import Organisation

ID = r"[0-9]+"


class PublicReadAndFile(permissions.BasePermission):
    """Reading is checked per object; anyone may file (POST) a request, as on the public form."""

    anonymous_methods = frozenset({"POST"})

    def has_permission(self, request: Request, view: Any) -> bool:
        return request.method == "POST" or bool(request.user and request.user.is_authenticated)


class PublicRead(permissions.BasePermission):
    anonymous_methods = frozenset(permissions.SAFE_METHODS)

    def has_permission(self, request: Request, view: Any) -> bool:
        return request.method in permissions.SAFE_METHODS or bool(request.user and request.user.is_authenticated)


# --- needs ---------------------------------------------------------------------------------------------------


class IntakeCreate(serializers.Serializer):
    inn = strict.CharField(max_length=12, help_text="ИНН предприятия (10 или 12 цифр, с контрольными цифрами)")
    organisation_name = strict.CharField(max_length=300, required=False, allow_blank=True, default="",
                                         help_text="Наименование, если предприятия нет в реестре")  # fmt: skip
    contact_name = strict.CharField(max_length=200)
    contact_email = strict.EmailField()
    contact_phone = strict.CharField(max_length=40, required=False, allow_blank=True, default="")
    contact_position = strict.CharField(max_length=200, required=False, allow_blank=True, default="")
    subject = strict.IntegerField(min_value=1, max_value=2**63 - 1, help_text="Предмет из таксономии")
    description = strict.CharField(max_length=10_000)
    budget_band = serializers.ChoiceField(choices=BudgetBand.choices, default=BudgetBand.UNKNOWN)
    horizon = serializers.ChoiceField(choices=Horizon.choices, default=Horizon.HALF_YEAR)
    municipality = strict.IntegerField(min_value=1, max_value=2**63 - 1, required=False, allow_null=True)
    consent = strict.BooleanField(help_text="Согласие на обработку персональных данных (152-ФЗ)")


class IntakeCreated(serializers.Serializer):
    request = strict.IntegerField(help_text="Номер обращения")
    status = strict.CharField()
    message = strict.CharField()


class NeedContactSerializer(serializers.Serializer):
    name = strict.CharField()
    email = strict.CharField()
    phone = strict.CharField()
    position = strict.CharField()


class NeedSerializer(serializers.ModelSerializer):
    subject = serializers.SerializerMethodField()
    municipality = serializers.SerializerMethodField()
    organisation = serializers.SerializerMethodField()
    status_label = serializers.SerializerMethodField()
    matches = serializers.SerializerMethodField(help_text="Отправки, видимые этому пользователю")
    contact = serializers.SerializerMethodField(help_text="Контактное лицо: офису, и адресату — после взятия в работу")

    class Meta:
        model = Need
        fields = ["id", "title", "description", "subject", "municipality", "organisation", "priority", "status",
                  "status_label", "created_at", "first_sent_at", "first_taken_at", "closed_at", "matches",
                  "contact"]  # fmt: skip

    def _visible(self, need: Need) -> list[Match]:
        user = self.context["request"].user
        return [m for m in need.matches.all() if can_oversee(user) or rules.can_work_on(user, m)]

    def get_subject(self, need: Need) -> str:
        return str(need.subject)

    def get_municipality(self, need: Need) -> str | None:
        return str(need.municipality) if need.municipality_id else None

    def get_organisation(self, need: Need) -> str:
        return str(need.organisation)

    def get_status_label(self, need: Need) -> str:
        return need.get_status_display()

    def get_matches(self, need: Need) -> list[int]:
        return [m.pk for m in self._visible(need)]

    @extend_schema_field(NeedContactSerializer(allow_null=True))
    def get_contact(self, need: Need) -> dict[str, str] | None:
        user = self.context["request"].user
        if not (can_oversee(user) or any(rules.can_see_contacts(user, m) for m in self._visible(need))):
            return None
        request = need.request
        return {"name": request.contact_name, "email": request.contact_email, "phone": request.contact_phone,
                "position": request.contact_position}  # fmt: skip


def needs_visible_to(user: Any) -> QuerySet[Need]:
    needs = Need.objects.filter(merged_into__isnull=True)
    if not can_oversee(user):
        mine = rules.matches_for(user).filter(need=OuterRef("pk"))
        needs = needs.filter(Exists(mine))
    return needs.select_related("subject__theme", "municipality", "organisation", "request").prefetch_related(
        Prefetch("matches", queryset=Match.objects.select_related("solution", "expert", "institution"))
    )


@extend_schema_view(
    list=extend_schema(summary="Потребности: офису и грантодателю — все, эксперту и ИТ-компании — отправленные им"),
    retrieve=extend_schema(summary="Потребность (контакты — офису и адресату после взятия в работу)"),
)
class NeedViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = NeedSerializer
    permission_classes = [PublicReadAndFile]
    lookup_value_regex = ID

    def get_queryset(self) -> QuerySet[Need]:
        return needs_visible_to(self.request.user).order_by("-created_at", "-pk")

    @extend_schema(
        summary="Подать обращение, как в публичной форме (ИНН, согласие, предмет; письмо для подтверждения)",
        request=IntakeCreate,
        responses={201: IntakeCreated, 429: ErrorSerializer},
    )
    def create(self, request: Request) -> Response:
        if rules.INTAKE_LIMIT.refused(request._request):
            raise exceptions.Throttled(detail=rules.INTAKE_LIMIT.refusal)
        body = IntakeCreate(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        subject = Subject.objects.filter(pk=data.pop("subject")).first()
        if subject is None:
            raise exceptions.ValidationError({"subject": ["Такого предмета нет."]})
        municipality_id = data.pop("municipality", None)
        municipality = Municipality.objects.filter(pk=municipality_id).first() if municipality_id else None
        if municipality_id and municipality is None:
            raise exceptions.ValidationError({"municipality": ["Такой территории нет."]})
        try:
            intake = services.intake_submit(
                services.IntakeData(subject=subject, municipality=municipality, source="API", **data),
                address=client_address(request._request),
            )
        except ValidationError as exc:
            raise exceptions.ValidationError(exc.message_dict) from None
        rules.INTAKE_LIMIT.hit(request._request)
        return Response(
            {"request": intake.pk, "status": intake.status,
             "message": "Проверьте почту и подтвердите обращение по ссылке из письма."},
            status=status.HTTP_201_CREATED,
        )  # fmt: skip


# --- solutions -----------------------------------------------------------------------------------------------


class SolutionSerializer(serializers.ModelSerializer):
    vendor = strict.PrimaryKeyRelatedField(queryset=Organisation.objects.all(), help_text="ИТ-компания из реестра")
    vendor_name = serializers.SerializerMethodField()
    subjects = strict.PrimaryKeyRelatedField(queryset=Subject.objects.all(), many=True, required=False)
    deployment = serializers.ChoiceField(choices=Deployment.choices, default=Deployment.CLOUD)
    price_band = serializers.ChoiceField(choices=PriceBand.choices, default=PriceBand.ON_REQUEST)
    okved_codes = serializers.ListField(child=strict.CharField(max_length=12), required=False, max_length=50)
    verified = serializers.SerializerMethodField()

    class Meta:
        model = Solution
        fields = ["id", "vendor", "vendor_name", "name", "description", "registry_number", "registry_class",
                  "okved_codes", "subjects", "deployment", "price_band", "certifications", "max_open_needs",
                  "published", "verified"]  # fmt: skip
        read_only_fields = ["id", "vendor_name", "verified"]

    def get_vendor_name(self, solution: Solution) -> str:
        return str(solution.vendor)

    def get_verified(self, solution: Solution) -> bool:
        return solution.verified_at is not None


@extend_schema_view(
    list=extend_schema(summary="ИТ-решения (публично — опубликованные; участникам разработчика и офису — и свои)"),
    retrieve=extend_schema(summary="ИТ-решение"),
    create=extend_schema(summary="Добавить решение (участник ИТ-компании-разработчика или офис)"),
    update=extend_schema(summary="Изменить решение (участник разработчика или офис; снимает отметку проверки)"),
    partial_update=extend_schema(summary="Изменить часть полей решения"),
)
class SolutionViewSet(viewsets.ModelViewSet):
    """A solution is never deleted (matches and cases refer to it): its members take it off publication with
    PATCH {"published": false}; there is no DELETE, so a removed resource never answers 200 again."""

    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    serializer_class = SolutionSerializer
    permission_classes = [PublicRead]
    lookup_value_regex = ID

    def get_queryset(self) -> QuerySet[Solution]:
        user = self.request.user
        rows = Solution.objects.select_related("vendor").prefetch_related("subjects").order_by("name", "pk")
        if can_oversee(user):
            return rows
        own = list(getattr(user, "organisation_ids", []) or []) if user.is_authenticated else []
        return rows.filter(Q(published=True) | Q(vendor_id__in=own))

    def _save(self, serializer: Any, solution: Solution | None) -> Solution:
        data = dict(serializer.validated_data)
        vendor = data.pop("vendor", None) or (solution.vendor if solution else None)
        subjects = data.pop("subjects", None)
        if vendor is None:
            raise exceptions.ValidationError({"vendor": ["Укажите ИТ-компанию — разработчика."]})
        if solution is not None and vendor.pk != solution.vendor_id:
            raise exceptions.ValidationError({"vendor": ["Разработчика решения не меняют."]})
        try:
            return services.solution_save(
                actor=acting_user(self.request), vendor=vendor, data=data, solution=solution,
                subjects=list(subjects) if subjects is not None else list(solution.subjects.all()) if solution else [],
            )  # fmt: skip
        except services.NeedsError as exc:
            raise exceptions.ValidationError({"vendor": [str(exc)]}) from None
        except ValidationError as exc:
            raise exceptions.ValidationError(exc.message_dict) from None

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        vendor = serializer.validated_data["vendor"]
        if not rules.can_edit_solutions_of(request.user, vendor.pk):
            raise PermissionDenied
        solution = self._save(serializer, None)
        return Response(self.get_serializer(solution).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        solution = self.get_object()
        if not rules.can_edit_solutions_of(request.user, solution.vendor_id):
            raise PermissionDenied
        serializer = self.get_serializer(solution, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        return Response(self.get_serializer(self._save(serializer, solution)).data)


# --- matches -------------------------------------------------------------------------------------------------


class NeedMatchSerializer(serializers.ModelSerializer):
    need: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    target = serializers.SerializerMethodField()
    status_label = serializers.SerializerMethodField()
    next_statuses = serializers.SerializerMethodField(help_text="Куда можно перевести; reopen — открыть заново")

    class Meta:
        model = Match
        fields = ["id", "need", "kind", "target", "status", "status_label", "reason", "reasons", "sent_at",
                  "taken_at", "closed_at", "reopened_count", "next_statuses"]  # fmt: skip

    def get_target(self, match: Match) -> str:
        return str(match.target)

    def get_status_label(self, match: Match) -> str:
        return match.get_status_display()

    def get_next_statuses(self, match: Match) -> list[str]:
        return lifecycle.next_statuses(match)


class MoveRequest(serializers.Serializer):
    status = serializers.ChoiceField(choices=[*MatchStatus.choices, (lifecycle.REOPEN, "открыть заново")])
    reason = strict.CharField(
        max_length=2000, required=False, allow_blank=True, default="", help_text="Для «не мой профиль» — обязательно"
    )


@extend_schema_view(
    list=extend_schema(summary="Отправки, с которыми работает пользователь (офису — все)"),
    retrieve=extend_schema(summary="Отправка"),
)
class MatchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = NeedMatchSerializer
    permission_classes = [permissions.IsAuthenticated]
    lookup_value_regex = ID

    def get_queryset(self) -> QuerySet[Match]:
        user = self.request.user
        rows = Match.objects.all() if can_oversee(user) else rules.matches_for(user)
        return rows.select_related("need", "expert__user", "solution__vendor", "institution").order_by(
            "-sent_at", "-pk"
        )

    @extend_schema(summary="Изменить статус отправки по её жизненному циклу (409 — переход не разрешён)",
                   request=MoveRequest, responses={200: NeedMatchSerializer, 409: ErrorSerializer})  # fmt: skip
    @action(detail=True, methods=["post"], url_path="status")
    def move(self, request: Request, pk: str | None = None) -> Response:
        match = self.get_object()
        if not rules.can_work_on(request.user, match):
            raise PermissionDenied
        body = MoveRequest(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            moved = lifecycle.move(match, body.validated_data["status"], actor=acting_user(request),
                                   reason=body.validated_data["reason"])  # fmt: skip
        except lifecycle.TransitionError as exc:
            raise Conflict(str(exc)) from None
        return Response(NeedMatchSerializer(moved).data)


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = "Конфликт с текущим состоянием объекта."


# --- the landscape -------------------------------------------------------------------------------------------


class GroupSerializer(serializers.Serializer):
    key = strict.CharField()
    label = strict.CharField()  # type: ignore[assignment]  # a field named like Field.label
    count = strict.IntegerField()
    helped = strict.IntegerField()


class LandscapeSerializer(serializers.Serializer):
    filters = serializers.DictField(child=strict.CharField())
    anonymised = strict.BooleanField()
    min_group = strict.IntegerField(allow_null=True)
    total = strict.IntegerField()
    helped = strict.IntegerField()
    closed = strict.IntegerField()
    subjects = GroupSerializer(many=True)
    industries = GroupSerializer(many=True)
    municipalities = GroupSerializer(many=True)
    months = GroupSerializer(many=True)


@extend_schema(
    summary="Ландшафт спроса (обезличенный: только количества, группы меньше 3 — в «Прочих»)",
    parameters=[
        OpenApiParameter("from", OpenApiTypes.STR, description="С месяца, ГГГГ-ММ"),
        OpenApiParameter("to", OpenApiTypes.STR, description="По месяц, ГГГГ-ММ"),
        OpenApiParameter("theme", OpenApiTypes.STR, description="Тема (номер)"),
        OpenApiParameter("subject", OpenApiTypes.STR, description="Предмет (номер)"),
        OpenApiParameter("municipality", OpenApiTypes.STR, description="Территория (номер)"),
        OpenApiParameter("industry", OpenApiTypes.STR, description="Класс ОКВЭД2, две цифры"),
    ],
    responses={200: LandscapeSerializer},
)
@api_view(["GET"])
@permission_classes([PublicRead])
def landscape_view(request: Request) -> Response:
    data = landscape.public(landscape.Filters.from_query(request.query_params))
    return Response(LandscapeSerializer(landscape.as_json(data)).data)
