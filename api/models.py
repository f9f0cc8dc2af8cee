from django.conf import settings
from django.db import models


class ApiClient(models.Model):
    """A key another system or an app uses to call the API (khóa API) on behalf of one
    account. Only a hash of the key is stored; its first characters identify it in logs."""

    name = models.CharField("tên hệ thống, ứng dụng", max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_clients", verbose_name="tài khoản"
    )
    prefix = models.CharField("mã nhận diện", max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    scopes = models.JSONField("phạm vi quyền", default=list)
    rate = models.CharField("giới hạn tần suất", max_length=20, blank=True, help_text="Ví dụ 600/min; trống: mặc định")
    active = models.BooleanField("đang hiệu lực", default=True)
    expires_at = models.DateTimeField("hết hạn lúc", null=True, blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    last_used_at = models.DateTimeField("dùng lần cuối", null=True, blank=True)

    class Meta:
        verbose_name = "khóa API"
        verbose_name_plural = "khóa API"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class IdempotencyRecord(models.Model):
    """The first answer to a creating request sent with an ``Idempotency-Key``: the same
    key with the same request gets it again; with a different request, 409."""

    owner = models.CharField(max_length=40)  # "c:<client id>" or "u:<user id>"
    key = models.CharField(max_length=100)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    body = models.JSONField(null=True)
    headers = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "key"], name="one_answer_per_key")]

    def __str__(self) -> str:
        return f"{self.owner} {self.key}"
