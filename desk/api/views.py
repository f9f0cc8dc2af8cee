"""The officers' side over the API: their queues, a queue's dossiers, one dossier with the
actions they may take, and taking one. Scoped as the pages are
(``accounts.access.OfficerScope``); the state machine decides, and answers a move that no
longer applies with 409."""

import json

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from api.idempotency import idempotent
from api.permissions import SIGNED_IN
from api.schema import IDEMPOTENCY_PARAMETER
from dossiers import processing, workflow
from dossiers.selectors import actor_context
from privacy import services as privacy
from privacy.constants import AccessChannel, AccessKind

from .. import selectors
from . import serializers as s

TAG = ["Cán bộ xử lý hồ sơ"]
NOT_FOUND = OpenApiResponse(description="Không tìm thấy hồ sơ trong các cơ quan bạn phục vụ")


class OfficerView(GenericAPIView):
    permission_classes = SIGNED_IN
    required_scopes = {"GET": "desk:read", "POST": "desk:act"}

    def scope(self):
        scope = selectors.officer_scope(self.request.user)
        if scope.is_empty:
            from rest_framework.exceptions import PermissionDenied

            raise PermissionDenied("Dành cho cán bộ được phân công vào cơ quan.")
        return scope

    def dossier(self, code: str, scope):
        found = selectors.officer_dossier(code, scope) if len(code) <= 40 else None
        if found is None:
            raise Http404("Không tìm thấy hồ sơ trong các cơ quan bạn phục vụ.")
        return found

    def detail(self, dossier, scope) -> Response:
        """The dossier as the officer sees it; recorded in the access log."""
        privacy.access_record(
            request=self.request,
            kind=AccessKind.DOSSIER,
            dossier=dossier,
            assignments=scope.assignment_rows(),
            channel=AccessChannel.API,
        )
        ctx = actor_context(self.request.user, dossier, scope.assignment_rows())
        actions = workflow.allowed_actions(dossier, self.request.user, ctx)
        return Response(s.OfficerDossier(dossier, context={"actions": actions}).data)


class Queues(OfficerView):
    @extend_schema(
        operation_id="desk_queues", summary="Các hàng đợi của tôi", responses=s.QueueOut(many=True), tags=TAG
    )
    def get(self, request):
        rows = [
            {"key": q.key, "label": q.label, "hint": q.hint, "count": n} for q, n in selectors.queues_for(self.scope())
        ]
        return Response(s.QueueOut(rows, many=True).data)


class QueueDossiers(OfficerView):
    @extend_schema(
        operation_id="desk_queue_read",
        summary="Hồ sơ trong một hàng đợi (gần hạn trước)",
        parameters=[s.QueueQuery],
        responses={200: s.QueuePage, 404: OpenApiResponse(description="Hàng đợi không có hoặc không phải của bạn")},
        tags=TAG,
    )
    def get(self, request, key: str):
        scope = self.scope()
        query = s.QueueQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        v = query.validated_data
        if key not in selectors.QUEUE_BY_KEY:
            raise Http404("Hàng đợi không tồn tại.")
        filters = selectors.QueueFilters(
            q=v.get("q", ""),
            procedure=str(v.get("procedure", "")),
            channel=str(v.get("channel", "")),
            status=str(v.get("status", "")),
            date_from=v.get("date_from"),
            date_to=v.get("date_to"),
        )
        from django.utils import timezone

        if selectors.queue_filter(key, scope, timezone.now()) is None:
            raise Http404("Hàng đợi này không phải của bạn.")
        page = v.get("page", 1)
        rows, more = selectors.queue_dossiers(key, scope, filters, page=page)
        asked = {name: str(value) for name, value in v.items() if name != "page"}
        privacy.queue_viewed(
            request=request, key=key, params=asked, page=page, rows=rows, scope=scope, channel=AccessChannel.API
        )
        return Response(s.QueuePage({"queue": key, "page": page, "has_next": more, "results": rows}).data)


class OfficerDossierView(OfficerView):
    @extend_schema(
        operation_id="desk_dossier_read",
        summary="Hồ sơ và các thao tác tôi được làm",
        responses={200: s.OfficerDossier, 404: NOT_FOUND},
        tags=TAG,
    )
    def get(self, request, code: str):
        scope = self.scope()
        return self.detail(self.dossier(code, scope), scope)


class Act(OfficerView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        operation_id="desk_dossier_act",
        summary="Thực hiện một thao tác với hồ sơ",
        request={"application/json": s.ActionIn, "multipart/form-data": s.ActionIn},
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={
            200: s.OfficerDossier,
            400: OpenApiResponse(description="Dữ liệu không hợp lệ: thông báo theo từng trường"),
            403: OpenApiResponse(description="Bạn không có quyền thực hiện thao tác này"),
            404: NOT_FOUND,
            409: OpenApiResponse(description="Thao tác không áp dụng cho hồ sơ lúc này"),
        },
        tags=TAG,
    )
    @idempotent
    def post(self, request, code: str, action: str):
        scope = self.scope()
        dossier = self.dossier(code, scope)
        if action not in workflow.ACTIONS or workflow.OWNER in workflow.ACTIONS[action].roles:
            raise Http404("Thao tác không tồn tại.")
        raw = request.data.get("data", {})
        if isinstance(raw, str):  # multipart: the fields as one JSON text
            try:
                raw = json.loads(raw or "{}")
            except ValueError:
                return Response({"data": ["Trường data phải là một đối tượng JSON."]}, status=400)
        body = s.ActionIn(data={"note": request.data.get("note", ""), "data": raw})
        body.is_valid(raise_exception=True)
        data = workflow.ACTIONS[action].data_from(body.validated_data.get("data", {}))
        processing.dossier_act(
            dossier=dossier,
            action=action,
            actor=request.user,
            note=body.validated_data.get("note", ""),
            data=data,
            upload=request.FILES.get("file"),
        )
        return self.detail(self.dossier(code, scope), scope)
