"""The personal-data access log (nhật ký truy cập dữ liệu cá nhân) and the warnings
before an abandoned draft is deleted.

``PersonalDataAccess`` is append-only: one row per time an officer or an admin saw a
citizen's data, written by ``privacy.services.access_record`` only. Rows are never
changed (the model refuses, and on PostgreSQL a trigger refuses any UPDATE); the
retention schedule (``privacy.retention.access_log_purge``) deletes them after
``PRIVACY_ACCESS_LOG_RETENTION_DAYS``.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .constants import ROLE_LABELS, AccessChannel, AccessKind


class PersonalDataAccess(models.Model):
    """One access by an officer (or admin) to a citizen's personal data."""

    at = models.DateTimeField("thời điểm", default=timezone.now)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="người xem"
    )
    role = models.CharField("vai trò", max_length=30, blank=True)
    agency = models.ForeignKey(
        "procedures.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="cơ quan của người xem",
    )
    # Whose data and which dossier: plain references (no database constraint), so that a
    # deleted draft or account keeps its access history, which must outlive it.
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name="chủ dữ liệu (công dân)",
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name="hồ sơ",
    )
    dossier_code = models.CharField("mã hồ sơ", max_length=40, blank=True)
    kind = models.CharField("nội dung đã xem", max_length=10, choices=AccessKind.choices)
    channel = models.CharField("qua", max_length=10, choices=AccessChannel.choices, default=AccessChannel.WEB)
    detail = models.CharField("chi tiết", max_length=300, blank=True, help_text="Tệp, biểu mẫu hoặc từ khóa tìm kiếm.")
    result_count = models.PositiveIntegerField("số kết quả", null=True, blank=True)
    path = models.CharField("địa chỉ trang", max_length=300, blank=True)
    ip = models.GenericIPAddressField("địa chỉ IP", null=True, blank=True)
    request_id = models.CharField("mã yêu cầu", max_length=64, blank=True)

    class Meta:
        verbose_name = "lượt truy cập dữ liệu cá nhân"
        verbose_name_plural = "nhật ký truy cập dữ liệu cá nhân"
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["dossier", "-at"], name="access_by_dossier"),
            models.Index(fields=["subject", "-at"], name="access_by_subject"),
            models.Index(fields=["officer", "-at"], name="access_by_officer"),
            models.Index(fields=["at"], name="access_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.officer_id} {self.get_kind_display()} {self.dossier_code}"

    @property
    def role_label(self) -> str:
        from accounts.constants import StaffRole

        if self.role in StaffRole.values:
            return str(StaffRole(self.role).label)
        return ROLE_LABELS.get(self.role, self.role)

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValueError("Nhật ký truy cập dữ liệu cá nhân không được sửa.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Nhật ký truy cập dữ liệu cá nhân chỉ được xóa theo thời hạn lưu trữ.")


class DraftExpiryWarning(models.Model):
    """The citizen was told that their abandoned draft (hồ sơ nháp bỏ dở) will be deleted.

    Valid for the draft as it stood when warned: a draft opened or edited since
    (``updated_at`` later than ``warned_at``) is renewed, and a later warning replaces
    this one. A draft is deleted only after a warning at least
    ``DOSSIER_DRAFT_WARNING_DAYS`` old that is still valid."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="expiry_warning", verbose_name="hồ sơ nháp"
    )
    warned_at = models.DateTimeField("đã báo lúc")
    delete_after = models.DateTimeField("xóa sau")

    class Meta:
        verbose_name = "báo trước khi xóa hồ sơ nháp"
        verbose_name_plural = "báo trước khi xóa hồ sơ nháp"

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.warned_at:%d/%m/%Y}"
