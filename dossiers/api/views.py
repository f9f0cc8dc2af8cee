"""A citizen's (or business's) own dossiers over the API: open a draft, fill it in, attach
files, submit, answer a supplement request, withdraw, pay, follow it. Thin: every rule is
in ``dossiers.services`` and the state machine, as for the pages; someone else's dossier
is simply not found."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from api.idempotency import idempotent
from api.permissions import PUBLIC, SIGNED_IN
from api.schema import IDEMPOTENCY_PARAMETER
from api.throttling import TrackingRateThrottle
from procedures.models import Agency
from procedures.selectors import version_to_file

from .. import limits, selectors, services, tracking
from . import serializers as s

TAG = ["Hồ sơ của tôi"]
NOT_FOUND = OpenApiResponse(description="Không tìm thấy hồ sơ (hoặc không phải hồ sơ của bạn)")
BAD = OpenApiResponse(description="Dữ liệu không hợp lệ: thông báo theo từng trường")
CONFLICT = OpenApiResponse(description="Thao tác không áp dụng cho trạng thái hiện tại của hồ sơ")


class NewestFirst(CursorPagination):
    ordering = "-created_at"
    page_size = 20


class OwnDossierView(GenericAPIView):
    permission_classes = SIGNED_IN
    required_scopes = {"GET": "dossiers:read", "POST": "dossiers:write", "PATCH": "dossiers:write"}

    def owned(self, public_id):
        dossier = selectors.dossier_of_owner(public_id, self.request.user)
        if dossier is None:
            raise Http404("Không tìm thấy hồ sơ.")
        return dossier

    def detail(self, dossier, code=status.HTTP_200_OK, headers=None) -> Response:
        fresh = selectors.dossier_of_owner(dossier.public_id, self.request.user)
        return Response(s.DossierDetail(fresh).data, status=code, headers=headers)


class DossierList(OwnDossierView):
    pagination_class = NewestFirst
    serializer_class = s.DossierRow

    @extend_schema(operation_id="dossiers_list", summary="Hồ sơ của tôi", responses=s.DossierRow(many=True), tags=TAG)
    def get(self, request):
        page = self.paginate_queryset(selectors.dossiers_of(request.user).order_by("-created_at"))
        return self.get_paginated_response(s.DossierRow(page, many=True).data)

    @extend_schema(
        operation_id="dossiers_create",
        summary="Mở bản nháp hồ sơ cho một thủ tục",
        request=s.DossierCreate,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: s.DossierDetail, 400: BAD, 409: OpenApiResponse(description="Khóa Idempotency-Key đã dùng")},
        tags=TAG,
    )
    @idempotent
    def post(self, request):
        body = s.DossierCreate(data=request.data)
        body.is_valid(raise_exception=True)
        v = body.validated_data
        version, refusal = version_to_file(v["procedure"])
        if version is None:
            return Response({"procedure": [refusal]}, status=400)
        agency = Agency.objects.filter(pk=v["agency"]).first()
        if agency is None:
            return Response({"agency": ["Không tìm thấy cơ quan."]}, status=400)
        case = version.cases.filter(pk=v.get("case")).first() if v.get("case") else None
        if v.get("case") and case is None:
            return Response({"case": ["Trường hợp này không thuộc thủ tục."]}, status=400)
        dossier = services.dossier_start(user=request.user, version=version, agency=agency, case=case)
        location = reverse("api:dossier", args=[dossier.public_id])
        return self.detail(dossier, status.HTTP_201_CREATED, {"Location": location})


class DossierDetailView(OwnDossierView):
    @extend_schema(
        operation_id="dossiers_read",
        summary="Một hồ sơ của tôi",
        responses={200: s.DossierDetail, 404: NOT_FOUND},
        tags=TAG,
    )
    def get(self, request, public_id):
        return Response(s.DossierDetail(self.owned(public_id)).data)

    @extend_schema(
        operation_id="dossiers_update",
        summary="Lưu thông tin người nộp và tờ khai (bản nháp hoặc khi bổ sung)",
        request=s.DossierUpdate,
        responses={200: s.DossierDetail, 400: BAD, 404: NOT_FOUND},
        tags=TAG,
    )
    def patch(self, request, public_id):
        dossier = self.owned(public_id)
        body = s.DossierUpdate(data=request.data)
        body.is_valid(raise_exception=True)
        v = body.validated_data
        services.dossier_save_draft(
            dossier=dossier, actor=request.user, applicant=v.get("applicant", {}), answers=v.get("answers", {})
        )
        return self.detail(dossier)


FILING_LIMIT = OpenApiResponse(
    description="Quá nhiều lần tải tệp hoặc nộp hồ sơ trong một giờ (chung với trang nộp hồ sơ); "
    "thử lại sau Retry-After giây"
)


def _filing_limited() -> Response:
    return Response({"detail": limits.FILING_LIMITED}, status=429, headers={"Retry-After": str(limits.RETRY_AFTER)})


class DocumentUpload(OwnDossierView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="dossiers_documents_upload",
        summary="Tải ảnh chụp hoặc PDF cho một giấy tờ",
        request={"multipart/form-data": s.Upload},
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: s.DossierDetail, 400: BAD, 404: NOT_FOUND, 409: CONFLICT, 429: FILING_LIMIT},
        tags=TAG,
    )
    @idempotent
    def post(self, request, public_id, document_id: int):
        dossier = self.owned(public_id)
        if limits.filing_limited(request):  # the same counter as the filing page's
            return _filing_limited()
        required = next((d for d in services.required_documents_for(dossier) if d.pk == document_id), None)
        if required is None:
            raise Http404("Hồ sơ không có giấy tờ này.")
        body = s.Upload(data={"files": request.FILES.getlist("files")})
        body.is_valid(raise_exception=True)
        try:
            services.document_add_files(
                dossier=dossier, required_document=required, files=body.validated_data["files"], actor=request.user
            )
        except ValidationError as exc:  # every refusal of an upload belongs to its field
            raise ValidationError({"files": exc.messages}) from None
        return self.detail(dossier, status.HTTP_201_CREATED)


class Submit(OwnDossierView):
    parser_classes = [JSONParser, FormParser]

    @extend_schema(
        operation_id="dossiers_submit",
        summary="Nộp hồ sơ (cấp mã hồ sơ)",
        request=None,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={200: s.DossierDetail, 400: BAD, 404: NOT_FOUND, 429: FILING_LIMIT},
        tags=TAG,
    )
    @idempotent
    def post(self, request, public_id):
        dossier = self.owned(public_id)
        if limits.filing_limited(request):
            return _filing_limited()
        dossier = services.dossier_submit(dossier=dossier, actor=request.user)
        return self.detail(dossier)


class SupplementSubmit(OwnDossierView):
    parser_classes = [JSONParser, FormParser]

    @extend_schema(
        operation_id="dossiers_supplement",
        summary="Gửi hồ sơ đã bổ sung theo yêu cầu",
        request=None,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={200: s.DossierDetail, 400: BAD, 404: NOT_FOUND, 409: CONFLICT},
        tags=TAG,
    )
    @idempotent
    def post(self, request, public_id):
        dossier = services.dossier_supplement_submit(dossier=self.owned(public_id), actor=request.user)
        return self.detail(dossier)


class Withdraw(OwnDossierView):
    @extend_schema(
        operation_id="dossiers_withdraw",
        summary="Rút hồ sơ chưa được tiếp nhận",
        request=s.Reason,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={200: s.DossierDetail, 400: BAD, 404: NOT_FOUND, 409: CONFLICT},
        tags=TAG,
    )
    @idempotent
    def post(self, request, public_id):
        dossier = self.owned(public_id)
        body = s.Reason(data=request.data)
        body.is_valid(raise_exception=True)
        services.dossier_withdraw(dossier=dossier, actor=request.user, reason=body.validated_data["reason"])
        return self.detail(dossier)


class PaymentStart(OwnDossierView):
    required_scopes = {"POST": "payments:write"}
    parser_classes = [JSONParser, FormParser]

    @extend_schema(
        operation_id="dossiers_pay",
        summary="Bắt đầu nộp phí, lệ phí trực tuyến (VNPay)",
        request=None,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: s.PaymentStarted, 400: BAD, 404: NOT_FOUND},
        tags=TAG,
    )
    @idempotent
    def post(self, request, public_id):
        from payments import selectors as payment_selectors
        from payments import services as payment_services

        dossier = self.owned(public_id)
        due = payment_selectors.payment_due(dossier)
        if due is None:
            return Response(
                {"non_field_errors": ["Hồ sơ này hiện không có khoản phí, lệ phí nào cần nộp trực tuyến."]}, status=400
            )
        attempt, url = payment_services.payment_start(
            dossier=dossier,
            due=due,
            payer=request.user,
            ip_address=request.META.get("REMOTE_ADDR", ""),
            return_url=request.build_absolute_uri(reverse("payments:vnpay_return")),
        )
        body = {"txn_ref": attempt.txn_ref, "amount": attempt.amount, "redirect_url": url}
        return Response(s.PaymentStarted(body).data, status=status.HTTP_201_CREATED)


class Track(GenericAPIView):
    """Public tracking, as on the tracking page: the code and four digits, nothing personal."""

    permission_classes = PUBLIC
    public_api = True  # anyone, without signing in (api.schema.PortalAutoSchema says so)
    throttle_classes = [TrackingRateThrottle]
    required_scopes = {"GET": "catalog:read"}

    @extend_schema(
        operation_id="tracking_read",
        summary="Tra cứu tiến độ hồ sơ",
        parameters=[s.TrackQuery],
        responses={
            200: s.Tracked,
            400: BAD,
            404: OpenApiResponse(description="Không tìm thấy hồ sơ khớp"),
            429: OpenApiResponse(description="Mã hồ sơ bị nhập sai nhiều lần: tạm khóa tra cứu một giờ"),
        },
        tags=["Tra cứu"],
    )
    def get(self, request):
        query = s.TrackQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        lookup = tracking.look_up(query.validated_data["code"], query.validated_data["last_digits"])
        if lookup.locked:
            return Response({"detail": lookup.refusal}, status=429, headers={"Retry-After": str(tracking.LOCK_SECONDS)})
        found = lookup.dossier
        if found is None:
            raise Http404("Không tìm thấy hồ sơ với mã và 4 chữ số này.")
        body = {
            "code": found.code,
            "status": found.status,
            "public_status": found.public_status,
            "procedure_name": found.procedure_name,
            "agency_name": found.agency_name,
            "submitted_at": found.submitted_at,
            "due_at": found.due_at,
            "timeline": selectors.public_timeline(found),
        }
        return Response(s.Tracked(body).data)
