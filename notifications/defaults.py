"""The shipped Vietnamese wording of every event: a subject (e-mail and in-app), the
e-mail body, the SMS text and the in-app text. Admins edit copies in the database
(``NotificationTemplate``, filled from these by migration 0002); these stay the fallback
when a row is missing, switched off, empty, or broken.

Django template syntax; the data each event has is listed in ``rendering.SAMPLE``.
"""

from .constants import Channel, Event

SIGNATURE = "\n\n{{ portal_name }} – {{ province_name }}\nThư này được gửi tự động, xin đừng trả lời."

DEFAULTS: dict[str, dict[str, str]] = {
    Event.SUBMITTED: {
        "subject": "Đã nộp hồ sơ {{ code }}",
        "email": "Kính gửi {{ applicant_name }},\n\nHồ sơ {{ code }} ({{ procedure }}) đã được nộp trực tuyến tới "
        "{{ agency }} lúc {{ at }}. Cơ quan sẽ kiểm tra và tiếp nhận hồ sơ; khi tiếp nhận, ông/bà sẽ nhận được "
        "giấy hẹn trả kết quả.\n\nTheo dõi hồ sơ: {{ dossier_url }}" + SIGNATURE,
        "sms": "DVC: Ho so {{ code }} da duoc nop toi {{ agency }} luc {{ at }}. Theo doi: {{ tracking_url }}",
        "in_app": "Hồ sơ {{ code }} ({{ procedure }}) đã được nộp tới {{ agency }} lúc {{ at }}.",
    },
    Event.RECEIVED: {
        "subject": "Hồ sơ {{ code }} đã được tiếp nhận, hẹn trả {{ due_at|default:'—' }}",
        "email": "Kính gửi {{ applicant_name }},\n\n{{ agency }} đã tiếp nhận hồ sơ {{ code }} ({{ procedure }}) lúc "
        "{{ at }}.{% if due_at %} Ngày hẹn trả kết quả: {{ due_at }}.{% endif %}\n\nTheo dõi hồ sơ: "
        "{{ dossier_url }}" + SIGNATURE,
        "sms": "DVC: Ho so {{ code }} da duoc tiep nhan{% if due_at %}, hen tra ket qua {{ due_at }}{% endif %}. "
        "Theo doi: {{ tracking_url }}",
        "in_app": "{{ agency }} đã tiếp nhận hồ sơ {{ code }}."
        "{% if due_at %} Hẹn trả kết quả: {{ due_at }}.{% endif %}",
    },
    Event.SUPPLEMENT_REQUESTED: {
        "subject": "Hồ sơ {{ code }} cần bổ sung trước {{ respond_by|default:'—' }}",
        "email": "Kính gửi {{ applicant_name }},\n\n{{ agency }} đề nghị ông/bà bổ sung hồ sơ {{ code }} "
        "({{ procedure }}):\n\n{{ supplement_items }}\n{% if note %}\nLý do: {{ note }}\n{% endif %}"
        "{% if respond_by %}\nHạn bổ sung: {{ respond_by }}.{% endif %} Thời gian chờ bổ sung không tính vào thời "
        "hạn giải quyết.\n\nBổ sung trực tuyến tại: {{ dossier_url }}" + SIGNATURE,
        "sms": "DVC: Ho so {{ code }} can bo sung{% if respond_by %} truoc {{ respond_by }}{% endif %}. "
        "Xem chi tiet va bo sung: {{ dossier_url }}",
        "in_app": "Hồ sơ {{ code }} cần bổ sung: {{ supplement_items }}{% if respond_by %} (hạn {{ respond_by }})"
        "{% endif %}.",
    },
    Event.SUPPLEMENT_RECEIVED: {
        "subject": "Đã nhận hồ sơ bổ sung {{ code }}",
        "email": "Kính gửi {{ applicant_name }},\n\n{{ agency }} đã nhận phần bổ sung của hồ sơ {{ code }} lúc "
        "{{ at }}; hồ sơ tiếp tục được giải quyết.{% if due_at %} Ngày hẹn trả kết quả: {{ due_at }}.{% endif %}"
        "\n\nTheo dõi hồ sơ: {{ dossier_url }}" + SIGNATURE,
        "sms": "DVC: Da nhan ho so bo sung {{ code }}{% if due_at %}, hen tra {{ due_at }}{% endif %}.",
        "in_app": "Đã nhận phần bổ sung của hồ sơ {{ code }}.{% if due_at %} Hẹn trả kết quả: {{ due_at }}.{% endif %}",
    },
    Event.REFUSED: {
        "subject": "Hồ sơ {{ code }} không được tiếp nhận",
        "email": "Kính gửi {{ applicant_name }},\n\n{{ agency }} từ chối tiếp nhận hồ sơ {{ code }} ({{ procedure }})."
        "{% if note %}\n\nLý do: {{ note }}{% endif %}\n\nXem chi tiết: {{ dossier_url }}" + SIGNATURE,
        "sms": "DVC: Ho so {{ code }} khong duoc tiep nhan. Xem ly do: {{ dossier_url }}",
        "in_app": "Hồ sơ {{ code }} không được tiếp nhận.{% if note %} Lý do: {{ note }}{% endif %}",
    },
    Event.PAYMENT_REQUESTED: {
        "subject": "Hồ sơ {{ code }}: đề nghị nộp phí, lệ phí",
        "email": "Kính gửi {{ applicant_name }},\n\nĐể tiếp tục giải quyết hồ sơ {{ code }} ({{ procedure }}), ông/bà "
        "cần nộp phí, lệ phí.{% if note %}\n\n{{ note }}{% endif %}\n\nNộp trực tuyến tại: {{ dossier_url }}"
        + SIGNATURE,
        "sms": "DVC: Ho so {{ code }} can nop phi, le phi. Nop truc tuyen: {{ dossier_url }}",
        "in_app": "Hồ sơ {{ code }}: cần nộp phí, lệ phí để tiếp tục giải quyết.",
    },
    Event.PAYMENT_CONFIRMED: {
        "subject": "Hồ sơ {{ code }}: đã xác nhận nộp phí, lệ phí",
        "email": "Kính gửi {{ applicant_name }},\n\n{{ agency }} đã xác nhận khoản phí, lệ phí của hồ sơ {{ code }} "
        "lúc {{ at }}; hồ sơ tiếp tục được giải quyết.\n\nTheo dõi hồ sơ: {{ dossier_url }}" + SIGNATURE,
        "sms": "DVC: Da xac nhan nop phi, le phi ho so {{ code }}.",
        "in_app": "Đã xác nhận nộp phí, lệ phí của hồ sơ {{ code }}.",
    },
    Event.RESULT_READY: {
        "subject": "Hồ sơ {{ code }} đã có kết quả",
        "email": "Kính gửi {{ applicant_name }},\n\nHồ sơ {{ code }} ({{ procedure }}) đã có kết quả"
        "{% if result_number %} (văn bản số {{ result_number }}){% endif %}. {{ result_delivery }}\n\n"
        "Xem và nhận kết quả: {{ dossier_url }}" + SIGNATURE,
        "sms": "DVC: Ho so {{ code }} da co ket qua. Xem: {{ dossier_url }}",
        "in_app": "Hồ sơ {{ code }} đã có kết quả. {{ result_delivery }}",
    },
    Event.RESULT_HANDED_OVER: {
        "subject": "Đã trả kết quả hồ sơ {{ code }}",
        "email": "Kính gửi {{ applicant_name }},\n\nKết quả hồ sơ {{ code }} ({{ procedure }}) đã được trả lúc {{ at }}"
        "{% if handover_method %} ({{ handover_method }}){% endif %}.\n\nMời ông/bà đánh giá mức độ hài lòng về việc "
        "giải quyết hồ sơ tại: {{ dossier_url }}" + SIGNATURE,
        "sms": "DVC: Da tra ket qua ho so {{ code }}. Danh gia muc do hai long: {{ dossier_url }}",
        "in_app": "Đã trả kết quả hồ sơ {{ code }}{% if handover_method %} ({{ handover_method }}){% endif %}.",
    },
    Event.APOLOGY: {
        "subject": "Hồ sơ {{ code }}: xin lỗi và hẹn lại ngày trả kết quả {{ new_due_at }}",
        "email": "Kính gửi {{ applicant_name }},\n\n{{ agency }} xin lỗi vì hồ sơ {{ code }} ({{ procedure }}) chưa "
        "giải quyết được đúng hẹn{% if old_due_at %} ({{ old_due_at }}){% endif %}.{% if note %} Lý do: {{ note }}."
        "{% endif %}\n\nNgày hẹn trả kết quả mới: {{ new_due_at }}.\n\nTheo dõi hồ sơ: {{ dossier_url }}" + SIGNATURE,
        "sms": "DVC: Xin loi ong/ba, ho so {{ code }} duoc hen lai ngay tra ket qua {{ new_due_at }}.",
        "in_app": "{{ agency }} xin lỗi và hẹn lại ngày trả kết quả hồ sơ {{ code }}: {{ new_due_at }}.",
    },
    Event.STOPPED: {
        "subject": "Hồ sơ {{ code }} dừng giải quyết",
        "email": "Kính gửi {{ applicant_name }},\n\n{{ agency }} dừng giải quyết hồ sơ {{ code }} ({{ procedure }})."
        "{% if note %}\n\nLý do: {{ note }}{% endif %}\n\nXem chi tiết: {{ dossier_url }}" + SIGNATURE,
        "sms": "DVC: Ho so {{ code }} dung giai quyet. Xem ly do: {{ dossier_url }}",
        "in_app": "Hồ sơ {{ code }} dừng giải quyết.{% if note %} Lý do: {{ note }}{% endif %}",
    },
    Event.WITHDRAWN: {
        "subject": "Hồ sơ {{ code }} đã được rút",
        "email": "Kính gửi {{ applicant_name }},\n\nHồ sơ {{ code }} ({{ procedure }}) đã được rút lúc {{ at }}."
        "{% if note %}\n\nLý do: {{ note }}{% endif %}" + SIGNATURE,
        "sms": "DVC: Ho so {{ code }} da duoc rut.",
        "in_app": "Hồ sơ {{ code }} đã được rút.",
    },
    Event.SUPPLEMENT_DUE: {
        "subject": "Nhắc: hồ sơ {{ code }} cần bổ sung trước {{ respond_by }}",
        "email": "Kính gửi {{ applicant_name }},\n\nHồ sơ {{ code }} ({{ procedure }}) đang chờ ông/bà bổ sung:\n\n"
        "{{ supplement_items }}\n\nHạn bổ sung: {{ respond_by }}. Bổ sung trực tuyến tại: {{ dossier_url }}"
        + SIGNATURE,
        "sms": "DVC: Nhac ho so {{ code }} can bo sung truoc {{ respond_by }}. Bo sung: {{ dossier_url }}",
        "in_app": "Nhắc: hồ sơ {{ code }} cần bổ sung trước {{ respond_by }}: {{ supplement_items }}",
    },
    Event.DRAFT_EXPIRING: {
        "subject": "Hồ sơ nháp chưa nộp sẽ bị xóa ngày {{ delete_on }}",
        "email": "Kính gửi {{ applicant_name }},\n\nHồ sơ nháp {{ procedure }} ({{ agency }}) chưa được nộp và không "
        "được mở từ ngày {{ updated_on }}. Để bảo vệ dữ liệu cá nhân, hồ sơ nháp bỏ dở được xóa sau "
        "{{ retention_days }} ngày, cùng các giấy tờ chỉ đính kèm hồ sơ này: hồ sơ sẽ bị xóa từ ngày {{ delete_on }}."
        "\n\nNếu ông/bà vẫn muốn nộp, chỉ cần mở hồ sơ trước ngày đó: {{ dossier_url }}" + SIGNATURE,
        "sms": "DVC: Ho so nhap {{ procedure }} chua nop se bi xoa tu ngay {{ delete_on }}. Mo lai de giu: "
        "{{ dossier_url }}",
        "in_app": "Hồ sơ nháp {{ procedure }} chưa nộp sẽ bị xóa từ ngày {{ delete_on }}, trừ khi ông/bà mở lại "
        "hồ sơ trước ngày đó.",
    },
    Event.FEEDBACK_ANSWERED: {
        "subject": "Phản ánh, kiến nghị của ông/bà đã được trả lời",
        "email": "Kính gửi {{ applicant_name }},\n\nPhản ánh, kiến nghị của ông/bà đã được trả lời.\n\nXem câu trả "
        "lời: {{ dossier_url }}" + SIGNATURE,
        "sms": "DVC: Phan anh, kien nghi cua ong/ba da duoc tra loi. Xem: {{ dossier_url }}",
        "in_app": "Phản ánh, kiến nghị của ông/bà đã được trả lời.",
    },
    Event.ASSIGNED: {
        "subject": "Hồ sơ {{ code }} được giao cho đồng chí",
        "email": "Hồ sơ {{ code }} ({{ procedure }}, người nộp {{ applicant_name }}) được giao cho đồng chí giải quyết"
        "{% if step_due_at %}, hạn của bước này {{ step_due_at }}{% endif %}{% if due_at %}; hẹn trả {{ due_at }}"
        "{% endif %}.{% if note %}\n\nGhi chú: {{ note }}{% endif %}\n\nMở hồ sơ: {{ desk_url }}" + SIGNATURE,
        "sms": "DVC: Ho so {{ code }} duoc giao cho dong chi{% if step_due_at %}, han {{ step_due_at }}{% endif %}.",
        "in_app": "Hồ sơ {{ code }} ({{ procedure }}) được giao cho đồng chí{% if step_due_at %}, hạn {{ step_due_at }}"
        "{% endif %}.",
    },
    Event.NEW_DOSSIER: {
        "subject": "Hồ sơ trực tuyến mới {{ code }} chờ tiếp nhận",
        "email": "Hồ sơ {{ code }} ({{ procedure }}, người nộp {{ applicant_name }}) đã được nộp trực tuyến tới "
        "{{ agency }} lúc {{ at }} và đang chờ Bộ phận Một cửa kiểm tra, tiếp nhận.\n\nMở hồ sơ: {{ desk_url }}"
        + SIGNATURE,
        "sms": "DVC: Ho so truc tuyen moi {{ code }} cho tiep nhan.",
        "in_app": "Hồ sơ trực tuyến mới {{ code }} ({{ procedure }}, {{ applicant_name }}) chờ tiếp nhận.",
    },
    Event.AWAITING_APPROVAL: {
        "subject": "Hồ sơ {{ code }} chờ đồng chí {{ action_label|lower|default:'duyệt' }}",
        "email": "Hồ sơ {{ code }} ({{ procedure }}, người nộp {{ applicant_name }}) đã được trình lúc {{ at }} và "
        "chờ đồng chí {{ action_label|lower|default:'duyệt' }}{% if step_due_at %}, hạn của bước này "
        "{{ step_due_at }}{% endif %}{% if due_at %}; hẹn trả {{ due_at }}{% endif %}.{% if note %}\n\nĐề xuất: "
        "{{ note }}{% endif %}\n\nMở hồ sơ: {{ desk_url }}" + SIGNATURE,
        "sms": "DVC: Ho so {{ code }} cho dong chi duyet{% if step_due_at %}, han {{ step_due_at }}{% endif %}.",
        "in_app": "Hồ sơ {{ code }} ({{ procedure }}) chờ đồng chí {{ action_label|lower|default:'duyệt' }}"
        "{% if step_due_at %}, hạn {{ step_due_at }}{% endif %}.",
    },
    Event.SUPPLEMENT_ANSWERED: {
        "subject": "Hồ sơ {{ code }} đã được bổ sung",
        "email": "Người nộp đã bổ sung hồ sơ {{ code }} ({{ procedure }}, {{ applicant_name }}) lúc {{ at }}; hồ sơ "
        "tiếp tục được giải quyết.{% if due_at %} Hẹn trả: {{ due_at }}.{% endif %}\n\nMở hồ sơ: {{ desk_url }}"
        + SIGNATURE,
        "sms": "DVC: Ho so {{ code }} da duoc bo sung.",
        "in_app": "Người nộp đã bổ sung hồ sơ {{ code }} ({{ procedure }}).{% if due_at %} Hẹn trả: {{ due_at }}."
        "{% endif %}",
    },
    Event.DUE_SOON: {
        "subject": "Hồ sơ {{ code }} sắp đến hạn trả ({{ due_at }})",
        "email": "Hồ sơ {{ code }} ({{ procedure }}, người nộp {{ applicant_name }}) đến hạn trả kết quả lúc "
        "{{ due_at }} mà chưa có kết quả.{% if handler %} Người đang xử lý: {{ handler }}.{% endif %}\n\n"
        "Mở hồ sơ: {{ desk_url }}" + SIGNATURE,
        "sms": "DVC: Ho so {{ code }} sap den han tra ({{ due_at }}).",
        "in_app": "Hồ sơ {{ code }} ({{ procedure }}) sắp đến hạn trả: {{ due_at }}.",
    },
    Event.OVERDUE: {
        "subject": "Hồ sơ {{ code }} đã quá hạn trả ({{ due_at }})",
        "email": "Hồ sơ {{ code }} ({{ procedure }}, người nộp {{ applicant_name }}) đã quá hạn trả kết quả "
        "({{ due_at }}) mà chưa có kết quả.{% if handler %} Người đang xử lý: {{ handler }}.{% endif %} Cơ quan cần "
        "gửi văn bản xin lỗi và hẹn lại ngày trả cho người nộp.\n\nMở hồ sơ: {{ desk_url }}" + SIGNATURE,
        "sms": "DVC: Ho so {{ code }} da qua han tra ({{ due_at }}).",
        "in_app": "Hồ sơ {{ code }} ({{ procedure }}) đã quá hạn trả: {{ due_at }}.",
    },
    Event.OFFICER_DIGEST: {
        "subject": "{{ count }} thông báo công việc đến ngày {{ day }}",
        "email": "Các thông báo công việc gửi đồng chí kể từ thư tổng hợp trước (đến ngày {{ day }}):\n\n"
        "{% for i in items %}- {{ i.at }}: {{ i.subject }}\n  {{ i.text }}"
        "{% if i.url %}\n  {{ i.url }}{% endif %}\n{% endfor %}"
        "{% if more %}… và {{ more }} thông báo khác trong mục Thông báo trên Cổng.\n{% endif %}\n"
        "Xem tất cả thông báo: {{ inbox_url }}\nĐổi cách nhận thông báo: {{ preferences_url }}" + SIGNATURE,
        "sms": "DVC: {{ count }} thong bao cong viec den ngay {{ day }}.",
        "in_app": "{{ count }} thông báo công việc đến ngày {{ day }} đã được gửi trong một thư tổng hợp.",
    },
}


def default_template(event: str, channel: str) -> tuple[str, str]:
    """(subject, body) shipped for ``event`` on ``channel``."""
    texts = DEFAULTS[event]
    return texts["subject"] if channel != Channel.SMS else "", texts[channel]


def ensure_templates(using: str = "default") -> int:
    """Write the shipped template of every event and channel that has none in the database
    (an admin's edits are kept); returns how many were written. Runs after every ``migrate``
    and every ``flush`` (post_migrate, ``NotificationsConfig.ready``), so a database emptied
    by a transactional test or ``flush`` has the templates a migrated one has."""
    from .models import NotificationTemplate

    existing = set(NotificationTemplate.objects.using(using).values_list("event", "channel"))
    missing = [
        NotificationTemplate(event=event, channel=channel, subject=subject, body=body)
        for event in Event.values
        for channel in Channel.values
        if (event, channel) not in existing
        for subject, body in [default_template(event, channel)]
    ]
    NotificationTemplate.objects.using(using).bulk_create(missing)
    return len(missing)
