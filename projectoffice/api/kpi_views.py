"""API v1 for the KPI ledger: indicators with their figures, the records behind a figure, quarterly reports."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from projectoffice.accounts.http import acting_user
from projectoffice.api import fields as strict
from projectoffice.api.queryparams import integer_parameter, query_int
from projectoffice.kpis import ledger, rules, services
from projectoffice.kpis.models import Indicator, Method, QuarterlyReport

YEAR_PARAMETER = integer_parameter("year", minimum=2000, maximum=2100, description="По умолчанию текущий год")
QUARTER_PARAMETER = integer_parameter("quarter", minimum=1, maximum=4, description="По умолчанию весь год")


class Oversight(permissions.BasePermission):
    def has_permission(self, request: Request, view: object) -> bool:
        return rules.can_view(request.user)


def _year(request: Request) -> int:
    year = query_int(request.query_params, "year", minimum=2000, maximum=2100, default=timezone.localdate().year)
    assert year is not None
    return year


def _row(row: ledger.Row) -> dict[str, Any]:
    return {
        "code": row.indicator.code,
        "name": row.indicator.name,
        "unit": row.indicator.unit,
        "method": row.indicator.method,
        "year": row.year,
        "target_year": row.target_year,
        "facts": {str(q): v for q, v in sorted(row.facts.items())},
        "cumulative": row.cumulative,
        "fact_year": row.fact_year,
        "percent": row.percent,
        "forecast": row.forecast,
        "status": row.status,
        "status_rule": ledger.STATUS_RULE,
    }


class IndicatorRowSerializer(serializers.Serializer):
    """An indicator's figures for a year (what _row returns)."""

    code = strict.CharField()
    name = strict.CharField()
    unit = strict.CharField()
    method = serializers.ChoiceField(choices=Method.choices)
    year = strict.IntegerField()
    target_year = strict.FloatField(allow_null=True)
    facts = serializers.DictField(child=strict.FloatField(), help_text='Факт по кварталам: {"1": …}')
    cumulative = serializers.ListField(child=strict.FloatField(), help_text="Нарастающим итогом по кварталам")
    fact_year = strict.FloatField()
    percent = strict.FloatField(allow_null=True)
    forecast = strict.FloatField(allow_null=True)
    status = serializers.ChoiceField(choices=["on_track", "at_risk", "behind", "no_target"])
    status_rule = strict.CharField()


class RecordSerializer(serializers.Serializer):
    kind = strict.CharField()
    label = strict.CharField()  # type: ignore[assignment]  # the record's key, not Field.label
    url = strict.CharField()
    value = strict.CharField(help_text="Десятичное число строкой")
    day = strict.CharField()


class RecordsSerializer(serializers.Serializer):
    count = strict.IntegerField()
    total = strict.CharField(help_text="Десятичное число строкой")
    records = RecordSerializer(many=True)


class IndicatorSerializer(strict.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["code", "name", "unit", "direction", "method", "method_param", "is_public"]


@extend_schema_view(
    list=extend_schema(
        summary="Показатели со значениями за год",
        parameters=[YEAR_PARAMETER],
        responses=IndicatorRowSerializer(many=True),
    ),
    retrieve=extend_schema(
        summary="Показатель со значениями за год", parameters=[YEAR_PARAMETER], responses=IndicatorRowSerializer
    ),
)
class IndicatorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = IndicatorSerializer
    permission_classes = [Oversight]
    lookup_field = "code"
    pagination_class = None

    def get_queryset(self) -> QuerySet:
        return Indicator.objects.all()

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response([_row(r) for r in ledger.dashboard(year=_year(request))])

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(_row(ledger.dashboard(year=_year(request), indicators=[self.get_object()])[0]))

    @extend_schema(
        summary="Записи, из которых сложилось значение",
        parameters=[YEAR_PARAMETER, QUARTER_PARAMETER],
        responses=RecordsSerializer,
    )
    @action(detail=True, methods=["get"])
    def records(self, request: Request, code: str | None = None) -> Response:
        quarter_raw = request.query_params.get("quarter")
        quarter = None
        if quarter_raw:
            if quarter_raw not in {"1", "2", "3", "4"}:
                raise exceptions.ValidationError({"quarter": ["Квартал — от 1 до 4."]})
            quarter = int(quarter_raw)
        items = ledger.records_seen_by(request.user, self.get_object(), _year(request), quarter)
        return Response(
            {
                "count": len(items),
                "total": str(sum((r.value for r in items), 0)),
                "records": [r.as_dict() for r in items],
            }
        )


class ReportRequest(serializers.Serializer):
    year = strict.IntegerField(min_value=2000, max_value=2100)
    quarter = strict.IntegerField(min_value=1, max_value=4)


class ReportSerializer(strict.ModelSerializer):
    intact = serializers.SerializerMethodField()

    class Meta:
        model = QuarterlyReport
        fields = ["id", "year", "quarter", "status", "sha256", "submitted_at", "snapshot", "intact"]

    def get_intact(self, report: QuarterlyReport) -> bool | None:
        return ledger.verify(report) if report.snapshot else None


@extend_schema_view(
    list=extend_schema(summary="Квартальные отчёты"), retrieve=extend_schema(summary="Отчёт (снимок и его SHA-256)")
)
class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ReportSerializer
    permission_classes = [Oversight]

    def get_queryset(self) -> QuerySet:
        return QuarterlyReport.objects.all()

    @extend_schema(summary="Открыть отчёт за квартал (офис)", request=ReportRequest, responses={201: ReportSerializer})
    def create(self, request: Request) -> Response:
        if not rules.can_edit(request.user):
            raise exceptions.PermissionDenied()
        body = ReportRequest(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            report = services.report_get_or_create(
                year=body.validated_data["year"], quarter=body.validated_data["quarter"]
            )
        except ValidationError as exc:
            raise exceptions.ValidationError({"quarter": exc.messages}) from None
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Сдать и заморозить отчёт (офис)", request=None, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        if not rules.can_edit(request.user):
            raise exceptions.PermissionDenied()
        report = services.report_submit(actor=acting_user(request), report=self.get_object())
        return Response(ReportSerializer(report).data)
