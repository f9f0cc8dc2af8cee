"""Admins edit templates (checked at the field, previewed) and send failed ones again."""

import pytest
from django.urls import reverse

from notifications.constants import Channel, Event, State
from notifications.models import Notification, NotificationTemplate
from tests.dossiers.staff import agency_staff, submitted_dossier
from tests.notifications.helpers import rows

pytestmark = pytest.mark.django_db


def _template(event=Event.RECEIVED, channel=Channel.EMAIL) -> NotificationTemplate:
    return NotificationTemplate.objects.get(event=event, channel=channel)


def test_every_event_and_channel_has_its_vietnamese_template():
    assert NotificationTemplate.objects.count() == len(Event) * len(Channel)
    assert _template().body.startswith("Kính gửi {{ applicant_name }}")


def test_a_broken_template_is_refused_at_its_field_and_nothing_is_saved(admin_client):
    template = _template()
    url = reverse("admin:notifications_notificationtemplate_change", args=[template.pk])
    page = admin_client.get(url).content.decode()
    assert "Xem trước" in page and "Nguyễn Văn An" in page and "000.00.03.H56-261201-0007" in page

    typed = "Kính gửi {{ applicant_name }}, {% if due_at %}hẹn trả {{ due_at }}"
    response = admin_client.post(
        url,
        {
            "event": template.event,
            "channel": template.channel,
            "subject": "Tiếp nhận {{ code",
            "body": typed,
            "active": "on",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Mẫu viết sai cú pháp" in body and typed in body  # what was typed is still there
    template.refresh_from_db()
    assert template.body.startswith("Kính gửi {{ applicant_name }},\n\n")

    response = admin_client.post(
        url,
        {
            "event": template.event,
            "channel": template.channel,
            "subject": "Đã tiếp nhận {{ code }}",
            "body": "Hẹn trả {{ due_at }}.",
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert _template().subject == "Đã tiếp nhận {{ code }}"
    assert "Hẹn trả 08/12/2026 09:32." in admin_client.get(url).content.decode()


def test_failed_notifications_can_be_sent_again(admin_client):
    dossier = submitted_dossier(agency_staff().agency)
    email = rows(dossier, channel=Channel.EMAIL).get()
    Notification.objects.filter(pk=email.pk).update(state=State.FAILED, attempts=6, last_error="hết lần thử")
    changelist = reverse("admin:notifications_notification_changelist")
    assert email.to_address in admin_client.get(changelist + "?state=failed").content.decode()
    assert email.to_address not in admin_client.get(changelist + "?state=sent").content.decode()
    response = admin_client.post(changelist, {"action": "retry_failed", "_selected_action": [email.pk]}, follow=True)
    assert "Đã đưa 1 thông báo vào hàng gửi lại." in response.content.decode()
    email.refresh_from_db()
    assert (email.state, email.attempts) == (State.RETRYING, 0)
    assert admin_client.get(reverse("admin:notifications_notification_change", args=[email.pk])).status_code == 200
    assert admin_client.get(reverse("admin:notifications_notification_add")).status_code == 403
