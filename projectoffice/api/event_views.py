"""API v1 for events: the public calendar, registration (same checks as the form) and the office's check-in."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from projectoffice.accounts.http import acting_user
from projectoffice.api import fields as strict
from projectoffice.api.queryparams import ID_MAX
from projectoffice.api.serializers import ErrorSerializer
from projectoffice.events import rules, services
from projectoffice.events.answers import answer_key
from projectoffice.events.models import Event, EventStatus, Question, Session


class SessionSerializer(strict.ModelSerializer):
    speakers: serializers.StringRelatedField = serializers.StringRelatedField(many=True)

    class Meta:
        model = Session
        fields = ["id", "title", "starts_at", "ends_at", "room", "online_url", "capacity", "speakers"]


class QuestionSerializer(strict.ModelSerializer):
    key = serializers.SerializerMethodField(help_text="Ключ ответа в answers при регистрации")

    class Meta:
        model = Question
        fields = ["key", "label", "kind", "choices", "required"]

    def get_key(self, question: Question) -> str:
        return answer_key(question)


class EventSerializer(strict.ModelSerializer):
    sessions = SessionSerializer(many=True, read_only=True)
    questions = QuestionSerializer(many=True, read_only=True)
    seats_left = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "id",
            "slug",
            "kind",
            "title",
            "description",
            "starts_at",
            "ends_at",
            "venue",
            "online_url",
            "capacity",
            "seats_left",
            "requires_approval",
            "status",
            "materials",
            "sessions",
            "questions",
        ]

    def get_seats_left(self, event: Event) -> int | None:
        return event.seats_left


class RegistrationRequest(serializers.Serializer):
    full_name = strict.CharField(max_length=200)
    email = strict.EmailField(max_length=254)
    organisation_name = strict.CharField(max_length=300, required=False, allow_blank=True, default="")
    phone = strict.CharField(max_length=40, required=False, allow_blank=True, default="")
    answers = serializers.DictField(
        required=False,
        default=dict,
        help_text="Ответы на вопросы мероприятия по их ключам (questions[].key); проверяются как в форме на странице",
    )
    consent = strict.BooleanField()
    sessions = serializers.ListField(
        child=strict.IntegerField(min_value=1, max_value=ID_MAX),
        required=False,
        default=list,
        help_text="Сессии с ограниченным числом мест",
    )

    def validate_consent(self, value: bool) -> bool:
        if not value:
            raise serializers.ValidationError(
                "Без согласия на обработку персональных данных зарегистрироваться нельзя."
            )
        return value


class CheckInRequest(serializers.Serializer):
    code = strict.CharField(max_length=32)
    session = strict.IntegerField(required=False, allow_null=True, min_value=1, max_value=ID_MAX)


class CheckInResponse(serializers.Serializer):
    ok = strict.BooleanField()
    message = strict.CharField()
    registration = strict.IntegerField(allow_null=True)


class RegistrationResponse(serializers.Serializer):
    status = strict.CharField()
    message = strict.CharField()


class PublicRead(permissions.BasePermission):
    anonymous_methods = frozenset({"GET", "HEAD", "OPTIONS", "POST"})  # the schema marks these operations public

    def has_permission(self, request: Request, view: object) -> bool:
        return True  # the actions check what they need


@extend_schema_view(
    list=extend_schema(summary="Мероприятия (публично)"), retrieve=extend_schema(summary="Мероприятие с программой")
)
class EventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = EventSerializer
    permission_classes = [PublicRead]
    lookup_field = "slug"

    def get_queryset(self) -> QuerySet:
        events = Event.objects.prefetch_related("sessions__speakers", "questions").order_by("starts_at")
        return events if rules.can_manage(self.request.user) else events.exclude(status=EventStatus.DRAFT)

    @extend_schema(
        summary="Регистрация (письмо с подтверждением придёт на e-mail)",
        request=RegistrationRequest,
        responses={201: RegistrationResponse, 429: ErrorSerializer},
    )
    @action(detail=True, methods=["post"], authentication_classes=[], permission_classes=[PublicRead])
    def register(self, request: Request, slug: str | None = None) -> Response:
        if rules.REGISTRATION_LIMIT.refused(request._request):
            raise exceptions.Throttled(detail=rules.REGISTRATION_LIMIT.refusal)
        body = RegistrationRequest(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            registration = services.registration_create(
                event=self.get_object(),
                email=data["email"],
                full_name=data["full_name"],
                organisation_name=data["organisation_name"],
                phone=data["phone"],
                answers=data["answers"],
                sessions=data["sessions"],
            )
        except services.RegistrationError as exc:
            raise exceptions.ValidationError({"email": [str(exc)]}) from None
        except ValidationError as exc:  # the answers: the same rules as the page's form
            raise exceptions.ValidationError({"answers": exc.message_dict}) from None
        rules.REGISTRATION_LIMIT.hit(request._request)
        return Response(
            {"status": registration.status, "message": "Проверьте почту и подтвердите регистрацию."},
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Отметить билет на входе (офис); 409 — билет уже отмечен или от другого мероприятия",
        request=CheckInRequest,
        responses={200: CheckInResponse, 409: CheckInResponse},
    )
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def checkin(self, request: Request, slug: str | None = None) -> Response:
        if not rules.can_manage(request.user):
            raise exceptions.PermissionDenied()
        body = CheckInRequest(data=request.data)
        body.is_valid(raise_exception=True)
        event = self.get_object()
        session = event.sessions.filter(pk=body.validated_data.get("session") or 0).first()
        result = services.check_in(
            actor=acting_user(request), event=event, code=body.validated_data["code"], session=session
        )
        return Response(
            {
                "ok": result.ok,
                "message": result.message,
                "registration": result.registration.pk if result.registration else None,
            },
            status=status.HTTP_200_OK if result.ok else status.HTTP_409_CONFLICT,
        )
