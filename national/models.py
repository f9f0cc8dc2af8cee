from django.db import models

from .constants import PushKind, PushState


class Push(models.Model):
    """One message to the national portal (outbox): the dossier as it stood after one of
    its history rows, sent in ``seq`` order per dossier; built inside the transaction of
    the change, so nothing is lost if the broker or the portal is down."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="national_pushes")
    change = models.OneToOneField(
        "dossiers.StatusChange", on_delete=models.CASCADE, related_name="national_push", verbose_name="bước xử lý"
    )
    seq = models.PositiveIntegerField("thứ tự")
    kind = models.CharField("loại", max_length=10, choices=PushKind.choices)
    payload = models.JSONField("gói tin")
    state = models.CharField("trạng thái", max_length=10, choices=PushState.choices, default=PushState.PENDING)
    attempts = models.PositiveSmallIntegerField("số lần gửi", default=0)
    next_attempt_at = models.DateTimeField("gửi lại lúc", null=True, blank=True)
    last_error = models.TextField("lỗi lần gửi cuối", blank=True)
    response = models.JSONField("trả lời của Cổng quốc gia", null=True, blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    sent_at = models.DateTimeField("gửi thành công lúc", null=True, blank=True)

    class Meta:
        verbose_name = "gói tin đồng bộ"
        verbose_name_plural = "gói tin đồng bộ"
        ordering = ["dossier_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["dossier", "seq"], name="one_push_per_seq")]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="push_due"),
        ]

    def __str__(self) -> str:
        return f"{self.payload.get('MaHoSo', self.dossier_id)} #{self.seq}"


class SyncState(models.Model):
    """A dossier's sync with the national portal at a glance (trạng thái đồng bộ)."""

    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.CASCADE, related_name="national_sync")
    last_seq = models.PositiveIntegerField("số gói tin", default=0)
    sent_seq = models.PositiveIntegerField("đã gửi đến gói", default=0)
    first_sent_at = models.DateTimeField("lần đầu có trên Cổng quốc gia", null=True, blank=True)
    last_error = models.TextField("lỗi gần nhất", blank=True)
    # While a worker sends this dossier's pushes (no lock is held during the HTTP call).
    lease_until = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "trạng thái đồng bộ hồ sơ"
        verbose_name_plural = "trạng thái đồng bộ hồ sơ"

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.sent_seq}/{self.last_seq}"

    @property
    def in_sync(self) -> bool:
        return self.sent_seq == self.last_seq


class SandboxReceipt(models.Model):
    """What the portal's own stand-in for the national endpoint received (demos, tests)."""

    kind = models.CharField(max_length=10, choices=PushKind.choices)
    code = models.CharField("mã hồ sơ", max_length=40, db_index=True)
    status = models.PositiveSmallIntegerField("trạng thái hồ sơ")
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "gói tin hộp cát nhận được"
        verbose_name_plural = "gói tin hộp cát nhận được"
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.code} {self.status}"


class CatalogPull(models.Model):
    """One scheduled pull of the national procedure package (gói tin CSDL quốc gia về TTHC):
    what changed went into drafts, for an admin to review and publish; nothing is
    published by the pull."""

    started_at = models.DateTimeField("lúc", auto_now_add=True)
    source = models.CharField("nguồn", max_length=500)
    ok = models.BooleanField("thành công", default=False)
    created_codes = models.JSONField("thủ tục mới", default=list)
    updated_codes = models.JSONField("thủ tục thay đổi", default=list)
    unchanged = models.PositiveIntegerField("không thay đổi", default=0)
    warnings = models.JSONField("cảnh báo", default=list)
    error = models.TextField("lỗi", blank=True)
    reviewed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người xem"
    )
    reviewed_at = models.DateTimeField("đã xem lúc", null=True, blank=True)

    class Meta:
        verbose_name = "lần lấy danh mục từ CSDL quốc gia"
        verbose_name_plural = "các lần lấy danh mục từ CSDL quốc gia"
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.started_at:%d/%m/%Y %H:%M}"

    @property
    def changed(self) -> int:
        return len(self.created_codes) + len(self.updated_codes)
