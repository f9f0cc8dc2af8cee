"""The shipped Vietnamese templates as editable rows (notifications.defaults)."""

from django.db import migrations


def add_defaults(apps, schema_editor):
    from notifications.constants import Channel
    from notifications.defaults import DEFAULTS, default_template

    NotificationTemplate = apps.get_model("notifications", "NotificationTemplate")
    for event in DEFAULTS:
        for channel in Channel.values:
            subject, body = default_template(event, channel)
            NotificationTemplate.objects.get_or_create(
                event=event, channel=channel, defaults={"subject": subject, "body": body}
            )


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
