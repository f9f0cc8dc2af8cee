"""Turning a notification's data into its words: the admins' template for the event and
channel, or the shipped default when that one is missing, switched off, empty or broken.

Templates use Django's template language with no loaders and no autoescaping (the text
goes to e-mail, SMS or the in-app list, which escapes it when it shows it). A template
that fails is reported on the notification and replaced by the default, so one admin's
mistake never stops a message (``render`` returns the warning).
"""

import logging
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.template import Context, Engine, TemplateSyntaxError

from .constants import Channel
from .defaults import default_template
from .models import NotificationTemplate

logger = logging.getLogger(__name__)

ENGINE = Engine(autoescape=False, loaders=[], debug=False)
SUBJECT_MAX = 300
SMS_MAX = 480  # three concatenated SMS of 160 GSM characters

# What every event's template may use, with example values (the admin's preview).
SAMPLE = {
    "portal_name": "Cổng Dịch vụ công",
    "province_name": "tỉnh Thanh Hóa",
    "code": "000.00.03.H56-261201-0007",
    "procedure": "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
    "agency": "Sở Tư pháp",
    "applicant_name": "Nguyễn Văn An",
    "at": "01/12/2026 09:32",
    "due_at": "08/12/2026 09:32",
    "step_due_at": "04/12/2026 17:00",
    "note": "Bản sao giấy khai sinh không rõ chữ.",
    "supplement_items": "Bản sao Giấy khai sinh (bản rõ nét)",
    "respond_by": "05/12/2026",
    "old_due_at": "08/12/2026 09:32",
    "new_due_at": "15/12/2026 17:00",
    "result_number": "1234/STP-LLTP",
    "result_delivery": "Ông/bà nhận kết quả tại Bộ phận Một cửa.",
    "handover_method": "tại quầy",
    "dossier_url": "https://dichvucong.example.gov.vn/ho-so/…/",
    "tracking_url": "https://dichvucong.example.gov.vn/tra-cuu/?ma=000.00.03.H56-261201-0007",
    "desk_url": "https://dichvucong.example.gov.vn/can-bo/ho-so/000.00.03.H56-261201-0007/",
    "inbox_url": "https://dichvucong.example.gov.vn/thong-bao/",
    "preferences_url": "https://dichvucong.example.gov.vn/thong-bao/cai-dat/",
    "action_label": "Duyệt kết quả",
    "handler": "Phạm Văn Đức",
    "day": "02/12/2026",
    "updated_on": "01/09/2026",
    "delete_on": "30/11/2026",
    "retention_days": 90,
    "count": 2,
    "more": 0,
    "items": [
        {
            "at": "02/12/2026 08:15",
            "subject": "Hồ sơ trực tuyến mới 000.00.03.H56-261202-0001 chờ tiếp nhận",
            "text": "Hồ sơ trực tuyến mới 000.00.03.H56-261202-0001 (Đăng ký khai sinh, Nguyễn Văn An) chờ tiếp nhận.",
            "url": "https://dichvucong.example.gov.vn/can-bo/ho-so/000.00.03.H56-261202-0001/",
        },
    ],
}


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str
    warning: str = ""  # set when the admins' template failed and the default was used


def render_text(source: str, data: dict) -> str:
    """Render one template text; raises on a syntax or rendering error."""
    return ENGINE.from_string(source).render(Context(data, autoescape=False)).strip()


def check_template(subject: str, body: str) -> dict[str, str]:
    """Errors by field ("subject", "body") of a template as admins typed it, rendered with
    the sample data; empty when it works."""
    errors: dict[str, str] = {}
    for name, source in (("subject", subject), ("body", body)):
        try:
            render_text(source or "", SAMPLE)
        except TemplateSyntaxError as exc:
            errors[name] = f"Mẫu viết sai cú pháp: {exc}"
        except Exception as exc:  # noqa: BLE001 - anything a template can raise while rendering
            errors[name] = f"Mẫu không hiển thị được với dữ liệu mẫu: {exc}"
    if not (body or "").strip():
        errors["body"] = "Hãy nhập nội dung thông báo."
    return errors


def strip_diacritics(text: str) -> str:
    """Vietnamese without marks ("Hồ sơ đã" → "Ho so da"), as SMS brandname messages are sent."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def _finish(channel: str, subject: str, body: str) -> tuple[str, str]:
    subject = " ".join(subject.split())[:SUBJECT_MAX]
    if channel == Channel.SMS:
        body = " ".join(body.split())
        if getattr(settings, "NOTIFICATIONS_SMS_ASCII", True):
            body = strip_diacritics(body)
        body = body[:SMS_MAX]
    return subject, body


def render(event: str, channel: str, data: dict, template: NotificationTemplate | None = None) -> Rendered:
    """The words of ``event`` on ``channel`` for ``data``; ``template`` is the admins' row
    (looked up when not given)."""
    if template is None:
        template = NotificationTemplate.objects.filter(event=event, channel=channel, active=True).first()
    data = {**SAMPLE_KEYS_EMPTY, **data}
    warning = ""
    if template is not None and template.active and template.body.strip():
        try:
            return Rendered(*_finish(channel, render_text(template.subject, data), render_text(template.body, data)))
        except Exception as exc:  # noqa: BLE001 - a broken template must not stop the message
            warning = f"Mẫu “{template}” lỗi ({exc}); đã dùng mẫu mặc định."
            logger.warning("notification template %s failed: %s", template.pk, exc)
    subject, body = default_template(event, channel)
    return Rendered(*_finish(channel, render_text(subject, data), render_text(body, data)), warning=warning)


# Every name a template may use is defined (empty) so that ``{% if note %}`` and friends
# behave the same whether or not an event carries that piece of data.
SAMPLE_KEYS_EMPTY = dict.fromkeys(SAMPLE, "") | {"items": [], "count": 0, "more": 0}
