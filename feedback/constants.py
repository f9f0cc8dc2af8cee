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


class FeedbackKind(models.TextChoices):
    REPORT = "report", "Phản ánh"
    PROPOSAL = "proposal", "Kiến nghị"


class FeedbackCategory(models.TextChoices):
    """How the officer classifies feedback on receipt (ND 20/2008 Art. 9; 766 indicator 5.1)."""

    RULES = "rules", "Quy định, chính sách, thủ tục hành chính"
    CONDUCT = "conduct", "Hành vi của cán bộ, công chức"


class Vote(models.IntegerChoices):
    """The public's reaction to a published answer (766 5.3: more dislikes than likes
    counts the feedback as not satisfied)."""

    LIKE = 1, "Hài lòng với câu trả lời"
    DISLIKE = -1, "Chưa hài lòng với câu trả lời"


class FeedbackState(models.TextChoices):
    """As the national PAKN dashboard groups them (research vietnam-domain.md §6.2)."""

    RECEIVED = "received", "Chờ tiếp nhận"
    PROCESSING = "processing", "Đang xử lý"
    REFUSED = "refused", "Không tiếp nhận"
    ANSWERED = "answered", "Đã trả lời, chờ công khai"
    PUBLISHED = "published", "Đã công khai"


# Deadlines in working days (the 766 dashboard, research §6.2): accept or refuse within 2,
# answer within 15 from receipt, publish within 2 of the answer.
ACCEPT_DAYS = 2
ANSWER_DAYS = 15
PUBLISH_DAYS = 2
