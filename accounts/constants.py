from django.db import models


class AccountKind(models.TextChoices):
    """Who an account belongs to (loại tài khoản)."""

    CITIZEN = "citizen", "Công dân"
    BUSINESS = "business", "Doanh nghiệp, tổ chức"
    OFFICER = "officer", "Cán bộ, công chức"


class StaffRole(models.TextChoices):
    """Roles of officers inside an agency (research vietnam-domain §2.2)."""

    ONE_STOP_OFFICER = "one_stop_officer", "Cán bộ một cửa"
    SPECIALIST = "specialist", "Chuyên viên xử lý"
    DEPARTMENT_LEADER = "department_leader", "Lãnh đạo phòng"
    AGENCY_LEADER = "agency_leader", "Lãnh đạo đơn vị"
    AGENCY_ADMIN = "agency_admin", "Quản trị đơn vị"
    PROVINCIAL_ADMIN = "provincial_admin", "Quản trị hệ thống cấp tỉnh"
