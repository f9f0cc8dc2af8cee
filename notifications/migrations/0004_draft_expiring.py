from django.db import migrations, models


def add_templates(apps, schema_editor):
    """The warning before an abandoned draft is deleted (hồ sơ nháp sắp bị xóa): its templates."""
    from notifications.constants import Channel, Event
    from notifications.defaults import default_template

    NotificationTemplate = apps.get_model("notifications", "NotificationTemplate")
    for channel in Channel.values:
        subject, body = default_template(Event.DRAFT_EXPIRING, channel)
        NotificationTemplate.objects.get_or_create(
            event=Event.DRAFT_EXPIRING, channel=channel, defaults={"subject": subject, "body": body}
        )


EVENTS = [
    ("submitted", "Đã nộp hồ sơ"),
    ("received", "Đã tiếp nhận hồ sơ, hẹn trả kết quả"),
    ("supplement_requested", "Yêu cầu bổ sung hồ sơ"),
    ("supplement_received", "Đã nhận hồ sơ bổ sung"),
    ("refused", "Từ chối tiếp nhận hồ sơ"),
    ("payment_requested", "Yêu cầu nộp phí, lệ phí"),
    ("payment_confirmed", "Đã xác nhận nộp phí, lệ phí"),
    ("result_ready", "Đã có kết quả"),
    ("result_handed_over", "Đã trả kết quả"),
    ("apology", "Xin lỗi và hẹn lại ngày trả kết quả"),
    ("stopped", "Dừng xử lý hồ sơ"),
    ("withdrawn", "Đã rút hồ sơ"),
    ("supplement_due", "Nhắc hạn bổ sung hồ sơ"),
    ("feedback_answered", "Phản ánh, kiến nghị đã được trả lời"),
    ("draft_expiring", "Hồ sơ nháp sắp bị xóa"),
    ("assigned", "Hồ sơ được giao cho tôi"),
    ("due_tomorrow", "Hồ sơ đến hạn ngày làm việc tới"),
    ("overdue_digest", "Hồ sơ quá hạn (tổng hợp hằng ngày)"),
]


class Migration(migrations.Migration):
    dependencies = [("notifications", "0003_supplement_due")]

    operations = [
        migrations.AlterField(
            model_name="notification",
            name="event",
            field=models.CharField(choices=EVENTS, max_length=40, verbose_name="sự kiện"),
        ),
        migrations.AlterField(
            model_name="notificationtemplate",
            name="event",
            field=models.CharField(choices=EVENTS, max_length=40, verbose_name="sự kiện"),
        ),
        migrations.RunPython(add_templates, migrations.RunPython.noop),
    ]
