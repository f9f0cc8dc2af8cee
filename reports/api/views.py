"""The QĐ 766 indices over the API (read only): the same figures as the KPI page for a
period, a tier or one agency, limited to the agencies the account may see."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from api.permissions import SIGNED_IN

from .. import selectors
from ..access import report_agencies
from ..filters import parse_filters

API_NAMES = {"ky": "period", "cap": "tier", "co_quan": "agency"}


class KpiQuery(serializers.Serializer):
    period = serializers.CharField(max_length=10, help_text="Tháng 2026-11, quý 2026-Q4 hoặc năm 2026")
    tier = serializers.CharField(required=False, allow_blank=True, max_length=20)
    agency = serializers.CharField(required=False, allow_blank=True, max_length=20)


class IndicatorOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    numerator = serializers.IntegerField(allow_null=True)
    denominator = serializers.IntegerField(allow_null=True)
    rate = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    points = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    max_points = serializers.IntegerField()
    threshold = serializers.IntegerField()


class GroupOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    max_points = serializers.IntegerField()
    points = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    indicators = IndicatorOut(many=True)


class EvaluationOut(serializers.Serializer):
    total = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    band = serializers.CharField()
    groups = GroupOut(many=True)


class AgencyScore(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    tier = serializers.CharField()
    total = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    band = serializers.CharField()


class KpiOut(serializers.Serializer):
    period = serializers.CharField()
    evaluation = EvaluationOut()
    figures = serializers.DictField(child=serializers.IntegerField())
    agencies = AgencyScore(many=True)


def _evaluation(ev) -> dict:
    return {
        "total": ev.total,
        "band": ev.band,
        "groups": [
            {
                "code": g.code,
                "name": g.name,
                "max_points": g.max_points,
                "points": g.points,
                "indicators": [
                    {
                        "code": sc.indicator.code,
                        "name": sc.indicator.name,
                        "numerator": sc.numerator,
                        "denominator": sc.denominator,
                        "rate": sc.rate,
                        "points": sc.points,
                        "max_points": sc.indicator.points,
                        "threshold": sc.indicator.threshold,
                    }
                    for sc in g.scores
                ],
            }
            for g in ev.groups
        ],
    }


class Kpi(GenericAPIView):
    permission_classes = SIGNED_IN
    required_scopes = {"GET": "reports:read"}

    @extend_schema(
        operation_id="reports_kpi",
        summary="Bộ chỉ số 766 của một kỳ",
        parameters=[KpiQuery],
        responses={
            200: KpiOut,
            400: OpenApiResponse(description="Kỳ, cấp hoặc cơ quan không hợp lệ"),
            403: OpenApiResponse(description="Tài khoản không được xem báo cáo"),
        },
        tags=["Báo cáo"],
    )
    def get(self, request):
        allowed = report_agencies(request.user)
        if allowed == []:
            raise PermissionDenied("Báo cáo dành cho lãnh đạo, quản trị đơn vị và quản trị cấp tỉnh.")
        query = KpiQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        v = query.validated_data
        filters = parse_filters({"ky": v["period"], "cap": v.get("tier", ""), "co_quan": v.get("agency", "")}, allowed)
        if filters.errors:
            return Response({API_NAMES[k]: [m] for k, m in filters.errors.items()}, status=400)
        board = selectors.board(filters.period, filters.agency_ids)
        body = {
            "period": v["period"],
            "evaluation": _evaluation(board["evaluation"]),
            "figures": {k: int(n) for k, n in board["figures"].items()},
            "agencies": [
                {
                    "id": row["agency"].pk,
                    "name": row["agency"].name,
                    "tier": row["agency"].tier,
                    "total": row["evaluation"].total,
                    "band": row["evaluation"].band,
                }
                for row in board["rows"]
            ],
        }
        return Response(KpiOut(body).data)
