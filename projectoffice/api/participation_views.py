"""API v1 for participation: processes, proposals (list, create, support, withdraw), their comments, the draft's
remarks with their dispositions (the register), and results. Anyone reads; participants write through the same
services as the pages; nothing hidden by moderation is ever in an answer."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from projectoffice.accounts.http import acting_user
from projectoffice.api import fields as strict
from projectoffice.api.errors import error_body
from projectoffice.api.serializers import ErrorSerializer
from projectoffice.lib import formats
from projectoffice.participation import rules, selectors, services
from projectoffice.participation.models import Category, Goal, Phase, Process, Proposal, ProposalStatus


class ParticipationAccess(permissions.BasePermission):
    """Reading is public; writing needs a signed-in participant (the services check phases and rules)."""

    anonymous_methods = frozenset(permissions.SAFE_METHODS)  # the schema marks these operations public

    def has_permission(self, request: Request, view: Any) -> bool:
        return request.method in permissions.SAFE_METHODS or bool(request.user and request.user.is_authenticated)


class GoalSerializer(strict.ModelSerializer):
    class Meta:
        model = Goal
        fields = ["code", "kind", "name"]


class PhaseSerializer(strict.ModelSerializer):
    class Meta:
        model = Phase
        fields = ["title", "starts_on", "ends_on", "actions"]


class ProcessSerializer(strict.ModelSerializer):
    goals = GoalSerializer(many=True, read_only=True)
    phases = PhaseSerializer(many=True, read_only=True)
    status = serializers.SerializerMethodField()

    class Meta:
        model = Process
        fields = [
            "slug",
            "title",
            "description",
            "starts_on",
            "ends_on",
            "status",
            "support_threshold",
            "goals",
            "phases",
        ]

    def get_status(self, process: Process) -> str:
        return process.status()


class ProposalSerializer(strict.ModelSerializer):
    process: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    author = serializers.SerializerMethodField()
    organisation = serializers.SerializerMethodField(help_text="От имени какой организации, если указана")
    goals: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    answer_state = serializers.SerializerMethodField()
    answer_text = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        fields = ["id", "process", "title", "body", "category", "goals", "author", "organisation", "status",
                  "supports_count", "answer_state", "answer_text", "project", "created_at"]  # fmt: skip

    def get_author(self, proposal: Proposal) -> str:
        return formats.person(proposal.author)

    def get_organisation(self, proposal: Proposal) -> str | None:
        return str(proposal.organisation) if proposal.organisation_id else None

    def _answer(self, proposal: Proposal) -> Any:
        answer = getattr(proposal, "answer", None)
        return answer if answer is not None and answer.published_at else None

    def get_answer_state(self, proposal: Proposal) -> str | None:
        answer = self._answer(proposal)
        return str(answer.state) if answer else None

    def get_answer_text(self, proposal: Proposal) -> str | None:
        answer = self._answer(proposal)
        return answer.text if answer else None


class ProposalCreate(serializers.Serializer):
    process = strict.CharField(max_length=80, help_text="Адрес процесса (slug)")
    title = strict.CharField(max_length=200)
    body = strict.CharField(max_length=10_000)
    category = serializers.ChoiceField(choices=Category.choices, default=Category.OTHER)
    goals = serializers.ListField(child=strict.CharField(max_length=40), required=False, default=list)
    organisation = strict.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**63 - 1)


class WithdrawRequest(serializers.Serializer):
    reason = strict.CharField(max_length=2_000)


class CommentSerializer(serializers.Serializer):
    id = strict.IntegerField()
    reply_to = strict.IntegerField(allow_null=True, help_text="Комментарий, на который это ответ")
    depth = strict.IntegerField()
    author = strict.CharField(allow_null=True)
    body = strict.CharField(allow_null=True, help_text="null, если комментарий удалён или скрыт модератором")
    stance = strict.CharField()
    up = strict.IntegerField()
    down = strict.IntegerField()
    created_at = serializers.DateTimeField()


class RemarkSerializer(serializers.Serializer):
    id = strict.IntegerField()
    version = strict.IntegerField()
    paragraph = strict.CharField()
    anchor = strict.CharField()
    quote = strict.CharField()
    text = strict.CharField()
    author = strict.CharField()
    organisation = strict.CharField(allow_null=True)
    disposition = strict.CharField()
    disposition_label = strict.CharField()
    justification = strict.CharField()
    up = strict.IntegerField(help_text="Голосов «за» замечание")
    down = strict.IntegerField(help_text="Голосов «против» замечания")


class ResultSerializer(serializers.Serializer):
    id = strict.IntegerField()
    part_of = strict.IntegerField(allow_null=True, help_text="Результат, в который входит этот")
    title = strict.CharField()
    progress = strict.IntegerField(allow_null=True)
    how = strict.CharField()
    proposals = serializers.ListField(child=strict.IntegerField())


def _visible_process(request: Request, slug: str) -> Process:
    process = get_object_or_404(Process.objects.prefetch_related("goals", "phases"), slug=slug)
    if not rules.can_view_process(request.user, process):
        raise Http404
    return process


@extend_schema_view(
    list=extend_schema(summary="Процессы участия (публично)"),
    retrieve=extend_schema(summary="Процесс с этапами и целями"),
)
class ProcessViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ProcessSerializer
    permission_classes = [ParticipationAccess]
    lookup_field = "slug"

    def get_queryset(self) -> QuerySet:
        rows = Process.objects.prefetch_related("goals", "phases").order_by("-starts_on", "pk")
        return rows if rules.can_manage(self.request.user) else rows.filter(is_published=True)

    @extend_schema(summary="Таблица учёта замечаний и предложений (скрытые модератором не входят)",
                   responses=RemarkSerializer(many=True))  # fmt: skip
    @action(detail=True, methods=["get"], pagination_class=None)
    def remarks(self, request: Request, slug: str | None = None) -> Response:
        rows = [{
            "id": r.pk, "version": r.paragraph.version.number, "paragraph": r.paragraph.number,
            "anchor": r.paragraph.anchor, "quote": r.quote, "text": r.text, "author": formats.person(r.author),
            "organisation": str(r.organisation) if r.organisation_id else None, "disposition": r.disposition,
            "disposition_label": r.get_disposition_display(), "justification": r.justification,
            "up": r.up, "down": r.down,
        } for r in selectors.register(self.get_object())]  # fmt: skip
        return Response(RemarkSerializer(rows, many=True).data)

    @extend_schema(summary="Результаты процесса с вычисленным прогрессом", responses=ResultSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def results(self, request: Request, slug: str | None = None) -> Response:
        rows = [{
            "id": row.result.pk, "part_of": row.result.parent_id, "title": row.result.title,
            "progress": row.progress.percent, "how": row.progress.how,
            "proposals": [p.pk for p in row.result.proposals.all()],
        } for row in selectors.accountability_results(self.get_object())]  # fmt: skip
        return Response(ResultSerializer(rows, many=True).data)


@extend_schema_view(
    list=extend_schema(
        summary="Предложения (публично; скрытые модератором не входят)",
        parameters=[
            OpenApiParameter("process", OpenApiTypes.STR, description="Адрес процесса (slug)"),
        ],
    ),
    retrieve=extend_schema(summary="Предложение с опубликованным ответом офиса"),
)
class ProposalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ProposalSerializer
    permission_classes = [ParticipationAccess]

    def get_queryset(self) -> QuerySet:
        rows = (
            Proposal.objects.shown()
            .select_related("process", "author", "organisation", "answer__state")
            .prefetch_related("goals")
            .order_by("-created_at", "-pk")
        )
        if not rules.can_manage(self.request.user):
            rows = rows.filter(process__is_published=True)
        if self.action == "list":
            rows = rows.filter(status=ProposalStatus.PUBLISHED)
            process = self.request.query_params.get("process", "")
            if process:
                rows = rows.filter(process__slug=process[:80])
        return rows

    @extend_schema(summary="Подать предложение (участник; этап процесса должен это разрешать)",
                   request=ProposalCreate,
                   responses={201: ProposalSerializer,
                              404: OpenApiResponse(ErrorSerializer, description="Процесс не найден")})  # fmt: skip
    def create(self, request: Request) -> Response:
        body = ProposalCreate(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        process = _visible_process(request, data.pop("process"))  # 404 for a process that is not there or hidden
        codes = data.pop("goals")
        data["goals"] = list(Goal.objects.filter(code__in=codes))
        if len(data["goals"]) != len(set(codes)):
            raise serializers.ValidationError({"goals": ["Неизвестный код цели."]})
        organisation_id = data.pop("organisation", None)
        if organisation_id:
            membership = acting_user(request).memberships.select_related("organisation").filter(
                organisation_id=organisation_id).first()  # fmt: skip
            if membership is None:
                raise serializers.ValidationError(
                    {"organisation": ["От имени организации подают только её участники."]}
                )
            data["organisation"] = membership.organisation
        proposal = services.proposal_create(actor=acting_user(request), process=process, data=data)
        return Response(ProposalSerializer(proposal).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Поддержать предложение (один раз; 409 — уже поддержано)", request=None,
                   responses={201: ProposalSerializer, 409: ErrorSerializer})  # fmt: skip
    @action(detail=True, methods=["post"])
    def support(self, request: Request, pk: str | None = None) -> Response:
        proposal = self.get_object()
        try:
            services.support_add(actor=acting_user(request), proposal=proposal)
        except services.AlreadySupported as exc:
            return Response(error_body("conflict", exc.messages[0]), status=status.HTTP_409_CONFLICT)
        proposal.refresh_from_db()
        return Response(ProposalSerializer(proposal).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Отозвать своё предложение с причиной", request=WithdrawRequest,
                   responses={200: ProposalSerializer})  # fmt: skip
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        body = WithdrawRequest(data=request.data)
        body.is_valid(raise_exception=True)
        proposal = services.proposal_withdraw(actor=acting_user(request), proposal=self.get_object(),
                                              reason=body.validated_data["reason"])  # fmt: skip
        return Response(ProposalSerializer(proposal).data)

    @extend_schema(summary="Обсуждение предложения по порядку чтения (текст скрытых и удалённых — null)",
                   responses=CommentSerializer(many=True))  # fmt: skip
    @action(detail=True, methods=["get"], pagination_class=None)
    def comments(self, request: Request, pk: str | None = None) -> Response:
        rows = []
        for c in selectors.thread(proposal=self.get_object()):
            rows.append({"id": c.pk, "reply_to": c.parent, "depth": c.depth, "stance": c.stance, "up": c.up,
                         "down": c.down, "created_at": c.created_at, "body": c.body if c.shown else None,
                         "author": c.author if c.shown else None})  # fmt: skip
        return Response(CommentSerializer(rows, many=True).data)
