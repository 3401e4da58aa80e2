"""API v1 for applications: the same services and rules as the builder pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from projectoffice.accounts.http import acting_user
from projectoffice.accounts.models import User
from projectoffice.api import fields as strict
from projectoffice.api.errors import PayloadTooLarge
from projectoffice.api.permissions import ApplicationAccess
from projectoffice.api.queryparams import ID_MAX, parse_whole, whole_number_error
from projectoffice.api.serializers import ErrorSerializer
from projectoffice.applications import rules, services
from projectoffice.applications.documents import PACKAGE_TYPES, build_package
from projectoffice.applications.models import Application, ApplicationStatus, BudgetItem, ExpertAssignment
from projectoffice.applications.readiness import readiness
from projectoffice.applications.review import review_summary
from projectoffice.applications.selectors import applications_visible_to
from projectoffice.lib.bounds import MONEY_MAX
from projectoffice.lib.upload_limits import upload_refusal
from projectoffice.opportunities.models import Opportunity
from projectoffice.projects.models import Project
from projectoffice.projects.selectors import projects_visible_to

VERSION_MAX = 2**31 - 1


class SectionSerializer(serializers.Serializer):
    id = strict.IntegerField()
    title = strict.CharField(source="section.title")
    text = strict.CharField()
    version = strict.IntegerField()
    min_chars = strict.IntegerField(source="section.min_chars")
    max_chars = strict.IntegerField(source="section.max_chars")


class BudgetItemSerializer(strict.ModelSerializer):
    class Meta:
        model = BudgetItem
        fields = ["id", "name", "own_funds", "requested", "cofinancing", "cofinancing_partner"]


class ApplicationSerializer(strict.ModelSerializer):
    project = strict.PrimaryKeyRelatedField(queryset=Project.objects.all())
    opportunity = strict.PrimaryKeyRelatedField(queryset=Opportunity.objects.filter(status="published"))
    template = strict.CharField(source="template.name", read_only=True)
    sections = SectionSerializer(many=True, read_only=True)
    budget = BudgetItemSerializer(many=True, read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "project",
            "opportunity",
            "template",
            "status",
            "deadline",
            "readiness",
            "readiness_at_submission",
            "submitted_on",
            "submission_number",
            "awarded_amount",
            "cofinancing_amount",
            "funder_feedback",
            "outcome_on",
            "sections",
            "budget",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [f for f in fields if f not in ("project", "opportunity")]


class SectionUpdate(serializers.Serializer):
    section = strict.IntegerField(min_value=1, max_value=ID_MAX)
    text = strict.CharField(allow_blank=True, trim_whitespace=False)
    base_version = strict.IntegerField(min_value=0, max_value=VERSION_MAX)


class ScoresRequest(serializers.Serializer):
    class Item(serializers.Serializer):
        criterion = strict.IntegerField(min_value=1, max_value=ID_MAX)
        value = strict.IntegerField(min_value=-100, max_value=100, help_text="В пределах шкалы критерия")
        comment = strict.CharField(allow_blank=True, required=False, default="", max_length=5000)

    scores = Item(many=True)


class SubmitRequest(serializers.Serializer):
    submitted_on = strict.DateField()
    number = strict.CharField(allow_blank=True, required=False, default="", max_length=100)


class OutcomeRequest(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=[ApplicationStatus.SUPPORTED, ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN]
    )
    decided_on = strict.DateField()
    awarded = strict.DecimalField(
        max_digits=16, decimal_places=2, min_value=0, max_value=MONEY_MAX, required=False, allow_null=True, default=None
    )
    cofinancing = strict.DecimalField(
        max_digits=16, decimal_places=2, min_value=0, max_value=MONEY_MAX, required=False, allow_null=True, default=None
    )
    feedback = strict.CharField(allow_blank=True, required=False, default="")


class ExpertRequest(serializers.Serializer):
    expert = strict.IntegerField(min_value=1, max_value=ID_MAX, help_text="Пользователь с ролью эксперта")


class GapSerializer(serializers.Serializer):
    area = strict.CharField()
    message = strict.CharField()
    url = strict.CharField()


class ReadinessSerializer(serializers.Serializer):
    score = strict.IntegerField(min_value=0, max_value=100)
    gaps = GapSerializer(many=True)


class AttachmentUpload(serializers.Serializer):
    """What the multipart body holds (read by the action itself)."""

    file = serializers.FileField()
    document = serializers.IntegerField(required=False, min_value=1, max_value=ID_MAX, help_text="Документ шаблона")


class AttachmentResponse(serializers.Serializer):
    id = strict.IntegerField()
    name = strict.CharField()
    type = strict.CharField()


class AssignmentResponse(serializers.Serializer):
    assignment = strict.IntegerField()


class ReviewCommentSerializer(serializers.Serializer):
    expert = strict.CharField()
    text = strict.CharField()


class ReviewCriterionSerializer(serializers.Serializer):
    name = strict.CharField()
    weight = strict.FloatField()
    mean = strict.FloatField(allow_null=True)
    spread = strict.IntegerField()
    comments = ReviewCommentSerializer(many=True)


class ReviewSerializer(serializers.Serializer):
    weighted_score = strict.FloatField(allow_null=True)
    experts = strict.IntegerField()
    completed = strict.IntegerField()
    criteria = ReviewCriterionSerializer(many=True)
    weakest = serializers.ListField(child=strict.CharField())


def _field(request: Request, name: str) -> int:
    data = request.data if isinstance(request.data, dict) else {}
    raw = data.get(name)
    if raw is None or raw == "":
        return 0
    value = parse_whole(str(raw), minimum=1, maximum=ID_MAX)
    if value is None:
        raise exceptions.ValidationError({name: [whole_number_error(1, ID_MAX)]})
    return value


def _readiness(application: Application) -> dict[str, Any]:
    score, gaps = readiness(application)
    return {"score": score, "gaps": [{"area": g.area, "message": g.message, "url": g.url} for g in gaps]}


@extend_schema_view(
    list=extend_schema(summary="Заявки, видимые пользователю"),
    retrieve=extend_schema(summary="Заявка с разделами и бюджетом"),
    create=extend_schema(
        summary="Создать заявку проекта на возможность (заполняется из карточки проекта)",
        responses={201: ApplicationSerializer, 404: OpenApiResponse(ErrorSerializer, description="Проект не найден")},
    ),
)
class ApplicationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = ApplicationSerializer
    permission_classes = [ApplicationAccess]

    def get_queryset(self) -> QuerySet:
        return applications_visible_to(self.request.user).prefetch_related("sections__section", "budget")

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        project = projects_visible_to(self.request.user).filter(pk=serializer.validated_data["project"].pk).first()
        if project is None:
            raise exceptions.NotFound()
        serializer.instance = services.application_create(
            actor=acting_user(self.request), project=project, opportunity=serializer.validated_data["opportunity"]
        )

    def _app(self) -> Application:
        return self.get_object()

    @extend_schema(summary="Готовность и пробелы", responses=ReadinessSerializer)
    @action(detail=True, methods=["get"])
    def readiness(self, request: Request, pk: str | None = None) -> Response:
        return Response(_readiness(self._app()))

    @extend_schema(
        summary="Сохранить раздел (409, если его изменили после base_version)",
        request=SectionUpdate,
        responses={200: SectionSerializer, 409: ErrorSerializer},
    )
    @action(detail=True, methods=["post"])
    def sections(self, request: Request, pk: str | None = None) -> Response:
        application = self._app()
        body = SectionUpdate(data=request.data)
        body.is_valid(raise_exception=True)
        section_text = application.sections.filter(pk=body.validated_data["section"]).first()
        if section_text is None:
            raise exceptions.NotFound()
        try:
            saved = services.section_save(
                actor=acting_user(request),
                section_text=section_text,
                text=body.validated_data["text"],
                base_version=body.validated_data["base_version"],
            )
        except services.SectionConflict as exc:
            current = SectionSerializer(exc.current).data
            return Response(
                {
                    "error": {
                        "code": "conflict",
                        "message": "Раздел уже изменили: ваш текст не сохранён.",
                        "fields": {"current": current},
                    }
                },
                status=status.HTTP_409_CONFLICT,
            )
        return Response(SectionSerializer(saved).data)

    @extend_schema(
        summary="Добавить статью бюджета", request=BudgetItemSerializer, responses={201: BudgetItemSerializer}
    )
    @action(detail=True, methods=["post"])
    def budget(self, request: Request, pk: str | None = None) -> Response:
        body = BudgetItemSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = services.budget_item_save(actor=acting_user(request), application=self._app(), data=body.validated_data)
        return Response(BudgetItemSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Приложить документ (multipart: document, file; не больше UPLOAD_MAX_BYTES)",
        request={"multipart/form-data": AttachmentUpload},
        responses={201: AttachmentResponse, 413: ErrorSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def attachments(self, request: Request, pk: str | None = None) -> Response:
        application = self._app()
        upload = request.FILES.get("file")
        refusal = upload_refusal(request._request)
        if refusal:
            raise PayloadTooLarge(detail=refusal)
        if upload is None:
            raise exceptions.ValidationError({"file": ["Нужен файл."]})
        document = application.template.documents.filter(pk=_field(request, "document")).first()
        attachment = services.attachment_add(
            actor=acting_user(request),
            application=application,
            document=document,
            data=upload.read(),
            filename=upload.name,
        )
        return Response(
            {"id": attachment.pk, "name": attachment.original_name, "type": attachment.detected_type},
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(summary="Назначить эксперта (офис)", request=ExpertRequest, responses={201: AssignmentResponse})
    @action(detail=True, methods=["post"])
    def experts(self, request: Request, pk: str | None = None) -> Response:
        body = ExpertRequest(data=request.data)
        body.is_valid(raise_exception=True)
        expert = User.objects.filter(pk=body.validated_data["expert"]).first()
        if expert is None:
            raise exceptions.ValidationError({"expert": ["Нет такого пользователя."]})
        try:
            assignment = services.expert_assign(actor=acting_user(request), application=self._app(), expert=expert)
        except services.ConflictOfInterest as exc:
            raise exceptions.ValidationError({"expert": [str(exc)]}) from None
        return Response({"assignment": assignment.pk}, status=status.HTTP_201_CREATED)

    def _assignment(self, request: Request) -> ExpertAssignment:
        assignment = ExpertAssignment.objects.filter(application=self._app(), expert=acting_user(request)).first()
        if assignment is None:
            raise exceptions.PermissionDenied("Вы не назначены экспертом этой заявки.")
        return assignment

    @extend_schema(summary="Эксперт заявляет об отсутствии конфликта интересов", request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def declare(self, request: Request, pk: str | None = None) -> Response:
        services.expert_declare(actor=acting_user(request), assignment=self._assignment(request))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(summary="Оценки эксперта по критериям", request=ScoresRequest, responses=ReviewSerializer)
    @action(detail=True, methods=["post"])
    def scores(self, request: Request, pk: str | None = None) -> Response:
        assignment = self._assignment(request)
        body = ScoresRequest(data=request.data)
        body.is_valid(raise_exception=True)
        entries = [
            services.ScoreEntry(criterion_id=item["criterion"], value=item["value"], comment=item["comment"])
            for item in body.validated_data["scores"]
        ]
        try:
            services.scores_save(actor=acting_user(request), assignment=assignment, entries=entries)
        except ValidationError as exc:
            raise exceptions.ValidationError({"scores": exc.messages}) from None
        return Response(self._review(request))

    def _review(self, request: Request) -> dict[str, Any]:
        summary = review_summary(self._app(), show_names=rules.can_see_expert_names(request.user))
        return {
            "weighted_score": summary.weighted_score,
            "experts": summary.experts,
            "completed": summary.completed,
            "criteria": [
                {
                    "name": c.name,
                    "weight": c.weight,
                    "mean": c.mean,
                    "spread": c.spread,
                    "comments": [{"expert": label, "text": text} for label, text in c.comments],
                }
                for c in summary.criteria
            ],
            "weakest": [c.name for c in summary.weakest],
        }

    @extend_schema(
        summary="Итоги экспертизы (имена экспертов — только офису и грантодателю)", responses=ReviewSerializer
    )
    @action(detail=True, methods=["get"])
    def review(self, request: Request, pk: str | None = None) -> Response:
        return Response(self._review(request))

    @extend_schema(summary="Отметить заявку поданной", request=SubmitRequest, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        body = SubmitRequest(data=request.data)
        body.is_valid(raise_exception=True)
        application = services.application_submit(
            actor=acting_user(request),
            application=self._app(),
            submitted_on=body.validated_data["submitted_on"],
            number=body.validated_data["number"],
        )
        return Response(ApplicationSerializer(application).data)

    @extend_schema(summary="Записать итог", request=OutcomeRequest, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def outcome(self, request: Request, pk: str | None = None) -> Response:
        body = OutcomeRequest(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        application = services.outcome_record(
            actor=acting_user(request),
            application=self._app(),
            outcome=data["outcome"],
            decided_on=data["decided_on"],
            awarded=data["awarded"],
            cofinancing=data["cofinancing"],
            feedback=data["feedback"],
        )
        return Response(ApplicationSerializer(application).data)

    @extend_schema(
        summary="Пакет документов",
        parameters=[OpenApiParameter("kind", str, enum=list(PACKAGE_TYPES), description="По умолчанию pdf")],
        responses={(200, media_type): OpenApiTypes.BINARY for media_type in PACKAGE_TYPES.values()},
    )
    @action(detail=True, methods=["get"], url_path="package")
    def package(self, request: Request, pk: str | None = None) -> HttpResponse:
        application = self._app()
        fmt = request.query_params.get("kind", "pdf")
        if fmt not in PACKAGE_TYPES:
            raise exceptions.ValidationError({"kind": ["docx, pdf или zip."]})
        package = build_package(application, fmt)
        disposition = content_disposition_header(True, package.filename)
        return HttpResponse(
            package.content, content_type=package.content_type, headers={"Content-Disposition": disposition}
        )

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, DjangoPermissionDenied):
            exc = exceptions.PermissionDenied(str(exc) or None)
        return super().handle_exception(exc)
