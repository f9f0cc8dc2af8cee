"""What an access record says was seen, and through which door."""

from django.db import models


class AccessKind(models.TextChoices):
    """What the officer saw (nội dung đã xem)."""

    DOSSIER = "dossier", "Xem hồ sơ"
    FILE = "file", "Xem, tải giấy tờ đính kèm"
    FORM = "form", "Xem biểu mẫu, phiếu in (PDF)"
    RECEIPT = "receipt", "Xem biên lai thu phí, lệ phí"
    LIST = "list", "Xem danh sách hồ sơ"
    SEARCH = "search", "Tìm kiếm hồ sơ, công dân"
    EXPORT = "export", "Xuất danh sách (PDF, Excel)"
    ACCOUNT = "account", "Xem tài khoản công dân"


class AccessChannel(models.TextChoices):
    """Where it was seen."""

    WEB = "web", "Trang cán bộ"
    API = "api", "API"
    ADMIN = "admin", "Trang quản trị"


# The role written for someone who sees data without a staff assignment: a superuser
# (they may look at every dossier, dossiers.selectors.officer_handles) or a staff member
# of the Django admin.
SUPERUSER_ROLE = "superuser"
STAFF_ROLE = "staff"
ROLE_LABELS = {SUPERUSER_ROLE: "Quản trị viên hệ thống", STAFF_ROLE: "Người quản trị"}
