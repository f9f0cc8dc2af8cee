from django.db import models


class PushKind(models.TextChoices):
    """Which endpoint of the national portal receives the push (URLThemMoi / URLCapNhat)."""

    CREATE = "create", "Thêm mới hồ sơ"
    UPDATE = "update", "Cập nhật hồ sơ"


class PushState(models.TextChoices):
    PENDING = "pending", "Chờ gửi"
    RETRYING = "retrying", "Gửi lỗi, sẽ gửi lại"
    SENT = "sent", "Đã đồng bộ"


# Waits between attempts (seconds), the last one repeated: a push is never given up; an
# admin sees the error and may send it again at once.
BACKOFF = (30, 60, 120, 300, 900, 1800, 3600)
# The national portal's date format (research vietnam-domain.md §2.5).
DATE_FORMAT = "%Y%m%d%H%M%S"
