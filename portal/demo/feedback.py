"""Demo feedback (phản ánh, kiến nghị) in every state and a rating of a handed-over
dossier, made with the real services so the officers' queue, the public answers and the
766 satisfaction figures have something to show."""

from accounts.constants import StaffRole
from dossiers.constants import Status
from dossiers.models import Dossier
from feedback import services
from feedback.constants import Satisfaction, Vote
from feedback.models import Feedback, Rating

ITEMS = (
    # (state to reach, kind, title, content, anonymous, category, answer)
    (
        "received",
        "report",
        "Điện thoại đường dây nóng không ai nghe máy",
        "Tôi gọi số điện thoại hỗ trợ của bộ phận một cửa nhiều lần trong giờ hành chính nhưng không ai nghe.",
        True,
        "",
        "",
    ),
    (
        "processing",
        "proposal",
        "Đề nghị cho nộp bản chụp giấy khai sinh",
        "Đề nghị cơ quan chấp nhận ảnh chụp giấy khai sinh bằng điện thoại thay cho bản sao chứng thực.",
        False,
        "rules",
        "",
    ),
    (
        "refused",
        "report",
        "Hỏi về tiền điện",
        "Tại sao hóa đơn tiền điện tháng này của gia đình tôi tăng gấp đôi so với tháng trước?",
        False,
        "",
        "",
    ),
    (
        "answered",
        "report",
        "Cán bộ yêu cầu nộp thêm giấy tờ không có trong thủ tục",
        "Cán bộ tiếp nhận yêu cầu tôi nộp thêm giấy xác nhận cư trú dù thủ tục không yêu cầu.",
        False,
        "conduct",
        "Cơ quan đã kiểm tra, nhắc nhở cán bộ và xin lỗi ông/bà; hồ sơ không cần giấy xác nhận cư trú.",
    ),
    (
        "published",
        "proposal",
        "Đề nghị nhắn tin khi hồ sơ có kết quả",
        "Đề nghị cơ quan gửi tin nhắn cho người dân khi hồ sơ đã có kết quả để không phải đi lại hỏi.",
        False,
        "rules",
        "Cổng dịch vụ công đã gửi tin nhắn và thư điện tử ở mỗi bước xử lý hồ sơ; ông/bà cập nhật số điện"
        " thoại trong trang Tài khoản để nhận tin.",
    ),
)


def load_demo_feedback(*, citizen, officers_by_agency: dict) -> int:
    """Create the demo feedback once (nothing when some exists); returns how many."""
    if Feedback.objects.exists() or not officers_by_agency:
        return 0
    agency_id, staff = next(iter(officers_by_agency.items()))
    desk = staff[StaffRole.ONE_STOP_OFFICER]
    handler = staff.get(StaffRole.SPECIALIST, desk)
    agency = desk.assignments.get(agency_id=agency_id, role=StaffRole.ONE_STOP_OFFICER).agency
    made = 0
    for state, kind, title, content, anonymous, category, answer in ITEMS:
        values = {"kind": kind, "title": title, "content": content, "anonymous": "on" if anonymous else ""}
        item = services.feedback_send(values=values, user=None if anonymous else citizen, agency=agency)
        made += 1
        if state == "received":
            continue
        if state == "refused":
            services.feedback_act(
                feedback=item,
                officer=desk,
                action="refuse",
                text="Nội dung không thuộc thẩm quyền của cơ quan; đề nghị liên hệ Công ty Điện lực.",
            )
            continue
        item = services.feedback_act(
            feedback=item, officer=desk, action="accept", category=category, assignee_id=handler.pk
        )
        if state == "processing":
            continue
        item = services.feedback_act(feedback=item, officer=handler, action="answer", text=answer)
        if state == "published":
            item = services.feedback_act(feedback=item, officer=desk, action="publish")
            for n, value in enumerate((Vote.LIKE, Vote.LIKE, Vote.DISLIKE)):
                services.feedback_vote(feedback=item, voter=f"c:demo-{n}", value=value)
    returned = Dossier.objects.filter(owner=citizen, status=Status.RETURNED, rating__isnull=True).first()
    if returned is not None and not Rating.objects.filter(dossier=returned).exists():
        services.rating_submit(
            dossier=returned,
            user=citizen,
            values={
                "overall": Satisfaction.VERY_SATISFIED,
                "convenience": Satisfaction.SATISFIED,
                "on_time": Satisfaction.VERY_SATISFIED,
                "attitude": Satisfaction.VERY_SATISFIED,
                "comment": "Cán bộ hướng dẫn tận tình, trả kết quả sớm.",
            },
        )
    return made
