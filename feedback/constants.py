from django.db import models


class Satisfaction(models.TextChoices):
    """The three answers of the national survey forms (research vietnam-domain.md §6.3)."""

    VERY_SATISFIED = "very_satisfied", "Rất hài lòng"
    SATISFIED = "satisfied", "Hài lòng"
    DISSATISFIED = "dissatisfied", "Không hài lòng"


class RatingSource(models.TextChoices):
    ONLINE = "online", "Trực tuyến"
    PAPER = "paper", "Phiếu giấy (cán bộ ghi nhận)"


# The criteria asked besides the overall rating (as the provincial evaluation screens ask).
CRITERIA = {
    "convenience": "Mức độ thuận tiện khi thực hiện thủ tục (dễ thực hiện, thời gian đáp ứng)",
    "on_time": "Thời gian giải quyết so với giấy hẹn",
    "attitude": "Thái độ, tinh thần phục vụ của cán bộ",
}
