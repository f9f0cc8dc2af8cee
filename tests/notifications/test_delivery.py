"""Delivery: once per notification and channel, retried with back-off, failures isolated."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from dossiers import processing
from notifications import rendering, services, tasks
from notifications.constants import Channel, Event, State
from notifications.models import Notification, NotificationTemplate
from tests.dossiers.staff import agency_staff, submitted_dossier
from tests.notifications.gateway import Gateway
from tests.notifications.helpers import in_app, rows, sms_lines

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return agency_staff()


@pytest.fixture
def gateway(settings):
    gw = Gateway().start()
    settings.SMS_BACKEND = "notifications.sms.HttpBackend"
    settings.SMS_GATEWAY_URL = gw.url
    settings.SMS_GATEWAY_AUTHORIZATION = "Bearer thu-nghiem"
    settings.SMS_GATEWAY_TIMEOUT = 0.5
    yield gw
    gw.stop()


def test_a_repeated_or_late_task_never_sends_twice(staff):
    dossier = submitted_dossier(staff.agency)  # rows written, after-commit queueing not run
    email = rows(dossier, channel=Channel.EMAIL).get()
    assert email.state == State.PENDING
    assert tasks.deliver(email.pk) == "sent"
    assert tasks.deliver(email.pk) == "skipped"  # a redelivered message
    assert services.notification_deliver(notification_id=email.pk).state == "skipped"
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert (email.state, email.attempts) == (State.SENT, 1)


def test_a_claim_held_by_a_live_worker_is_not_taken(staff):
    dossier = submitted_dossier(staff.agency)
    email = rows(dossier, channel=Channel.EMAIL).get()
    now = timezone.now()
    Notification.objects.filter(pk=email.pk).update(
        state=State.SENDING, lease_until=now + datetime.timedelta(minutes=1)
    )
    assert services.notification_deliver(notification_id=email.pk, now=now).state == "skipped"
    assert services.notifications_sweep(now=now) == 0
    assert mail.outbox == []


def test_a_worker_that_died_mid_send_is_replaced_after_its_lease(staff):
    dossier = submitted_dossier(staff.agency)
    email = rows(dossier, channel=Channel.EMAIL).get()
    # A worker claimed it (attempt 1) and was killed before it could send or record anything.
    Notification.objects.filter(pk=email.pk).update(
        state=State.SENDING, attempts=1, lease_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert services.notifications_sweep() >= 1  # eager here: the sweep delivers it
    email.refresh_from_db()
    assert (email.state, email.attempts) == (State.SENT, 2)
    assert len(mail.outbox) == 1


def test_the_gateway_gets_the_message_with_its_key_and_the_configured_authorization(staff, gateway, committed):
    dossier = committed(submitted_dossier, staff.agency)
    sms = rows(dossier, channel=Channel.SMS).get()
    (request,) = gateway.received
    assert request["_key"] == str(sms.public_id) and request["_auth"] == "Bearer thu-nghiem"
    assert request["to"] == dossier.owner.phone and request["text"].startswith(f"DVC: Ho so {dossier.code}")
    assert (sms.state, sms.provider_reference) == (State.SENT, '{"id": "msg-1"}')


@pytest.mark.parametrize("mode", ["error", "slow"])
def test_a_failing_gateway_is_retried_with_backoff_then_marked_failed_without_blocking_others(
    staff, gateway, settings, mode
):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    gateway.mode, gateway.delay = mode, 2.0
    dossier = submitted_dossier(staff.agency)
    sms = rows(dossier, channel=Channel.SMS).get()
    start = timezone.now()

    outcome = services.notification_deliver(notification_id=sms.pk, now=start)
    assert outcome.state == "retrying" and 30 <= outcome.retry_in <= 33
    sms.refresh_from_db()
    assert sms.state == State.RETRYING and sms.attempts == 1
    assert ("HTTP 500" if mode == "error" else "không kết nối được cổng SMS") in sms.last_error
    assert sms.next_attempt_at >= start + datetime.timedelta(seconds=30)

    # Not before its time, even if a message arrives early.
    assert services.notification_deliver(notification_id=sms.pk, now=start).state == "skipped"
    # The other channels of the same event are delivered meanwhile.
    for other in rows(dossier).exclude(pk=sms.pk):
        assert services.notification_deliver(notification_id=other.pk).state == "sent"
    assert len(mail.outbox) == 1 and len(in_app(dossier.owner)) == 1

    second = services.notification_deliver(notification_id=sms.pk, now=sms.next_attempt_at)
    assert second.state == "retrying" and 60 <= second.retry_in <= 66
    sms.refresh_from_db()
    third = services.notification_deliver(notification_id=sms.pk, now=sms.next_attempt_at)
    assert third.state == "failed" and third.retry_in is None
    sms.refresh_from_db()
    assert (sms.state, sms.attempts) == (State.FAILED, 3) and "Đã thử 3 lần" in sms.last_error
    assert len(gateway.received) == 3

    # An admin sends it again once the gateway works: delivered, once.
    gateway.mode = "ok"
    assert services.notification_retry(notification=sms)
    assert services.notification_deliver(notification_id=sms.pk).state == "sent"
    assert len(gateway.accepted) == 1


def test_a_gateway_refusing_the_message_is_not_retried(staff, gateway):
    gateway.mode = "reject"  # HTTP 400: a bad number, a banned word …
    dossier = submitted_dossier(staff.agency)
    sms = rows(dossier, channel=Channel.SMS).get()
    assert services.notification_deliver(notification_id=sms.pk).state == "failed"
    sms.refresh_from_db()
    assert (sms.state, sms.attempts) == (State.FAILED, 1) and "HTTP 400" in sms.last_error
    # The citizen's e-mail and in-app notice, and the one-stop officer's (a new online dossier).
    assert services.notifications_sweep(now=timezone.now() + datetime.timedelta(hours=1)) == 4


def test_a_broken_admin_template_falls_back_to_the_default(staff, committed):
    NotificationTemplate.objects.filter(event=Event.SUBMITTED, channel=Channel.IN_APP).update(
        body="Hồ sơ {{ code|date:'x' }} {% if %}"
    )
    dossier = committed(submitted_dossier, staff.agency)
    notice = rows(dossier, channel=Channel.IN_APP).get()
    assert notice.state == State.SENT
    assert notice.body.startswith(f"Hồ sơ {dossier.code} (")  # the shipped wording
    assert "đã dùng mẫu mặc định" in notice.last_error


def test_an_edited_template_is_used(staff, committed, sms_path):
    NotificationTemplate.objects.filter(event=Event.SUBMITTED, channel=Channel.SMS).update(
        body="Cảm ơn {{ applicant_name }}: hồ sơ {{ code }} đã nộp."
    )
    dossier = committed(submitted_dossier, staff.agency)
    text = sms_lines(sms_path)[0]["text"]
    assert text == rendering.strip_diacritics(f"Cảm ơn {dossier.applicant_name}: hồ sơ {dossier.code} đã nộp.")


def test_lost_messages_are_queued_again_by_the_sweeper(staff):
    dossier = submitted_dossier(staff.agency)  # as if Redis was down at commit: nothing queued
    pending = list(rows(dossier)) + list(rows(dossier, officers=True))  # the citizen's, the desk's
    assert all(n.state == State.PENDING for n in pending)
    assert services.notifications_sweep() == 0  # within the grace minute the normal path is awaited
    later = timezone.now() + datetime.timedelta(minutes=2)
    assert services.notifications_sweep(now=later) == len(pending)
    assert all(n.state == State.SENT for n in rows(dossier))
    assert services.notifications_sweep(now=later) == 0
    assert len(mail.outbox) == 2


def test_retry_delays_grow_and_stay_below_the_visibility_timeout():
    from django.conf import settings

    delays = [services.retry_delay(n) for n in range(1, 12)]
    assert delays[0] >= 30 and all(b >= a * 0.9 for a, b in zip(delays, delays[1:], strict=False))
    assert max(delays) <= 990 < settings.CELERY_VISIBILITY_TIMEOUT


def test_template_check_reports_the_field():
    assert rendering.check_template("Hồ sơ {{ code }}", "Nội dung {{ code }}") == {}
    errors = rendering.check_template("{% if %}", "")
    assert errors["subject"].startswith("Mẫu viết sai cú pháp") and errors["body"] == "Hãy nhập nội dung thông báo."
    assert "sai cú pháp" in rendering.check_template("", "{{ code|khong_co_bo_loc }}")["body"]


def test_delivery_keeps_working_for_a_dossier_changed_since(staff):
    dossier = submitted_dossier(staff.agency)
    processing.dossier_act(dossier=dossier, action="receive", actor=staff.desk)
    first = rows(dossier, event=Event.SUBMITTED, channel=Channel.IN_APP).get()
    assert services.notification_deliver(notification_id=first.pk).state == "sent"
    first.refresh_from_db()
    assert "đã được nộp" in first.body  # the data of its own moment, not of the dossier now
