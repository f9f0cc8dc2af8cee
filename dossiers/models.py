"""Dossiers (hồ sơ), their history, documents and the citizen's document wallet.

A dossier keeps the procedure version it was filed under. Its status changes only
through ``dossiers.workflow.dossier_transition``, which appends a ``StatusChange``
row; history rows are never edited.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .constants import NEXT_STEP_FOR_CITIZEN, PUBLIC_LABELS, Channel, OwnerType, ResultDelivery, Status, Step
from .storage import private_storage


class Dossier(models.Model):
    """An application for one administrative procedure."""

    public_id = models.UUIDField("mã tham chiếu", default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField("mã hồ sơ", max_length=40, unique=True, null=True, blank=True)
    procedure_version = models.ForeignKey(
        "procedures.ProcedureVersion", on_delete=models.PROTECT, related_name="dossiers", verbose_name="thủ tục"
    )
    case = models.ForeignKey(
        "procedures.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="trường hợp"
    )
    agency = models.ForeignKey(
        "procedures.Agency", on_delete=models.PROTECT, related_name="dossiers", verbose_name="cơ quan tiếp nhận"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name="chủ tài khoản",
    )
    owner_type = models.PositiveSmallIntegerField(
        "loại chủ hồ sơ", choices=OwnerType.choices, default=OwnerType.CITIZEN
    )
    channel = models.PositiveSmallIntegerField("kênh nộp", choices=Channel.choices, default=Channel.ONLINE)
    status = models.PositiveSmallIntegerField("trạng thái", choices=Status.choices, default=Status.DRAFT, db_index=True)

    applicant_name = models.CharField("họ tên người nộp", max_length=200, blank=True)
    applicant_id_number = models.CharField("số định danh người nộp", max_length=20, blank=True, db_index=True)
    applicant_phone = models.CharField("điện thoại", max_length=20, blank=True)
    applicant_email = models.EmailField("thư điện tử", blank=True)
    applicant_address = models.CharField("địa chỉ", max_length=500, blank=True)
    form_data = models.JSONField("nội dung tờ khai", default=dict, blank=True)

    created_at = models.DateTimeField("ngày tạo", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)
    submitted_at = models.DateTimeField("ngày nộp", null=True, blank=True)
    received_at = models.DateTimeField("ngày tiếp nhận", null=True, blank=True)
    due_at = models.DateTimeField("ngày hẹn trả", null=True, blank=True)
    finished_at = models.DateTimeField("ngày kết thúc xử lý", null=True, blank=True)
    withdraw_reason = models.TextField("lý do rút hồ sơ", blank=True)

    # Internal routing (bước xử lý), set only by the state machine.
    step = models.CharField("bước xử lý", max_length=20, choices=Step.choices, default=Step.DESK, blank=True)
    department = models.CharField("phòng, ban xử lý", max_length=200, blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_dossiers",
        verbose_name="chuyên viên xử lý",
    )
    step_due_at = models.DateTimeField("hạn của bước hiện tại", null=True, blank=True)
    transfer_agency = models.ForeignKey(
        "procedures.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transferred_dossiers",
        verbose_name="cơ quan phối hợp (liên thông)",
    )
    result_delivery = models.CharField(
        "nhận kết quả", max_length=10, choices=ResultDelivery.choices, default=ResultDelivery.ONLINE
    )
    delivery_address = models.CharField("địa chỉ nhận kết quả qua bưu điện", max_length=500, blank=True)
    counter_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="cán bộ nhập hồ sơ tại quầy",
    )

    class Meta:
        verbose_name = "hồ sơ"
        verbose_name_plural = "hồ sơ"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="dossier_owner_recent"),
            models.Index(fields=["agency", "status"], name="dossier_agency_status"),
            models.Index(fields=["agency", "status", "due_at"], name="dossier_queue"),
            models.Index(fields=["handler", "status"], name="dossier_handler"),
            models.Index(fields=["transfer_agency", "step"], name="dossier_transfer"),
            models.Index(fields=["applicant_name"], name="dossier_applicant_name"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=0) | Q(code__isnull=False),
                name="submitted_dossier_has_code",
            ),
        ]

    def __str__(self) -> str:
        return self.code or f"Bản nháp {self.public_id}"

    @property
    def public_status(self) -> str:
        return PUBLIC_LABELS[Status(self.status)]

    @property
    def next_step(self) -> str:
        return NEXT_STEP_FOR_CITIZEN[Status(self.status)]

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    # What templates ask of the status, by name (a template never compares a status number).
    @property
    def is_refused(self) -> bool:
        return self.status == Status.REFUSED

    @property
    def is_processing(self) -> bool:
        return self.status == Status.PROCESSING

    @property
    def is_returned(self) -> bool:
        return self.status == Status.RETURNED

    def get_absolute_url(self) -> str:
        return reverse("dossiers:detail", kwargs={"public_id": self.public_id})

    def get_officer_url(self) -> str:
        return reverse("desk:dossier", kwargs={"code": self.code})

    @property
    def step_label(self) -> str:
        return Step(self.step).label if self.status == Status.PROCESSING else Status(self.status).label


class StatusChange(models.Model):
    """One step in a dossier's history (quá trình xử lý): append-only."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="history", verbose_name="hồ sơ")
    from_status = models.PositiveSmallIntegerField("từ trạng thái", choices=Status.choices, null=True)
    to_status = models.PositiveSmallIntegerField("sang trạng thái", choices=Status.choices)
    action = models.CharField("thao tác", max_length=50)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="người thực hiện",
    )
    at = models.DateTimeField("thời điểm", default=timezone.now)
    note = models.TextField("ghi chú", blank=True)
    step_deadline = models.DateTimeField("hạn xử lý bước", null=True, blank=True)
    to_step = models.CharField("sang bước", max_length=20, choices=Step.choices, default=Step.DESK, blank=True)
    department = models.CharField("phòng, ban", max_length=200, blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="người nhận xử lý",
    )
    agency = models.ForeignKey(
        "procedures.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="cơ quan thực hiện",
    )

    class Meta:
        verbose_name = "quá trình xử lý"
        verbose_name_plural = "quá trình xử lý"
        ordering = ["at", "pk"]

    @property
    def to_processing(self) -> bool:
        """The change left the dossier in processing (status 4), where its step is told."""
        return self.to_status == Status.PROCESSING

    def __str__(self) -> str:
        return f"{self.dossier} {self.from_status}→{self.to_status}"

    @property
    def public_label(self) -> str:
        return PUBLIC_LABELS[Status(self.to_status)]

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValueError("Lịch sử xử lý hồ sơ không được sửa.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Lịch sử xử lý hồ sơ không được xóa.")


class DossierCodeCounter(models.Model):
    """Daily sequence per receiving agency for dossier codes ``<agency>-YYMMDD-XXXX``."""

    agency_code = models.CharField(max_length=20)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency_code", "day"], name="unique_code_counter")]

    def __str__(self) -> str:
        return f"{self.agency_code} {self.day:%y%m%d}: {self.last}"


def wallet_upload_path(instance: "StoredFile", filename: str) -> str:
    return f"wallet/{instance.owner_id}/{uuid.uuid4().hex}{_suffix(filename)}"


def _suffix(filename: str) -> str:
    dot = filename.rfind(".")
    return filename[dot:].lower()[:6] if dot != -1 else ""


class StoredFile(models.Model):
    """A file in a citizen's document wallet (kho dữ liệu): an upload or a result.

    Stored privately; served only to its owner and to officers handling a dossier
    that uses it.
    """

    class Kind(models.TextChoices):
        UPLOAD = "upload", "Giấy tờ đã tải lên"
        RESULT = "result", "Kết quả giải quyết"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wallet", verbose_name="chủ sở hữu"
    )
    kind = models.CharField("loại", max_length=10, choices=Kind.choices, default=Kind.UPLOAD)
    title = models.CharField("tên giấy tờ", max_length=500)
    file = models.FileField("tệp", storage=private_storage, upload_to=wallet_upload_path, max_length=300)
    content_type = models.CharField("kiểu tệp", max_length=100)
    size = models.PositiveBigIntegerField("dung lượng")
    sha256 = models.CharField(max_length=64)
    page_count = models.PositiveSmallIntegerField("số trang", default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    source_dossier = models.ForeignKey(
        Dossier, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="từ hồ sơ"
    )

    class Meta:
        verbose_name = "giấy tờ trong kho"
        verbose_name_plural = "kho giấy tờ"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class DossierDocument(models.Model):
    """What the citizen attached for one required document (thành phần hồ sơ).

    Phone photos arrive as ``DocumentPage`` rows and are combined into one PDF in
    the background (``file`` stays empty until then); a PDF upload or a wallet item
    fills ``file`` directly.
    """

    class RenderState(models.TextChoices):
        PENDING = "pending", "Đang ghép ảnh thành PDF"
        READY = "ready", "Sẵn sàng"
        FAILED = "failed", "Không ghép được"

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents", verbose_name="hồ sơ")
    required_document = models.ForeignKey(
        "procedures.RequiredDocument", on_delete=models.PROTECT, related_name="+", verbose_name="thành phần hồ sơ"
    )
    stored_file = models.ForeignKey(
        StoredFile, null=True, blank=True, on_delete=models.PROTECT, related_name="uses", verbose_name="tệp"
    )
    render_state = models.CharField(max_length=10, choices=RenderState.choices, default=RenderState.READY)
    render_key = models.CharField(max_length=64, blank=True, help_text="Hash of the pages the PDF was made from.")
    original_seen = models.BooleanField("đã đối chiếu bản chính", default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "giấy tờ của hồ sơ"
        verbose_name_plural = "giấy tờ của hồ sơ"
        constraints = [
            models.UniqueConstraint(fields=["dossier", "required_document"], name="one_attachment_per_slot"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier} – {self.required_document}"


def page_upload_path(instance: "DocumentPage", filename: str) -> str:
    return f"pages/{instance.document.dossier.public_id}/{uuid.uuid4().hex}{_suffix(filename)}"


class DocumentPage(models.Model):
    """One phone photo (page) of a document, already rotated and reduced."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    document = models.ForeignKey(DossierDocument, on_delete=models.CASCADE, related_name="pages")
    image = models.FileField(storage=private_storage, upload_to=page_upload_path, max_length=300)
    thumbnail = models.FileField(storage=private_storage, upload_to=page_upload_path, max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"Trang {self.order + 1} của {self.document}"


class CalendarDay(models.Model):
    """A day that breaks the Monday–Friday rule: a holiday (ngày nghỉ lễ, Tết) or a
    make-up working Saturday (ngày làm việc bù). Seeded from ``holidays.VN``, then
    edited by admins when the Government announces its yearly schedule."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", "Ngày nghỉ"
        WORKING = "working", "Ngày làm việc bù"

    date = models.DateField("ngày", unique=True)
    kind = models.CharField("loại", max_length=10, choices=Kind.choices, default=Kind.HOLIDAY)
    name = models.CharField("tên", max_length=200, blank=True)

    class Meta:
        verbose_name = "ngày nghỉ, ngày làm bù"
        verbose_name_plural = "lịch nghỉ lễ, làm bù"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} – {self.get_kind_display()}: {self.name}"


class SupplementRequest(models.Model):
    """A supplement request (yêu cầu bổ sung, Mẫu 02): what is missing and by when.

    The clock stops at ``requested_at`` and resumes at ``answered_at``; the dossier goes
    back to ``from_status`` when the citizen (or the desk, for paper) resubmits."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="supplements", verbose_name="hồ sơ")
    items = models.TextField("giấy tờ, nội dung cần bổ sung")
    reason = models.TextField("lý do", blank=True)
    respond_by = models.DateField("hạn bổ sung")
    from_status = models.PositiveSmallIntegerField(choices=Status.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_note = models.TextField("ghi chú khi bổ sung", blank=True)
    change = models.OneToOneField(
        StatusChange, null=True, blank=True, on_delete=models.PROTECT, related_name="supplement_request"
    )

    class Meta:
        verbose_name = "yêu cầu bổ sung"
        verbose_name_plural = "yêu cầu bổ sung"
        ordering = ["requested_at", "pk"]

    def __str__(self) -> str:
        return f"{self.dossier}: {self.items[:60]}"


class Result(models.Model):
    """The result of a dossier (kết quả giải quyết): a document with its number and date."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="result", verbose_name="hồ sơ")
    number = models.CharField("số, ký hiệu", max_length=100)
    issued_on = models.DateField("ngày ban hành")
    issuer = models.CharField("cơ quan ban hành", max_length=255)
    summary = models.CharField("trích yếu", max_length=500)
    stored_file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+", verbose_name="tệp kết quả")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="người ký",
        help_text="Lãnh đạo ký duyệt kết quả (chữ ký cuối của quy trình trình ký).",
    )
    signed_at = models.DateTimeField("ký lúc", null=True, blank=True)

    class Meta:
        verbose_name = "kết quả giải quyết"
        verbose_name_plural = "kết quả giải quyết"

    def __str__(self) -> str:
        return f"{self.number} ({self.dossier})"


class Handover(models.Model):
    """Hand-over of the result (trả kết quả): how, to whom, when."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="handover", verbose_name="hồ sơ")
    method = models.CharField("hình thức", max_length=10, choices=ResultDelivery.choices)
    receiver_name = models.CharField("người nhận", max_length=200)
    receiver_id_number = models.CharField("số giấy tờ người nhận", max_length=20, blank=True)
    tracking_number = models.CharField("số hiệu bưu gửi", max_length=50, blank=True)
    postal_fee = models.PositiveIntegerField("cước bưu chính (đồng)", default=0)
    handed_over_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        verbose_name = "trả kết quả"
        verbose_name_plural = "trả kết quả"

    def __str__(self) -> str:
        return f"{self.dossier} → {self.receiver_name}"


class Apology(models.Model):
    """Apology and new appointment date (văn bản xin lỗi và hẹn lại, Mẫu 04): at most
    once per dossier (the one-to-one key enforces it in the database)."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="apology", verbose_name="hồ sơ")
    reason = models.TextField("lý do chậm")
    old_due_at = models.DateTimeField("ngày hẹn cũ")
    new_due_at = models.DateTimeField("ngày hẹn mới")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        verbose_name = "văn bản xin lỗi, hẹn lại"
        verbose_name_plural = "văn bản xin lỗi, hẹn lại"

    def __str__(self) -> str:
        return f"{self.dossier}: {self.new_due_at:%d/%m/%Y}"


class Transfer(models.Model):
    """An inter-agency transfer (liên thông): sent to another agency and back."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="transfers", verbose_name="hồ sơ")
    to_agency = models.ForeignKey("procedures.Agency", on_delete=models.PROTECT, related_name="+")
    note = models.TextField("nội dung đề nghị phối hợp")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField()
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    return_note = models.TextField("kết quả phối hợp", blank=True)

    class Meta:
        verbose_name = "liên thông"
        verbose_name_plural = "liên thông"
        ordering = ["sent_at", "pk"]

    def __str__(self) -> str:
        return f"{self.dossier} → {self.to_agency}"


class PostalIntake(models.Model):
    """A dossier received through the post (bưu chính công ích): the hand-over record
    (biên bản giao nhận) whose signing is the legal moment of submission."""

    dossier = models.OneToOneField(
        Dossier, on_delete=models.CASCADE, related_name="postal_intake", verbose_name="hồ sơ"
    )
    record_number = models.CharField("số biên bản giao nhận", max_length=50)
    tracking_number = models.CharField("số hiệu bưu gửi", max_length=50)
    postal_fee = models.PositiveIntegerField("cước bưu chính (đồng)", default=0)
    handed_over_at = models.DateTimeField("thời điểm ký biên bản")
    postal_worker = models.CharField("nhân viên bưu điện", max_length=200, blank=True)

    class Meta:
        verbose_name = "tiếp nhận qua bưu chính"
        verbose_name_plural = "tiếp nhận qua bưu chính"

    def __str__(self) -> str:
        return f"{self.record_number} ({self.dossier})"
