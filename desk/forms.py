"""What each officer action asks for on the dossier page, and how a POST becomes its data.

The rules about the values (required, dates, who may be chosen) are the state
machine's (``dossiers.workflow``); this module only names the fields to collect."""

from dataclasses import dataclass

from dossiers.constants import ResultDelivery


@dataclass(frozen=True)
class Input:
    name: str
    label: str
    kind: str = "text"  # text, textarea, date, select, file, number
    required: bool = False
    help_text: str = ""


ACTION_INPUTS: dict[str, list[Input]] = {
    "assign": [
        Input("department", "Phòng, ban xử lý", "select", True),
        Input("handler", "Chuyên viên xử lý", "select", help_text="Để trống để lãnh đạo phòng phân công."),
    ],
    "assign_specialist": [Input("handler", "Chuyên viên xử lý", "select", True)],
    "transfer": [Input("to_agency", "Cơ quan phối hợp", "select", True)],
    "request_supplement": [
        Input("items", "Giấy tờ, nội dung cần bổ sung", "textarea", True, "Ghi đủ một lần mọi điều cần bổ sung."),
        Input("respond_by", "Hạn bổ sung", "date", True),
    ],
    "record_result": [
        Input("number", "Số, ký hiệu văn bản", required=True),
        Input("issued_on", "Ngày ban hành", "date", True),
        Input("issuer", "Cơ quan ban hành", help_text="Để trống nếu là cơ quan giải quyết hồ sơ."),
        Input("summary", "Trích yếu", required=True),
        Input("file", "Văn bản kết quả (PDF)", "file", True),
    ],
    "return_result": [
        Input("method", "Hình thức trả", "select", True),
        Input("receiver_name", "Họ tên người nhận", help_text="Bắt buộc khi trả tại quầy hoặc qua bưu điện."),
        Input("receiver_id_number", "Số giấy tờ của người nhận"),
        Input("tracking_number", "Số hiệu bưu gửi", help_text="Khi trả qua bưu chính công ích."),
        Input("postal_fee", "Cước bưu chính (đồng)", "number"),
    ],
    "apologize": [Input("new_due", "Ngày hẹn trả mới", "date", True)],
}

RESULT_DELIVERY_CHOICES = ResultDelivery.choices


def action_data(action: str, post) -> dict[str, str]:
    """The values of the action's fields from a POST (anything else is ignored), whole: the
    state machine refuses a value that is too long at its field instead of cutting it."""
    return {i.name: str(post.get(i.name, "")).strip() for i in ACTION_INPUTS.get(action, []) if i.kind != "file"}
