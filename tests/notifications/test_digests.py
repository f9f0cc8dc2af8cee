"""Officers' daily digests: due on the next working day, overdue; working days only; once."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from dossiers import deadlines
from dossiers.models import CalendarDay, Dossier
from notifications import services
from notifications.constants import Channel, Event
from notifications.models import Notification
from tests.dossiers.staff import agency_staff, dossier_at

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=HCM)


@pytest.fixture
def staff():
    return agency_staff()


def test_due_tomorrow_and_overdue_reach_the_right_officers_once(staff, committed):
    monday = datetime.date(2026, 12, 7)
    tuesday = monday + datetime.timedelta(days=1)
    due_tuesday = dossier_at(staff, "specialist")
    late = dossier_at(staff, "approval")
    far = dossier_at(staff, "specialist")
    Dossier.objects.filter(pk=due_tuesday.pk).update(due_at=at(tuesday, 10))
    Dossier.objects.filter(pk=late.pk).update(due_at=at(monday, 7, 5) - datetime.timedelta(days=3))
    Dossier.objects.filter(pk=far.pk).update(due_at=at(tuesday, 10) + datetime.timedelta(days=10))
    Notification.objects.all().delete()

    written = committed(services.officer_digests, now=at(monday, 7, 30))
    due = Notification.objects.filter(event=Event.DUE_TOMORROW, channel=Channel.IN_APP).get()
    assert due.recipient == staff.specialist and due.context["count"] == 1
    assert due.state == "sent" and due_tuesday.code in due.body and "08/12/2026" in due.body
    assert far.code not in due.body

    overdue = {n.recipient: n for n in Notification.objects.filter(event=Event.OVERDUE_DIGEST, channel=Channel.IN_APP)}
    # The handler, the agency leader and the one-stop officer: the dossier is late at their agency.
    assert set(overdue) == {staff.specialist, staff.leader, staff.desk}
    assert all(late.code in n.body and n.context["count"] == 1 for n in overdue.values())
    assert written == Notification.objects.count()  # in-app + e-mail for each
    assert {m.to[0] for m in mail.outbox} == {staff.specialist.email, staff.leader.email, staff.desk.email}

    # Beat running twice (a restart): nothing new.
    assert committed(services.officer_digests, now=at(monday, 7, 31)) == 0


def test_no_digest_on_a_day_off_but_on_a_make_up_saturday(staff):
    saturday = datetime.date(2026, 12, 12)
    late = dossier_at(staff, "specialist")
    Dossier.objects.filter(pk=late.pk).update(due_at=at(saturday, 7) - datetime.timedelta(days=2))
    Notification.objects.all().delete()
    assert not deadlines.is_working_day(saturday)
    assert services.officer_digests(now=at(saturday, 7, 30)) == 0
    CalendarDay.objects.create(date=saturday, kind=CalendarDay.Kind.WORKING, name="Làm bù")
    assert services.officer_digests(now=at(saturday, 7, 30)) > 0


def test_a_long_list_is_cut_and_counted(staff, monkeypatch, committed):
    monkeypatch.setattr(services, "DIGEST_LIMIT", 2)
    monday = datetime.date(2026, 12, 7)
    for _ in range(3):
        d = dossier_at(staff, "specialist")
        Dossier.objects.filter(pk=d.pk).update(due_at=at(monday, 8) - datetime.timedelta(days=1))
    Notification.objects.all().delete()
    committed(services.officer_digests, now=at(monday, 7, 30))
    notice = Notification.objects.get(event=Event.OVERDUE_DIGEST, channel=Channel.EMAIL, recipient=staff.specialist)
    assert notice.context["count"] == 3 and len(notice.context["dossiers"]) == 2
    assert "… và 1 hồ sơ khác." in notice.body and notice.subject == "3 hồ sơ quá hạn"


def test_citizens_are_reminded_once_of_a_supplement_due_tomorrow(staff, committed):
    from dossiers.models import SupplementRequest
    from tests.notifications.helpers import in_app

    dossier = committed(dossier_at, staff, "supplement")
    request = SupplementRequest.objects.get(dossier=dossier)
    today = datetime.date(2026, 12, 7)
    SupplementRequest.objects.filter(pk=request.pk).update(respond_by=today + datetime.timedelta(days=5))
    assert committed(services.citizen_reminders, now=at(today, 8)) == 0  # not yet
    SupplementRequest.objects.filter(pk=request.pk).update(respond_by=today + datetime.timedelta(days=1))
    written = committed(services.citizen_reminders, now=at(today, 8))
    assert written == 3  # in-app, e-mail, SMS
    notice = in_app(dossier.owner)[-1]
    assert notice.event == Event.SUPPLEMENT_DUE
    assert notice.body == f"Nhắc: hồ sơ {dossier.code} cần bổ sung trước 08/12/2026: Bản sao Giấy khai sinh"
    assert committed(services.citizen_reminders, now=at(today, 8, 1)) == 0  # once
    # Answered: no reminder the day it is due.
    from dossiers import processing

    committed(processing.dossier_act, dossier=dossier, action="supplement_submit", actor=dossier.owner)
    assert committed(services.citizen_reminders, now=at(today + datetime.timedelta(days=1), 8)) == 0
