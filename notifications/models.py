"""The outbox (one row per message, per recipient and channel), the editable templates,
and each person's channel choices."""

import uuid

from django.conf import settings
from django.db import models

from .constants import Channel, Event, OfficerEmail, State


class Notification(models.Model):
    """One message to one person on one channel (thông báo).

    Written in the transaction of the change that causes it (the transactional outbox);
    delivered after commit by ``notifications.deliver``. ``dedupe_key`` is unique, so the
    same event for the same person and channel can never be written twice, and the
    delivery claims the row before sending, so a repeated task never sends twice."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.CharField("sự kiện", max_length=40, choices=Event.choices)
    channel = models.CharField("kênh", max_length=10, choices=Channel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
        verbose_name="người nhận",
    )
    to_address = models.CharField("địa chỉ nhận", max_length=254, blank=True)
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name="hồ sơ",
    )
    change = models.ForeignKey(
        "dossiers.StatusChange", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dedupe_key = models.CharField(max_length=200, unique=True)
    context = models.JSONField("dữ liệu", default=dict, blank=True)
    subject = models.CharField("tiêu đề", max_length=300, blank=True)
    body = models.TextField("nội dung", blank=True)
    state = models.CharField("trạng thái", max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField("số lần gửi", default=0)
    next_attempt_at = models.DateTimeField("gửi (lại) từ", null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField("lỗi gần nhất", blank=True)
    provider_reference = models.CharField("mã của nhà cung cấp", max_length=200, blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField("gửi lúc", null=True, blank=True)
    read_at = models.DateTimeField("đọc lúc", null=True, blank=True)
    digest = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bundled",
        verbose_name="gửi trong thư tổng hợp",
        help_text="Thư điện tử giữ lại cho thư tổng hợp trong ngày của cán bộ: thư đã mang nó.",
    )

    class Meta:
        verbose_name = "thông báo"
        verbose_name_plural = "thông báo"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="notification_due"),
            models.Index(
                fields=["recipient", "-created_at"],
                condition=models.Q(channel="in_app", state="sent"),
                name="notification_inbox",
            ),
            models.Index(
                fields=["recipient"],
                condition=models.Q(channel="in_app", state="sent", read_at__isnull=True),
                name="notification_unread",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} – {self.get_channel_display()} – {self.to_address or self.recipient_id}"


class NotificationTemplate(models.Model):
    """The wording of one event on one channel (mẫu thông báo), editable by admins.

    Django template syntax over the notification's data (``notifications.rendering``);
    an empty or broken template falls back to the shipped Vietnamese default."""

    event = models.CharField("sự kiện", max_length=40, choices=Event.choices)
    channel = models.CharField("kênh", max_length=10, choices=Channel.choices)
    subject = models.CharField("tiêu đề", max_length=300, blank=True, help_text="Thư điện tử và thông báo trên Cổng.")
    body = models.TextField("nội dung")
    active = models.BooleanField("đang dùng", default=True)
    updated_at = models.DateTimeField("sửa lúc", auto_now=True)

    class Meta:
        verbose_name = "mẫu thông báo"
        verbose_name_plural = "mẫu thông báo"
        ordering = ["event", "channel"]
        constraints = [models.UniqueConstraint(fields=["event", "channel"], name="notification_template_once")]

    def __str__(self) -> str:
        return f"{self.get_event_display()} – {self.get_channel_display()}"


class ChannelPreference(models.Model):
    """Which channels a person wants besides the in-app list (always on), and for an
    officer whether work e-mail comes one by one or as one digest a day."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email = models.BooleanField("nhận qua thư điện tử", default=True)
    sms = models.BooleanField("nhận qua tin nhắn SMS", default=True)
    officer_email = models.CharField(
        "thư điện tử về công việc (cán bộ)", max_length=10, choices=OfficerEmail.choices, default=OfficerEmail.EACH
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "kênh nhận thông báo"
        verbose_name_plural = "kênh nhận thông báo"

    def __str__(self) -> str:
        return f"{self.user}: thư {'có' if self.email else 'không'}, SMS {'có' if self.sms else 'không'}"
