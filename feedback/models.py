from django.conf import settings
from django.db import models

from .constants import RatingSource, Satisfaction


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
