"""Issued standard forms (biểu mẫu đã phát hành) of TT 03/2025/TT-VPCP.

One row per form issued for a dossier: Mẫu 01–05 for the workflow action that issues
them (keyed by its history row), Mẫu 06 (the control sheet) keyed by the latest history
row when it is printed. The PDF is rendered once, in the background, into private storage.
"""

import uuid

from django.db import models

from dossiers.storage import private_storage


class FormKind(models.TextChoices):
    """The standard forms (biểu mẫu) numbered as in TT 03/2025/TT-VPCP."""

    RECEIPT = "01", "Mẫu 01 – Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
    SUPPLEMENT = "02", "Mẫu 02 – Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"
    REFUSAL = "03", "Mẫu 03 – Phiếu từ chối tiếp nhận giải quyết hồ sơ"
    APOLOGY = "04", "Mẫu 04 – Văn bản xin lỗi và hẹn lại ngày trả kết quả"
    STOP = "05", "Mẫu 05 – Thông báo dừng giải quyết hồ sơ"
    CONTROL_SHEET = "06", "Mẫu 06 – Phiếu kiểm soát quá trình giải quyết hồ sơ"


def issued_form_path(instance: "IssuedForm", filename: str) -> str:
    """One fixed name per issued form, so a retried render never leaves a second file."""
    return f"forms/{instance.dossier.public_id}/mau-{instance.kind}-{instance.public_id.hex}.pdf"


class IssuedForm(models.Model):
    """A standard form issued for a dossier (biểu mẫu đã phát hành) and its PDF."""

    class State(models.TextChoices):
        PENDING = "pending", "Đang tạo"
        READY = "ready", "Sẵn sàng"
        FAILED = "failed", "Lỗi khi tạo"

    public_id = models.UUIDField("mã tham chiếu", default=uuid.uuid4, unique=True, editable=False)
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="issued_forms", verbose_name="hồ sơ"
    )
    kind = models.CharField("biểu mẫu", max_length=2, choices=FormKind.choices)
    change = models.ForeignKey(
        "dossiers.StatusChange",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="issued_forms",
        verbose_name="bước xử lý",
    )
    state = models.CharField("trạng thái", max_length=10, choices=State.choices, default=State.PENDING)
    file = models.FileField("tệp PDF", storage=private_storage, upload_to=issued_form_path, max_length=300, blank=True)
    error = models.TextField("lỗi", blank=True)
    created_at = models.DateTimeField("ngày tạo", auto_now_add=True)
    rendered_at = models.DateTimeField("thời điểm tạo tệp", null=True, blank=True)

    class Meta:
        verbose_name = "biểu mẫu đã phát hành"
        verbose_name_plural = "biểu mẫu đã phát hành"
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "kind", "change"], name="unique_issued_form"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.dossier})"

    @property
    def is_ready(self) -> bool:
        return self.state == self.State.READY and bool(self.file)

    @property
    def filename(self) -> str:
        return f"mau-{self.kind}-{self.dossier.code or self.dossier.public_id}.pdf"
