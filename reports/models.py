"""Report tables. Three layers, each rebuilt from the one below:

1. ``DossierFact`` — one row per dossier: the dossier as the reports count it (the QĐ 766
   rules applied once, in ``reports.facts``), refreshed when the dossier changes.
2. ``DailyAgencyStats`` — per agency and day, additive counts of the facts.
3. ``MonthlyProcedureStats`` — per agency, procedure and month, for the procedure tables
   and the funnel.

Report pages read only layers 2 and 3 (and facts for a drill-down page), never the dossiers.
"""

from django.db import models


class EndKind(models.TextChoices):
    """How processing ended, for QĐ 766 (thời điểm kết thúc xử lý)."""

    RESOLVED = "resolved", "Đã giải quyết"
    STOPPED = "stopped", "Dừng xử lý"
    WITHDRAWN = "withdrawn", "Công dân rút hồ sơ"
    SUPPLEMENT = "supplement", "Chờ bổ sung (chưa bổ sung)"


class Timeliness(models.TextChoices):
    EARLY = "early", "Trước hạn"
    ON_TIME = "on_time", "Đúng hạn"
    LATE = "late", "Quá hạn"


class DossierFact(models.Model):
    """A dossier as the reports count it (one source of truth: ``reports.facts.fact_values``)."""

    dossier = models.OneToOneField("dossiers.Dossier", primary_key=True, on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey("procedures.Agency", on_delete=models.CASCADE, related_name="+")
    procedure = models.ForeignKey("procedures.Procedure", on_delete=models.CASCADE, related_name="+")
    channel = models.PositiveSmallIntegerField()
    status = models.PositiveSmallIntegerField()
    created_on = models.DateField()
    submitted_on = models.DateField(null=True)
    received_on = models.DateField(null=True)
    ended_at = models.DateTimeField(null=True)
    ended_on = models.DateField(null=True)
    end_kind = models.CharField(max_length=12, choices=EndKind.choices, blank=True)
    timeliness = models.CharField(max_length=8, choices=Timeliness.choices, blank=True)
    due_at = models.DateTimeField("ngày hẹn trả (ban đầu)", null=True)
    late_from_on = models.DateField("quá hạn từ ngày", null=True)
    supplements = models.PositiveSmallIntegerField(default=0)
    processing_minutes = models.PositiveIntegerField(null=True)
    fee_due = models.BooleanField(default=False)
    paid_online = models.BooleanField(default=False)
    digitised = models.BooleanField(default=False)
    reused = models.BooleanField(default=False)
    synced = models.BooleanField("có trên Cổng DVCQG", default=False)
    e_result = models.BooleanField(default=False)
    returned = models.BooleanField(default=False)
    complained = models.BooleanField(default=False)
    rated_on = models.DateField(null=True)
    rating = models.CharField(max_length=20, blank=True)
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "hồ sơ trong báo cáo"
        verbose_name_plural = "hồ sơ trong báo cáo"
        indexes = [
            models.Index(fields=["agency", "created_on"], name="fact_created"),
            models.Index(fields=["agency", "submitted_on"], name="fact_submitted"),
            models.Index(fields=["agency", "received_on"], name="fact_received"),
            models.Index(fields=["agency", "ended_on"], name="fact_ended"),
            models.Index(fields=["agency", "late_from_on"], name="fact_late_from"),
            models.Index(fields=["agency", "rated_on"], name="fact_rated"),
        ]

    def __str__(self) -> str:
        return f"fact {self.dossier_id}"


# The additive daily counts; ``reports.rollups`` defines how each is counted from the facts.
DAILY = (
    "submitted",
    "submitted_online",
    "received",
    "received_online",
    "received_post",
    "ended",
    "ended_early",
    "ended_on_time",
    "ended_late",
    "ended_resolved",
    "ended_stopped",
    "ended_withdrawn",
    "ended_supplement",
    "ended_complained",
    "ended_complained_late",
    "resolved_e_result",
    "late_open_start",
    "late_open_stop",
    "fee_due",
    "paid_online",
    "digitised",
    "reused",
    "synced",
    "ratings",
    "ratings_satisfied",
    "ratings_dissatisfied",
)


class DailyAgencyStats(models.Model):
    """What happened at one agency on one local day: counts of ``DossierFact`` rows by the
    day of each event (received, ended, became late while open, rated …). Open stock at the
    end of a day is the running sum of received − ended; late open stock the running sum of
    late_open_start − late_open_stop (``reports.selectors``)."""

    day = models.DateField("ngày")
    agency = models.ForeignKey("procedures.Agency", on_delete=models.CASCADE, related_name="+")
    submitted = models.PositiveIntegerField(default=0)
    submitted_online = models.PositiveIntegerField(default=0)
    received = models.PositiveIntegerField(default=0)
    received_online = models.PositiveIntegerField(default=0)
    received_post = models.PositiveIntegerField(default=0)
    ended = models.PositiveIntegerField(default=0)
    ended_early = models.PositiveIntegerField(default=0)
    ended_on_time = models.PositiveIntegerField(default=0)
    ended_late = models.PositiveIntegerField(default=0)
    ended_resolved = models.PositiveIntegerField(default=0)
    ended_stopped = models.PositiveIntegerField(default=0)
    ended_withdrawn = models.PositiveIntegerField(default=0)
    ended_supplement = models.PositiveIntegerField(default=0)
    ended_complained = models.PositiveIntegerField(default=0)
    ended_complained_late = models.PositiveIntegerField(default=0)
    resolved_e_result = models.PositiveIntegerField(default=0)
    late_open_start = models.PositiveIntegerField(default=0)
    late_open_stop = models.PositiveIntegerField(default=0)
    fee_due = models.PositiveIntegerField(default=0)
    paid_online = models.PositiveIntegerField(default=0)
    digitised = models.PositiveIntegerField(default=0)
    reused = models.PositiveIntegerField(default=0)
    synced = models.PositiveIntegerField(default=0)
    ratings = models.PositiveIntegerField(default=0)
    ratings_satisfied = models.PositiveIntegerField(default=0)
    ratings_dissatisfied = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "số liệu ngày theo cơ quan"
        verbose_name_plural = "số liệu ngày theo cơ quan"
        constraints = [models.UniqueConstraint(fields=["day", "agency"], name="daily_agency_once")]
        indexes = [models.Index(fields=["agency", "day"], name="daily_agency_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.agency_id}"


MONTHLY = (
    "started_online",
    "cohort_submitted",
    "cohort_received",
    "cohort_returned",
    "received",
    "received_online",
    "resolved",
    "resolved_minutes",
)


class MonthlyProcedureStats(models.Model):
    """Per agency, procedure and month (first day of the month). ``started_online`` and the
    ``cohort_*`` columns follow the online dossiers started that month (the funnel);
    the others count by the month of the event."""

    month = models.DateField("tháng")
    agency = models.ForeignKey("procedures.Agency", on_delete=models.CASCADE, related_name="+")
    procedure = models.ForeignKey("procedures.Procedure", on_delete=models.CASCADE, related_name="+")
    started_online = models.PositiveIntegerField(default=0)
    cohort_submitted = models.PositiveIntegerField(default=0)
    cohort_received = models.PositiveIntegerField(default=0)
    cohort_returned = models.PositiveIntegerField(default=0)
    received = models.PositiveIntegerField(default=0)
    received_online = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)
    resolved_minutes = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "số liệu tháng theo thủ tục"
        verbose_name_plural = "số liệu tháng theo thủ tục"
        constraints = [models.UniqueConstraint(fields=["month", "agency", "procedure"], name="monthly_procedure_once")]
        indexes = [
            models.Index(fields=["month", "agency"], name="monthly_month_agency"),
            # 766 3.2: the (agency, procedure) pairs with an online dossier in a period.
            models.Index(
                fields=["month", "agency", "procedure"],
                name="monthly_online_pairs",
                condition=models.Q(received_online__gt=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y} {self.agency_id} {self.procedure_id}"


class StaleDossier(models.Model):
    """A dossier whose fact must be computed again (written in the dossier's own transaction,
    taken by ``reports.services.refresh``)."""

    dossier_id = models.BigIntegerField(primary_key=True)
    marked_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"stale {self.dossier_id}"


class RefreshState(models.Model):
    """The highest dossier id the refresher has seen (new drafts have no status change)."""

    name = models.CharField(max_length=30, primary_key=True)
    last_dossier_id = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}: {self.last_dossier_id}"
