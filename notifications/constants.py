"""What a notification is about, how it travels, and where it stands."""

from django.db import models


class Channel(models.TextChoices):
    EMAIL = "email", "Thư điện tử"
    SMS = "sms", "Tin nhắn SMS"
    IN_APP = "in_app", "Thông báo trên Cổng"


class Event(models.TextChoices):
    """Events that notify someone. Citizens' events follow the dossier's workflow actions
    (``EVENT_OF_ACTION``); officers' come from the workflow's changes (a new online
    dossier, a proposal to approve or sign, an answered supplement, an assignment), from
    the daily deadline check (due soon, overdue), and the daily e-mail digest."""

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
    NEW_DOSSIER = "new_dossier", "Hồ sơ trực tuyến mới nộp"
    AWAITING_APPROVAL = "awaiting_approval", "Hồ sơ chờ duyệt, ký"
    SUPPLEMENT_ANSWERED = "supplement_answered", "Người nộp đã bổ sung hồ sơ"
    DUE_SOON = "due_soon", "Hồ sơ sắp đến hạn trả"
    OVERDUE = "overdue", "Hồ sơ quá hạn trả"
    OFFICER_DIGEST = "officer_digest", "Thư tổng hợp thông báo trong ngày"


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
OFFICER_EVENTS = frozenset(
    {
        Event.ASSIGNED,
        Event.NEW_DOSSIER,
        Event.AWAITING_APPROVAL,
        Event.SUPPLEMENT_ANSWERED,
        Event.DUE_SOON,
        Event.OVERDUE,
        Event.OFFICER_DIGEST,
    }
)

# The state machine's signing actions (duyệt, ký): a dossier where one of them applies
# waits for the officers the state machine allows to take it (``dossiers.workflow``).
SIGNING_ACTIONS = frozenset({"approve", "sign"})
# The citizen's answer to a supplement request: online, or on paper recorded by the desk.
SUPPLEMENT_ANSWER_ACTIONS = frozenset({"supplement_submit", "supplement_received"})

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
    # An officer's e-mail kept for their daily digest (``ChannelPreference.officer_email``),
    # then carried by it: never delivered on its own.
    HELD = "held", "Chờ thư tổng hợp trong ngày"
    BUNDLED = "bundled", "Đã gửi trong thư tổng hợp"


class OfficerEmail(models.TextChoices):
    """How an officer gets work e-mail (the in-app list has every notification at once)."""

    EACH = "each", "Mỗi việc một thư, gửi ngay"
    DAILY = "daily", "Một thư tổng hợp mỗi ngày (cuối giờ làm việc)"
