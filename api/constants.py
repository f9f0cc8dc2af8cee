"""Scopes an API key may hold (phạm vi quyền của khóa API). A key acts as its account and
can never do more than that account could on the pages; the scopes narrow it further.
The browser session (the portal's own pages and scripts) holds every scope of its account."""

SCOPES = {
    "catalog:read": "Đọc danh mục thủ tục hành chính",
    "dossiers:read": "Xem hồ sơ của tài khoản",
    "dossiers:write": "Tạo, sửa, nộp hồ sơ, bổ sung, rút hồ sơ của tài khoản",
    "payments:write": "Nộp phí, lệ phí trực tuyến cho hồ sơ của tài khoản",
    "desk:read": "Xem hàng đợi và hồ sơ của cơ quan được phân công",
    "desk:act": "Xử lý hồ sơ của cơ quan được phân công",
    "reports:read": "Đọc báo cáo, chỉ số",
}

# Default rate of a key when none is set on it (DRF's "number/period").
DEFAULT_CLIENT_RATE = "600/min"
KEY_PREFIX_LENGTH = 8
IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY_MAX = 100
IDEMPOTENCY_TTL_HOURS = 24
KEY_PATTERN = rf"^[A-Za-z0-9_.:\-]{{1,{IDEMPOTENCY_KEY_MAX}}}$"
