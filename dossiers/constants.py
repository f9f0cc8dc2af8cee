"""Vocabulary of dossiers (hồ sơ): national status codes, channels, owner types."""

from django.db import models


class Status(models.IntegerChoices):
    """Dossier status with the national codes synced to the national portal (TrangThaiHoSo 1–10).

    ``DRAFT`` (0) is the citizen's own draft, never synced. Labels are the internal
    (officer) labels; ``PUBLIC_LABELS`` holds what citizens and the public see.
    """

    DRAFT = 0, "Bản nháp"
    SUBMITTED = 1, "Mới đăng ký"
    RECEIVED = 2, "Được tiếp nhận"
    REFUSED = 3, "Không được tiếp nhận"
    PROCESSING = 4, "Đang xử lý"
    SUPPLEMENT_REQUESTED = 5, "Yêu cầu bổ sung giấy tờ"
    AWAITING_PAYMENT = 6, "Yêu cầu thực hiện nghĩa vụ tài chính"
    WITHDRAWN = 7, "Công dân yêu cầu rút hồ sơ"
    STOPPED = 8, "Dừng xử lý"
    RESOLVED = 9, "Đã xử lý xong"
    RETURNED = 10, "Đã trả kết quả"


PUBLIC_LABELS = {
    Status.DRAFT: "Đang soạn, chưa nộp",
    Status.SUBMITTED: "Đã nộp, chờ cơ quan tiếp nhận",
    Status.RECEIVED: "Cơ quan đã tiếp nhận",
    Status.REFUSED: "Không được tiếp nhận",
    Status.PROCESSING: "Đang giải quyết",
    Status.SUPPLEMENT_REQUESTED: "Cần bổ sung giấy tờ",
    Status.AWAITING_PAYMENT: "Chờ nộp phí, lệ phí",
    Status.WITHDRAWN: "Đã rút hồ sơ",
    Status.STOPPED: "Đã dừng giải quyết",
    Status.RESOLVED: "Đã có kết quả, chờ trả",
    Status.RETURNED: "Đã trả kết quả",
}

# What the citizen is expected to do next, shown in "Hồ sơ của tôi".
NEXT_STEP_FOR_CITIZEN = {
    Status.DRAFT: "Hoàn thiện và nộp hồ sơ.",
    Status.SUBMITTED: "Chờ cơ quan kiểm tra và tiếp nhận; bạn vẫn có thể rút hồ sơ.",
    Status.RECEIVED: "Chờ cơ quan giải quyết đến ngày hẹn trả.",
    Status.REFUSED: "Xem lý do không tiếp nhận.",
    Status.PROCESSING: "Chờ cơ quan giải quyết đến ngày hẹn trả.",
    Status.SUPPLEMENT_REQUESTED: "Bổ sung giấy tờ theo yêu cầu.",
    Status.AWAITING_PAYMENT: "Nộp phí, lệ phí.",
    Status.WITHDRAWN: "Không cần làm gì thêm.",
    Status.STOPPED: "Không cần làm gì thêm.",
    Status.RESOLVED: "Nhận kết quả.",
    Status.RETURNED: "Đánh giá mức độ hài lòng.",
}

TERMINAL_STATUSES = frozenset({Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.RETURNED})


class Channel(models.IntegerChoices):
    """How the dossier was filed (KenhThucHien on the national portal)."""

    COUNTER = 1, "Trực tiếp"
    ONLINE = 2, "Trực tuyến"
    POST = 3, "Bưu chính công ích"


class OwnerType(models.IntegerChoices):
    """Owner of the dossier (LoaiDoiTuong on the national portal)."""

    CITIZEN = 1, "Công dân"
    BUSINESS = 2, "Doanh nghiệp"
    STATE_AGENCY = 3, "Cơ quan nhà nước"
    ORGANISATION = 4, "Tổ chức, khác"


class Step(models.TextChoices):
    """Where a dossier in processing (status 4) is inside the agency (bước xử lý nội bộ).

    Internal routing: the one-stop desk assigns to a department (phòng) and a specialist
    (chuyên viên); the specialist proposes a result; a leader approves it — or, where the
    procedure asks for two signatures, the head of division approves and the agency leader
    signs (``workflow.SIGNING_STEPS``); the result is recorded. An inter-agency transfer
    (liên thông) hands the dossier to another agency and back. The empty step is "at the
    one-stop desk" (statuses 1, 2, 5, 6, 9 …).
    """

    DESK = "", "Bộ phận một cửa"
    DEPARTMENT = "department", "Chờ phòng phân công"
    SPECIALIST = "specialist", "Chuyên viên đang xử lý"
    APPROVAL = "approval", "Chờ lãnh đạo duyệt"
    SIGNING = "signing", "Chờ lãnh đạo cơ quan ký"
    ISSUING = "issuing", "Đã duyệt, chờ ban hành kết quả"
    TRANSFERRED = "transferred", "Đang liên thông sang cơ quan khác"


class ResultDelivery(models.TextChoices):
    """How the result is handed over (hình thức trả kết quả)."""

    COUNTER = "counter", "Tại bộ phận một cửa"
    POST = "post", "Qua bưu chính công ích"
    ONLINE = "online", "Trực tuyến (bản điện tử)"
