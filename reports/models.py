from django.db import models


class DailyAgencyStats(models.Model):
    """What happened at one agency on one day (local calendar day): a rollup row, rebuilt
    idempotently by ``reports.services.rollup_day``; reports sum these rows."""

    day = models.DateField("ngày")
    agency = models.ForeignKey("procedures.Agency", on_delete=models.CASCADE, related_name="+")
    submitted = models.PositiveIntegerField("hồ sơ nộp", default=0)
    submitted_online = models.PositiveIntegerField("hồ sơ nộp trực tuyến", default=0)
    received = models.PositiveIntegerField("hồ sơ tiếp nhận", default=0)
    received_online = models.PositiveIntegerField("tiếp nhận trực tuyến", default=0)
    resolved = models.PositiveIntegerField("đã có kết quả", default=0)
    resolved_on_time = models.PositiveIntegerField("có kết quả đúng hạn", default=0)
    resolved_late = models.PositiveIntegerField("có kết quả quá hạn", default=0)
    ratings = models.PositiveIntegerField("lượt đánh giá", default=0)
    ratings_satisfied = models.PositiveIntegerField("đánh giá hài lòng trở lên", default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "số liệu ngày theo cơ quan"
        verbose_name_plural = "số liệu ngày theo cơ quan"
        constraints = [models.UniqueConstraint(fields=["day", "agency"], name="daily_agency_once")]
        indexes = [models.Index(fields=["agency", "day"], name="daily_agency_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.agency_id}"


COUNTED = (
    "submitted",
    "submitted_online",
    "received",
    "received_online",
    "resolved",
    "resolved_on_time",
    "resolved_late",
    "ratings",
    "ratings_satisfied",
)
