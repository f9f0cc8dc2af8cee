"""Demo accounts, one for every role; all share ``DEMO_PASSWORD``.

Officers are assigned (``StaffAssignment``) to Sở Tư pháp (``STP``) or to the ward
Hạc Thành (``HACTHANH``); the provincial administrator to the provincial People's
Committee. Citizens log in with their 12-digit personal identification number,
businesses with their 10-digit tax code.
"""

import datetime

# username, full name, role label shown in the banner, agency key, StaffRole value, department
OFFICERS = [
    ("quantri.tinh", "Lê Văn Quang", "Quản trị hệ thống cấp tỉnh", "UBND", "provincial_admin",
     "Trung tâm Phục vụ hành chính công tỉnh"),
    ("quantri.stp", "Nguyễn Thị Thu Hà", "Quản trị đơn vị – Sở Tư pháp", "STP", "agency_admin", "Văn phòng Sở"),
    ("motcua.stp", "Trần Thị Mai", "Cán bộ một cửa – Sở Tư pháp", "STP", "one_stop_officer",
     "Bộ phận Một cửa tại Trung tâm Phục vụ hành chính công tỉnh"),
    ("chuyenvien.stp", "Phạm Văn Đức", "Chuyên viên xử lý – Sở Tư pháp", "STP", "specialist",
     "Phòng Hành chính tư pháp"),
    ("truongphong.stp", "Hoàng Minh Tuấn", "Lãnh đạo phòng – Sở Tư pháp", "STP", "department_leader",
     "Phòng Hành chính tư pháp"),
    ("lanhdao.stp", "Đỗ Thị Lan", "Lãnh đạo đơn vị – Sở Tư pháp", "STP", "agency_leader", "Ban Giám đốc Sở"),
    ("quantri.hacthanh", "Vũ Đình Khoa", "Quản trị đơn vị – UBND phường Hạc Thành", "HACTHANH", "agency_admin",
     "Văn phòng HĐND và UBND phường"),
    ("motcua.hacthanh", "Lê Thị Ngọc Anh", "Cán bộ một cửa – UBND phường Hạc Thành", "HACTHANH",
     "one_stop_officer", "Trung tâm Phục vụ hành chính công phường"),
    ("chuyenvien.hacthanh", "Nguyễn Văn Bình", "Chuyên viên xử lý – UBND phường Hạc Thành", "HACTHANH",
     "specialist", "Phòng Văn hóa – Xã hội"),
    ("truongphong.hacthanh", "Trịnh Thị Hương", "Lãnh đạo phòng – UBND phường Hạc Thành", "HACTHANH",
     "department_leader", "Phòng Văn hóa – Xã hội"),
    ("lanhdao.hacthanh", "Mai Xuân Hùng", "Lãnh đạo đơn vị – UBND phường Hạc Thành", "HACTHANH", "agency_leader",
     "Chủ tịch UBND phường"),
]  # fmt: skip

# 12-digit IDs: 038 = Thanh Hóa; digit 4: 0 man / 1 woman born 1900–1999; digits 5–6: year of birth.
CITIZENS = [
    {
        "username": "038087306415",
        "full_name": "Nguyễn Văn An",
        "date_of_birth": datetime.date(1987, 3, 14),
        "phone": "0912345678",
        "email": "nguyenvanan@example.vn",
        "label": "Công dân",
    },
    {
        "username": "038195207731",
        "full_name": "Lê Thị Hoa",
        "date_of_birth": datetime.date(1995, 9, 2),
        "phone": "0987654321",
        "email": "lethihoa@example.vn",
        "label": "Công dân",
    },
]

BUSINESSES = [
    {
        "username": "2801234567",
        "full_name": "Trịnh Văn Sơn",
        "organisation_name": "Công ty TNHH Thương mại và Dịch vụ Hàm Rồng",
        "phone": "02373851234",
        "email": "lienhe@hamrong.example.vn",
        "label": "Doanh nghiệp",
    },
]


def logins() -> list[tuple[str, str]]:
    """``(username, role label)`` of every demo account, in banner order."""
    rows = [(username, label) for username, _, label, *_ in OFFICERS]
    rows += [(c["username"], f"{c['label']} – {c['full_name']}") for c in CITIZENS]
    rows += [(b["username"], f"{b['label']} – {b['organisation_name']}") for b in BUSINESSES]
    return rows
