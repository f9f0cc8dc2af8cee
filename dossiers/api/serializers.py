"""Dossier shapes of the API: what a citizen sends (a draft, its answers, a reason) and
what they get back (their dossier as the portal shows it to them)."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..constants import PUBLIC_LABELS, Status


class DossierCreate(serializers.Serializer):
    procedure = serializers.RegexField(
        r"^\d\.\d{6}$",
        help_text="Mã thủ tục quốc gia, ví dụ 1.001193",
        error_messages={"invalid": "Mã thủ tục có dạng 1.001193."},
    )
    agency = serializers.IntegerField(min_value=1, help_text="Cơ quan tiếp nhận (id trong /api/v1/agencies/)")
    case = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, help_text="Trường hợp, nếu thủ tục có"
    )


class Applicant(serializers.Serializer):
    applicant_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    applicant_id_number = serializers.CharField(required=False, allow_blank=True, max_length=20)
    applicant_phone = serializers.CharField(required=False, allow_blank=True, max_length=20)
    applicant_email = serializers.CharField(required=False, allow_blank=True, max_length=254)
    applicant_address = serializers.CharField(required=False, allow_blank=True, max_length=500)


class DossierUpdate(serializers.Serializer):
    applicant = Applicant(required=False)
    answers = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=5000),
        required=False,
        help_text="Nội dung tờ khai: mã trường → giá trị (các mã trong form_fields của thủ tục)",
    )


class Reason(serializers.Serializer):
    reason = serializers.CharField(max_length=4000, allow_blank=True)


class Upload(serializers.Serializer):
    files = serializers.ListField(
        # Empty files pass here so the upload check refuses them with its own message.
        child=serializers.FileField(allow_empty_file=True),
        min_length=1,
        max_length=20,
        help_text="Ảnh chụp (JPEG, PNG, HEIC) hoặc một PDF",
    )


class ProcedureRef(serializers.Serializer):
    code = serializers.CharField(source="procedure.national_code")
    name = serializers.CharField()
    version = serializers.IntegerField(source="number")


class AgencyRef(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class DossierRow(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    code = serializers.CharField(allow_null=True)
    status = serializers.IntegerField(help_text="Mã trạng thái quốc gia 1–10; 0 là bản nháp")
    status_label = serializers.SerializerMethodField()
    procedure = ProcedureRef(source="procedure_version")
    agency = AgencyRef()
    created_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)

    def get_status_label(self, obj) -> str:
        return PUBLIC_LABELS[Status(obj.status)]


class DocumentState(serializers.Serializer):
    id = serializers.IntegerField(help_text="Mã giấy tờ yêu cầu (dùng khi tải tệp lên)")
    name = serializers.CharField()
    required = serializers.BooleanField()
    presented_only = serializers.BooleanField()
    attached = serializers.BooleanField()
    pages = serializers.IntegerField()
    pdf_ready = serializers.BooleanField()


class TimelineStep(serializers.Serializer):
    at = serializers.DateTimeField()
    label = serializers.CharField(source="public_label")


class SupplementInfo(serializers.Serializer):
    items = serializers.CharField()
    reason = serializers.CharField()
    respond_by = serializers.DateField()
    requested_at = serializers.DateTimeField()


class FeeLineOut(serializers.Serializer):
    kind = serializers.CharField()
    code = serializers.CharField()
    name = serializers.CharField()
    amount = serializers.IntegerField()
    discount = serializers.IntegerField()
    exempt = serializers.BooleanField()
    due = serializers.IntegerField()


class PaymentDueOut(serializers.Serializer):
    amount = serializers.IntegerField(help_text="Còn phải nộp (đồng)")
    paid = serializers.IntegerField()
    lines = FeeLineOut(many=True, source="fees.lines")


class ResultOut(serializers.Serializer):
    number = serializers.CharField()
    issued_on = serializers.DateField()
    issuer = serializers.CharField()
    summary = serializers.CharField()
    file_url = serializers.CharField()


class DossierDetail(DossierRow):
    case = serializers.IntegerField(source="case_id", allow_null=True)
    channel = serializers.IntegerField(help_text="1 trực tiếp, 2 trực tuyến, 3 bưu chính công ích")
    received_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    applicant = serializers.SerializerMethodField()
    answers = serializers.DictField(source="form_data", child=serializers.CharField(allow_blank=True))
    documents = serializers.SerializerMethodField()
    missing = serializers.SerializerMethodField()
    supplement = serializers.SerializerMethodField()
    payment_due = serializers.SerializerMethodField()
    result = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()

    @extend_schema_field(Applicant())
    def get_applicant(self, obj):
        return {name: getattr(obj, name) for name in Applicant().fields}

    @extend_schema_field(DocumentState(many=True))
    def get_documents(self, obj):
        from .. import services

        attached = {d.required_document_id: d for d in obj.documents.all()}
        out = []
        for doc in services.required_documents_for(obj):
            held = attached.get(doc.pk)
            pages = len(held.pages.all()) if held else 0
            out.append(
                {
                    "id": doc.pk,
                    "name": doc.name,
                    "required": doc.required,
                    "presented_only": doc.presented_only,
                    "attached": bool(held and (held.stored_file_id or pages)),
                    "pages": pages,
                    "pdf_ready": bool(held and held.stored_file_id),
                }
            )
        return DocumentState(out, many=True).data

    def get_missing(self, obj) -> dict[str, str]:
        from .. import services

        if obj.status not in (Status.DRAFT, Status.SUPPLEMENT_REQUESTED):
            return {}
        return services.dossier_missing(obj)

    @extend_schema_field(SupplementInfo(allow_null=True))
    def get_supplement(self, obj):
        from .. import workflow

        if obj.status != Status.SUPPLEMENT_REQUESTED:
            return None
        found = workflow.open_supplement(obj)
        return SupplementInfo(found).data if found else None

    @extend_schema_field(PaymentDueOut(allow_null=True))
    def get_payment_due(self, obj):
        from payments.selectors import payment_due

        due = payment_due(obj)
        return PaymentDueOut(due).data if due else None

    @extend_schema_field(ResultOut(allow_null=True))
    def get_result(self, obj):
        from .. import selectors

        found = selectors.result_of(obj)
        if found is None:
            return None
        return {
            "number": found.number,
            "issued_on": found.issued_on,
            "issuer": found.issuer,
            "summary": found.summary,
            "file_url": reverse("dossiers:file", args=[found.stored_file.public_id]),
        }

    @extend_schema_field(TimelineStep(many=True))
    def get_timeline(self, obj):
        from .. import selectors

        return TimelineStep(selectors.public_timeline(obj), many=True).data


class PaymentStarted(serializers.Serializer):
    txn_ref = serializers.CharField()
    amount = serializers.IntegerField()
    redirect_url = serializers.URLField(help_text="Mở địa chỉ này để thanh toán qua cổng VNPay")


class Tracked(serializers.Serializer):
    code = serializers.CharField()
    status = serializers.IntegerField()
    status_label = serializers.CharField(source="public_status")
    procedure = serializers.CharField(source="procedure_name")
    agency = serializers.CharField(source="agency_name")
    submitted_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    timeline = TimelineStep(many=True)


class TrackQuery(serializers.Serializer):
    code = serializers.CharField(max_length=40, help_text="Mã hồ sơ")
    last_digits = serializers.RegexField(
        r"^\d{4}$",
        help_text="4 số cuối của số định danh hoặc số điện thoại người nộp",
        error_messages={"invalid": "Hãy nhập đúng 4 chữ số."},
    )
