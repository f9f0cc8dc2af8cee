"""The outbox: rows written with each dossier change, once, for the right people and channels."""

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from dossiers import processing
from dossiers.events import dossier_status_recorded
from dossiers.models import StatusChange
from notifications.constants import Channel, Event, State
from notifications.models import ChannelPreference, Notification
from tests.dossiers.staff import agency_staff, dossier_at, submitted_dossier
from tests.notifications.helpers import in_app, rows, sms_lines

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return agency_staff()


def test_submitting_writes_and_delivers_one_notification_per_channel(staff, committed, sms_path):
    dossier = committed(submitted_dossier, staff.agency)
    written = rows(dossier)
    assert [(n.event, n.channel) for n in written] == [
        (Event.SUBMITTED, Channel.IN_APP),
        (Event.SUBMITTED, Channel.EMAIL),
        (Event.SUBMITTED, Channel.SMS),
    ]
    assert all(n.state == State.SENT and n.attempts == 1 and n.sent_at for n in written)
    owner = dossier.owner
    assert written[0].recipient == owner and written[1].to_address == owner.email
    assert written[2].to_address == owner.phone

    (email,) = [m for m in mail.outbox if m.to == [owner.email]]  # the desk hears of it too (test_officers)
    assert email.to == [owner.email] and email.subject == f"Đã nộp hồ sơ {dossier.code}"
    assert dossier.procedure_version.name in email.body and staff.agency.name in email.body
    assert f"https://dichvucong.thanhhoa.gov.vn/ho-so/{dossier.public_id}/" in email.body
    assert email.extra_headers["X-Notification-Id"] == str(written[1].public_id)

    (sms,) = sms_lines(sms_path)
    assert sms["to"] == owner.phone and sms["reference"] == str(written[2].public_id)
    assert sms["text"].startswith(f"DVC: Ho so {dossier.code} da duoc nop toi ")
    assert sms["text"].isascii()  # Vietnamese without diacritics, as SMS brandname is sent

    (notice,) = in_app(owner)
    assert notice.body.startswith(f"Hồ sơ {dossier.code} (") and notice.read_at is None


def test_rows_roll_back_with_the_change(staff):
    dossier = submitted_dossier(staff.agency)
    before = Notification.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        processing.dossier_act(dossier=dossier, action="receive", actor=staff.desk)
        assert Notification.objects.count() > before  # written inside the transaction
        raise RuntimeError("the request fails after the change")
    assert Notification.objects.count() == before
    assert not StatusChange.objects.filter(dossier=dossier, action="receive").exists()


def test_the_same_event_twice_writes_nothing_more(staff):
    dossier = submitted_dossier(staff.agency)
    change = StatusChange.objects.get(dossier=dossier, action="submit")
    count = Notification.objects.count()
    dossier_status_recorded.send(sender=StatusChange, change=change, form="")
    assert Notification.objects.count() == count


def test_receipt_tells_the_appointment_date(staff, committed, sms_path):
    dossier = submitted_dossier(staff.agency)
    committed(processing.dossier_act, dossier=dossier, action="receive", actor=staff.desk)
    dossier.refresh_from_db()
    due = f"{timezone.localtime(dossier.due_at):%d/%m/%Y %H:%M}"
    notice = in_app(dossier.owner)[-1]
    assert notice.event == Event.RECEIVED and f"Hẹn trả kết quả: {due}." in notice.body
    assert mail.outbox[-1].subject == f"Hồ sơ {dossier.code} đã được tiếp nhận, hẹn trả {due}"
    assert f"hen tra ket qua {due}" in sms_lines(sms_path)[-1]["text"]


def test_supplement_request_says_what_and_by_when(staff, committed):
    dossier = committed(dossier_at, staff, "supplement")
    notice = in_app(dossier.owner)[-1]
    respond_by = timezone.localdate() + datetime.timedelta(days=7)
    assert notice.event == Event.SUPPLEMENT_REQUESTED
    assert "Bản sao Giấy khai sinh" in notice.body and f"{respond_by:%d/%m/%Y}" in notice.body
    assert "Bản chụp mờ" in mail.outbox[-1].body  # the reason


def test_a_whole_journey_tells_the_citizen_each_step(staff, committed):
    dossier = committed(dossier_at, staff, "returned")
    events = [n.event for n in in_app(dossier.owner)]
    # The fee the desk takes at the counter before the hand-over (tests.dossiers.staff.pay_before) is told too.
    assert events == [
        Event.SUBMITTED,
        Event.RECEIVED,
        Event.RESULT_READY,
        Event.PAYMENT_CONFIRMED,
        Event.RESULT_HANDED_OVER,
    ]
    assert "đánh giá mức độ hài lòng" in mail.outbox[-1].body


def test_refusal_and_withdrawal_give_the_reason(staff, committed):
    refused = submitted_dossier(staff.agency)
    committed(processing.dossier_act, dossier=refused, action="refuse", actor=staff.desk, note="Sai thẩm quyền.")
    assert in_app(refused.owner)[-1].body == f"Hồ sơ {refused.code} không được tiếp nhận. Lý do: Sai thẩm quyền."
    from dossiers import services

    withdrawn = submitted_dossier(staff.agency)
    committed(services.dossier_withdraw, dossier=withdrawn, actor=withdrawn.owner, reason="Nộp nhầm")
    assert in_app(withdrawn.owner)[-1].event == Event.WITHDRAWN


def test_channels_follow_the_citizens_choice(staff, committed):
    dossier = submitted_dossier(staff.agency)
    ChannelPreference.objects.create(user=dossier.owner, email=False, sms=False)
    committed(processing.dossier_act, dossier=dossier, action="receive", actor=staff.desk)
    received = rows(dossier, event=Event.RECEIVED)
    assert [n.channel for n in received] == [Channel.IN_APP]


def test_a_citizen_without_email_gets_no_email_row(staff):
    from tests.factories import CitizenFactory

    citizen = CitizenFactory(email="")
    dossier = submitted_dossier(staff.agency, citizen=citizen)
    dossier.applicant_email = ""
    dossier.save(update_fields=["applicant_email"])
    processing.dossier_act(dossier=dossier, action="receive", actor=staff.desk)
    assert [n.channel for n in rows(dossier, event=Event.RECEIVED)] == [Channel.IN_APP, Channel.SMS]


def test_the_specialist_hears_of_an_assignment_but_not_of_their_own_actions(staff, committed):
    dossier = committed(dossier_at, staff, "specialist")
    assigned = list(Notification.objects.filter(recipient=staff.specialist, event=Event.ASSIGNED))
    assert {n.channel for n in assigned} == {Channel.IN_APP, Channel.EMAIL}
    assert all(n.dossier == dossier and n.state == State.SENT for n in assigned)
    assert f"Hồ sơ {dossier.code}" in in_app(staff.specialist)[0].body
    # The specialist's own proposal keeps them as handler: nothing new for them.
    committed(processing.dossier_act, dossier=dossier, action="propose", actor=staff.specialist, note="Đủ")
    assert Notification.objects.filter(recipient=staff.specialist).count() == 2
    # Nobody is told of being assigned a dossier they assigned to themselves.
    assert not Notification.objects.filter(recipient=staff.desk, event=Event.ASSIGNED).exists()
