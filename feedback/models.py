import uuid

from django.conf import settings
from django.db import models

from .constants import FeedbackCategory, FeedbackKind, FeedbackState, RatingSource, Satisfaction, Vote


class Rating(models.Model):
    """The applicant's rating of how one dossier was handled (đánh giá mức độ hài lòng):
    once per dossier, online by its owner or recorded by the one-stop officer from the
    paper slip. Feeds the satisfaction index (QĐ 766)."""

    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.CASCADE, related_name="rating")
    source = models.CharField("hình thức", max_length=10, choices=RatingSource.choices)
    overall = models.CharField("đánh giá chung", max_length=20, choices=Satisfaction.choices)
    criteria = models.JSONField("theo từng tiêu chí", default=dict)
    comment = models.TextField("ý kiến", blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="cán bộ ghi nhận",
    )
    created_at = models.DateTimeField("thời điểm", auto_now_add=True)

    class Meta:
        verbose_name = "đánh giá mức độ hài lòng"
        verbose_name_plural = "đánh giá mức độ hài lòng"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["overall", "created_at"], name="rating_overall")]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.get_overall_display()}"


class Feedback(models.Model):
    """A citizen's phản ánh or kiến nghị about a dossier, a procedure or an agency, signed
    or anonymous; officers of the agency accept or refuse it, answer it and publish the
    answer, each within its deadline in working days."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField("loại", max_length=10, choices=FeedbackKind.choices)
    title = models.CharField("tiêu đề", max_length=200)
    content = models.TextField("nội dung")
    agency = models.ForeignKey("procedures.Agency", on_delete=models.PROTECT, related_name="feedback")
    dossier = models.ForeignKey("dossiers.Dossier", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    procedure = models.ForeignKey(
        "procedures.Procedure", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    anonymous = models.BooleanField("ẩn danh", default=False)
    sender_name = models.CharField("họ tên", max_length=200, blank=True)
    sender_contact = models.CharField("điện thoại hoặc thư điện tử", max_length=200, blank=True)
    state = models.CharField("trạng thái", max_length=12, choices=FeedbackState.choices, default=FeedbackState.RECEIVED)
    received_at = models.DateTimeField("nhận lúc", auto_now_add=True)
    accept_due = models.DateTimeField("hạn tiếp nhận")
    answer_due = models.DateTimeField("hạn trả lời")
    publish_due = models.DateTimeField("hạn công khai", null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    category = models.CharField("phân loại", max_length=10, choices=FeedbackCategory.choices, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_assigned",
        verbose_name="cán bộ xử lý",
    )
    accepted_at = models.DateTimeField("tiếp nhận lúc", null=True, blank=True)
    refused_at = models.DateTimeField("từ chối lúc", null=True, blank=True)
    likes = models.PositiveIntegerField("số lượt hài lòng", default=0)
    dislikes = models.PositiveIntegerField("số lượt chưa hài lòng", default=0)
    refusal_reason = models.TextField("lý do không tiếp nhận", blank=True)
    answer = models.TextField("trả lời", blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "phản ánh, kiến nghị"
        verbose_name_plural = "phản ánh, kiến nghị"
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["agency", "state", "answer_due"], name="feedback_queue")]

    def __str__(self) -> str:
        return self.title


class FeedbackVote(models.Model):
    """One visitor's like or dislike of a published answer: a signed-in user by account,
    anyone else by a random browser token (``voter`` is ``u:<id>`` or ``c:<sha256>``).
    Voting again changes the vote; ``Feedback.likes``/``dislikes`` are kept in step."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="votes")
    voter = models.CharField(max_length=80)
    value = models.SmallIntegerField(choices=Vote.choices)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "ý kiến về câu trả lời"
        verbose_name_plural = "ý kiến về câu trả lời"
        constraints = [models.UniqueConstraint(fields=["feedback", "voter"], name="one_vote_per_voter")]

    def __str__(self) -> str:
        return f"{self.feedback_id}: {self.get_value_display()}"
