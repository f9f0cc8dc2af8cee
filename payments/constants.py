"""States and kinds of the payments ledger."""

from django.db import models


class AttemptState(models.TextChoices):
    CREATED = "created", "Mới tạo"
    PENDING = "pending", "Đang chờ cổng thanh toán"
    SUCCEEDED = "succeeded", "Thành công"
    FAILED = "failed", "Không thành công"
    CANCELLED = "cancelled", "Người nộp hủy"
    EXPIRED = "expired", "Hết thời gian thanh toán"
    NEEDS_REVIEW = "needs_review", "Cần kiểm tra (có thể đã bị trừ tiền)"
    REFUNDED = "refunded", "Đã hoàn tiền"


class Method(models.TextChoices):
    VNPAY = "vnpay", "Trực tuyến qua VNPay"
    CASH = "cash", "Tiền mặt tại quầy"
    CARD = "card", "Thẻ ngân hàng tại quầy (POS)"
    TRANSFER = "transfer", "Chuyển khoản"


# Ways an officer takes a fee at the counter (thu tại quầy), each with the agency's receipt.
COUNTER_METHODS = (Method.CASH, Method.CARD)


class Source(models.TextChoices):
    """Who or what moved an attempt (for the audit rows)."""

    PORTAL = "portal", "Cổng"
    IPN = "ipn", "Thông báo kết quả (IPN)"
    QUERY = "query", "Tra cứu giao dịch"
    STATEMENT = "statement", "Đối soát sao kê"
    OFFICER = "officer", "Cán bộ"


class DiscrepancyKind(models.TextChoices):
    AMOUNT_MISMATCH = "amount_mismatch", "Số tiền không khớp"
    PAID_NOT_RECORDED = "paid_not_recorded", "Cổng đã thu, Cổng dịch vụ công chưa ghi nhận"
    RECORDED_NOT_PAID = "recorded_not_paid", "Đã ghi nhận nhưng cổng thanh toán không có"
    DUPLICATE = "duplicate", "Thu trùng"
    NEEDS_REVIEW = "needs_review", "Giao dịch nghi vấn, cần kiểm tra"
