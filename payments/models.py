"""The payments ledger: attempts (online or at the counter), their audited moves, and
the discrepancies reconciliation finds."""

from django.conf import settings
from django.db import models

from dossiers.storage import private_storage
from portal.text import thousands

from .constants import AttemptState, DiscrepancyKind, Method, Source


class PaymentAttempt(models.Model):
    """One attempt to pay a dossier's fees (lần thanh toán), online or at the counter.

    ``txn_ref`` is the reference sent to the gateway (``vnp_TxnRef``): unique. ``amount``
    is integer VND. ``state`` moves only through ``payments.services.attempt_move``."""

    txn_ref = models.CharField("mã giao dịch", max_length=40, unique=True)
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="payment_attempts", verbose_name="hồ sơ"
    )
    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    method = models.CharField("hình thức", max_length=10, choices=Method.choices)
    amount = models.PositiveBigIntegerField("số tiền (đồng)")
    lines = models.JSONField("các khoản phí, lệ phí", default=list, blank=True)
    state = models.CharField("trạng thái", max_length=15, choices=AttemptState.choices, default=AttemptState.CREATED)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    expires_at = models.DateTimeField("hết hạn lúc", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    succeeded_at = models.DateTimeField("thành công lúc", null=True, blank=True)
    gateway_transaction_no = models.CharField("mã giao dịch tại cổng", max_length=40, blank=True)
    bank_code = models.CharField("ngân hàng", max_length=20, blank=True)
    response_code = models.CharField("mã kết quả", max_length=4, blank=True)
    transaction_status = models.CharField("tình trạng giao dịch", max_length=4, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="cán bộ thu",
    )
    counter_receipt_number = models.CharField(
        "số biên lai thu tại quầy",
        max_length=50,
        blank=True,
        help_text="Số biên lai thu phí, lệ phí của cơ quan, khi cán bộ thu tại quầy (tiền mặt hoặc thẻ).",
    )

    class Meta:
        verbose_name = "lần thanh toán"
        verbose_name_plural = "lần thanh toán"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "created_at"], name="payment_attempt_state")]

    def __str__(self) -> str:
        return f"{self.txn_ref} – {thousands(self.amount)} đ – {self.get_state_display()}"


class FeeExemption(models.Model):
    """A fee line the applicant is exempt from on one dossier (miễn phí, lệ phí), recorded
    by a one-stop officer with the reason (the legal ground and the paper that proves it).
    The fee calculator (``payments.fees.dossier_fees``) counts the line as owing nothing."""

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="fee_exemptions", verbose_name="hồ sơ"
    )
    fee = models.ForeignKey("procedures.Fee", on_delete=models.PROTECT, related_name="+", verbose_name="khoản phí")
    reason = models.TextField("lý do miễn")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="cán bộ ghi nhận"
    )
    recorded_at = models.DateTimeField("ghi nhận lúc", auto_now_add=True)

    class Meta:
        verbose_name = "miễn phí, lệ phí"
        verbose_name_plural = "miễn phí, lệ phí"
        constraints = [models.UniqueConstraint(fields=["dossier", "fee"], name="unique_fee_exemption")]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.fee_id}"


class AttemptChange(models.Model):
    """An attempt's move (append-only audit): from, to, when, what caused it and its data."""

    attempt = models.ForeignKey(PaymentAttempt, on_delete=models.PROTECT, related_name="changes")
    from_state = models.CharField(max_length=15, choices=AttemptState.choices)
    to_state = models.CharField(max_length=15, choices=AttemptState.choices)
    at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=10, choices=Source.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)
    payload = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "thay đổi trạng thái thanh toán"
        verbose_name_plural = "thay đổi trạng thái thanh toán"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.attempt_id}: {self.from_state} → {self.to_state} ({self.source})"


def receipt_path(receipt: "Receipt", filename: str) -> str:
    return f"receipts/{receipt.attempt.dossier_id}/{receipt.number}.pdf"


class Receipt(models.Model):
    """The receipt (biên lai) of a succeeded attempt, as PDF: made once, on first need."""

    attempt = models.OneToOneField(PaymentAttempt, on_delete=models.PROTECT, related_name="receipt")
    number = models.CharField("số biên lai", max_length=30, unique=True)
    file = models.FileField(upload_to=receipt_path, storage=private_storage, max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "biên lai"
        verbose_name_plural = "biên lai"

    def __str__(self) -> str:
        return self.number


class Discrepancy(models.Model):
    """Something the ledger and the gateway disagree on (chênh lệch), for finance officers."""

    kind = models.CharField("loại", max_length=20, choices=DiscrepancyKind.choices)
    attempt = models.ForeignKey(
        PaymentAttempt, null=True, blank=True, on_delete=models.PROTECT, related_name="discrepancies"
    )
    txn_ref = models.CharField("mã giao dịch", max_length=100, blank=True)
    detail = models.JSONField("chi tiết", default=dict, blank=True)
    found_at = models.DateTimeField("phát hiện lúc", auto_now_add=True)
    resolved_at = models.DateTimeField("xử lý lúc", null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolution = models.TextField("cách xử lý", blank=True)

    class Meta:
        verbose_name = "chênh lệch thanh toán"
        verbose_name_plural = "chênh lệch thanh toán"
        ordering = ["-found_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.txn_ref}"
