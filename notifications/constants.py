"""What a notification is about, how it travels, and where it stands."""

from django.db import models


class Channel(models.TextChoices):
    EMAIL = "email", "Thư điện tử"
    SMS = "sms", "Tin nhắn SMS"
    IN_APP = "in_app", "Thông báo trên Cổng"


class Event(models.TextChoices):
    """Events that notify someone. Citizens' events follow the dossier's workflow actions
    (``EVENT_OF_ACTION``); officers' come from assignment and the daily deadline digests."""

    SUBMITTED = "submitted", "Đã nộp hồ sơ"
    RECEIVED = "received", "Đã tiếp nhận hồ sơ, hẹn trả kết quả"
    SUPPLEMENT_REQUESTED = "supplement_requested", "Yêu cầu bổ sung hồ sơ"
    SUPPLEMENT_RECEIVED = "supplement_received", "Đã nhận hồ sơ bổ sung"
    REFUSED = "refused", "Từ chối tiếp nhận hồ sơ"
    PAYMENT_REQUESTED = "payment_requested", "Yêu cầu nộp phí, lệ phí"
    PAYMENT_CONFIRMED = "payment_confirmed", "Đã xác nhận nộp phí, lệ phí"
    RESULT_READY = "result_ready", "Đã có kết quả"
    RESULT_HANDED_OVER = "result_handed_over", "Đã trả kết quả"
    APOLOGY = "apology", "Xin lỗi và hẹn lại ngày trả kết quả"
    STOPPED = "stopped", "Dừng xử lý hồ sơ"
    WITHDRAWN = "withdrawn", "Đã rút hồ sơ"
    SUPPLEMENT_DUE = "supplement_due", "Nhắc hạn bổ sung hồ sơ"
    FEEDBACK_ANSWERED = "feedback_answered", "Phản ánh, kiến nghị đã được trả lời"
    DRAFT_EXPIRING = "draft_expiring", "Hồ sơ nháp sắp bị xóa"
    ASSIGNED = "assigned", "Hồ sơ được giao cho tôi"
    DUE_TOMORROW = "due_tomorrow", "Hồ sơ đến hạn ngày làm việc tới"
    OVERDUE_DIGEST = "overdue_digest", "Hồ sơ quá hạn (tổng hợp hằng ngày)"


CITIZEN_EVENTS = frozenset(
    {
        Event.SUBMITTED,
        Event.RECEIVED,
        Event.SUPPLEMENT_REQUESTED,
        Event.SUPPLEMENT_RECEIVED,
        Event.REFUSED,
        Event.PAYMENT_REQUESTED,
        Event.PAYMENT_CONFIRMED,
        Event.RESULT_READY,
        Event.RESULT_HANDED_OVER,
        Event.APOLOGY,
        Event.STOPPED,
        Event.WITHDRAWN,
        Event.SUPPLEMENT_DUE,
        Event.FEEDBACK_ANSWERED,
        Event.DRAFT_EXPIRING,
    }
)
OFFICER_EVENTS = frozenset({Event.ASSIGNED, Event.DUE_TOMORROW, Event.OVERDUE_DIGEST})

# Workflow action (dossiers.workflow.ACTIONS) → the citizen's event. Counter intake
# ("intake") is followed at once by "receive", which tells the citizen everything.
EVENT_OF_ACTION = {
    "submit": Event.SUBMITTED,
    "receive": Event.RECEIVED,
    "request_supplement": Event.SUPPLEMENT_REQUESTED,
    "supplement_submit": Event.SUPPLEMENT_RECEIVED,
    "supplement_received": Event.SUPPLEMENT_RECEIVED,
    "refuse": Event.REFUSED,
    "request_payment": Event.PAYMENT_REQUESTED,
    "payment_confirmed": Event.PAYMENT_CONFIRMED,
    "record_result": Event.RESULT_READY,
    "return_result": Event.RESULT_HANDED_OVER,
    "apologize": Event.APOLOGY,
    "stop": Event.STOPPED,
    "withdraw": Event.WITHDRAWN,
    "withdraw_on_request": Event.WITHDRAWN,
}


class State(models.TextChoices):
    """Where a notification stands (GOV.UK Notify's statuses, fewer)."""

    PENDING = "pending", "Chờ gửi"
    SENDING = "sending", "Đang gửi"
    RETRYING = "retrying", "Chờ gửi lại"
    SENT = "sent", "Đã gửi"
    FAILED = "failed", "Lỗi kỹ thuật, không gửi được"
