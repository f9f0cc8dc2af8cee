"""Vocabulary of the procedure catalog (danh mục thủ tục hành chính)."""

from django.db import models


class Tier(models.TextChoices):
    """Administrative tier (cấp) of an agency or of a procedure.

    The district tier is kept for history: Vietnam moved to two-tier local
    government on 1 July 2025. National codes (CAPTHUCHIEN): 0 Bộ, 1 Tỉnh, 2 Huyện, 3 Xã.
    """

    MINISTRY = "ministry", "Cấp bộ, ngành"
    PROVINCE = "province", "Cấp tỉnh"
    DISTRICT = "district", "Cấp huyện (đến 30/6/2025)"
    COMMUNE = "commune", "Cấp xã"


NATIONAL_TIER_CODES = {"0": Tier.MINISTRY, "1": Tier.PROVINCE, "2": Tier.DISTRICT, "3": Tier.COMMUNE}


class ServiceLevel(models.IntegerChoices):
    """Online service level (mức độ dịch vụ công trực tuyến).

    Levels 3 and 4 are shown also in today's legal terms (ND 42/2022 Art. 11):
    level 3 = "một phần" (partly online), level 4 = "toàn trình" (fully online).
    """

    INFORMATION = 1, "Mức độ 1 – Cung cấp thông tin"
    FORMS = 2, "Mức độ 2 – Tải biểu mẫu"
    PARTIAL = 3, "Mức độ 3 – Trực tuyến một phần"
    FULL = 4, "Mức độ 4 – Trực tuyến toàn trình"


# The badge every list and page shows for a level.
SERVICE_LEVEL_BADGE = {
    1: "Mức 1",
    2: "Mức 2",
    3: "Một phần · Mức 3",
    4: "Toàn trình · Mức 4",
}


class TimeUnit(models.TextChoices):
    """Unit of a legal time limit (đơn vị tính thời hạn giải quyết)."""

    WORKING_DAYS = "working_days", "ngày làm việc"
    DAYS = "days", "ngày"
    HOURS = "hours", "giờ làm việc"


class FeeCollection(models.TextChoices):
    """When the fees are paid (hình thức thu): before receipt, or when the agency asks."""

    BEFORE = "before", "Thu trước (khi nộp hồ sơ)"
    AFTER = "after", "Thu sau (khi cơ quan yêu cầu)"


class ApprovalChain(models.TextChoices):
    """Who signs a dossier's result (trình ký): the signing steps after the specialist's
    proposal, in order. Each step has its own deadline and records who approved."""

    DEPARTMENT = "department", "Lãnh đạo phòng ký"
    AGENCY = "agency", "Lãnh đạo cơ quan ký"
    BOTH = "both", "Lãnh đạo phòng duyệt, lãnh đạo cơ quan ký"


class FeeKind(models.TextChoices):
    """Phí (a charge for a service) or lệ phí (a levy for a state act)."""

    CHARGE = "phi", "Phí"
    LEVY = "le_phi", "Lệ phí"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Bản nháp"
    PUBLISHED = "published", "Đã công bố"


class AgencyRole(models.TextChoices):
    """How an agency takes part in a procedure."""

    IMPLEMENTING = "implementing", "Cơ quan thực hiện"
    COMPETENT = "competent", "Cơ quan có thẩm quyền"
    DELEGATED = "delegated", "Cơ quan được ủy quyền"
    COORDINATING = "coordinating", "Cơ quan phối hợp"


NATIONAL_CODE_PATTERN = r"^\d\.\d{6}$"
AGENCY_CODE_PATTERN = r"^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9]{2}$"
