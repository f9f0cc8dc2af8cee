"""Officers' notifications: a new online dossier (the one-stop desk), a proposal waiting for
approval or signature (whoever the state machine lets sign now), an answered supplement
(the handler, else the desk), due soon and overdue (the handler and the department's head);
once each; e-mail at once or in one daily digest, as each officer chose."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from accounts.constants import StaffRole
from dossiers import processing, workflow
from dossiers.constants import Status, Step
from dossiers.events import dossier_status_recorded
from dossiers.models import Dossier, StatusChange
from notifications import services
from notifications.constants import Channel, Event, OfficerEmail, State
from notifications.models import ChannelPreference, Notification
from procedures.constants import ApprovalChain
from procedures.models import ProcedureVersion
from tests.dossiers.staff import DEPARTMENT, _officer, agency_staff, dossier_at, submitted_dossier
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = datetime.date(2026, 12, 7)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=HCM)


def told(event: str, channel: str = Channel.IN_APP, dossier=None) -> dict:
    """Who was told ``event`` (on ``channel``): {user: notification}."""
    qs = Notification.objects.filter(event=event, channel=channel)
    if dossier is not None:
        qs = qs.filter(dossier=dossier)
    return {n.recipient: n for n in qs}


def daily(user) -> ChannelPreference:
    return ChannelPreference.objects.create(user=user, officer_email=OfficerEmail.DAILY)


@pytest.fixture
def staff():
    return agency_staff()


# --- Events and who hears them -------------------------------------------------------------------


def test_a_new_online_dossier_tells_the_one_stop_officers_of_its_agency(staff, committed):
    second_desk = _officer(staff.agency, StaffRole.ONE_STOP_OFFICER, "Bộ phận Một cửa", full_name="Vũ Thị Hằng")
    former = _officer(staff.agency, StaffRole.ONE_STOP_OFFICER, "Bộ phận Một cửa")
    former.assignments.update(active=False)
    elsewhere = agency_staff(AgencyFactory())

    dossier = committed(submitted_dossier, staff.agency)

    notices = told(Event.NEW_DOSSIER)
    assert set(notices) == {staff.desk, second_desk}  # not the former one, nor another agency's desk
    assert elsewhere.desk not in notices and staff.specialist not in notices
    notice = notices[staff.desk]
    assert notice.state == State.SENT and notice.dossier == dossier
    procedure, applicant = dossier.procedure_version.name, dossier.applicant_name
    assert notice.body == f"Hồ sơ trực tuyến mới {dossier.code} ({procedure}, {applicant}) chờ tiếp nhận."
    (email,) = [m for m in mail.outbox if m.to == [staff.desk.email]]
    assert email.subject == f"Hồ sơ trực tuyến mới {dossier.code} chờ tiếp nhận"
    assert f"https://dichvucong.thanhhoa.gov.vn/can-bo/ho-so/{dossier.code}/" in email.body


def test_a_proposal_tells_whom_the_state_machine_lets_approve_now(staff, committed):
    other_head = _officer(staff.agency, StaffRole.DEPARTMENT_LEADER, "Phòng Khác", full_name="Lý Văn Phòng")
    dossier = committed(dossier_at, staff, "approval")

    notices = told(Event.AWAITING_APPROVAL)
    # The state machine's answer, asked of every officer of the agency:
    may_approve = {
        user
        for user in [staff.desk, staff.specialist, staff.department_leader, staff.leader, staff.admin, other_head]
        if any(a.name == "approve" for a in workflow.allowed_actions(dossier, user))
    }
    assert set(notices) == may_approve == {staff.department_leader, staff.leader}
    assert notices[staff.leader].body.startswith(
        f"Hồ sơ {dossier.code} ({dossier.procedure_version.name}) chờ đồng chí"
    )
    assert "duyệt kết quả" in notices[staff.leader].body
    email = next(m for m in mail.outbox if m.to == [staff.department_leader.email] and "chờ đồng chí" in m.subject)
    assert "Đề xuất: Đủ điều kiện, đề nghị cấp." in email.body  # the specialist's proposal
    # Approving moves it on: nobody is told again that it waits for approval.
    committed(processing.dossier_act, dossier=dossier, action="approve", actor=staff.department_leader)
    assert len(told(Event.AWAITING_APPROVAL)) == 2


def test_a_second_signing_step_is_followed_without_a_change_here(staff, committed, monkeypatch):
    """The agency leader's signature after the head's approval (issue 18, approval chain
    "both"): whoever the state machine lets take "sign" is told when the dossier reaches it.
    Until the workflow has that step, a stand-in "sign" after approval plays it."""
    if "sign" not in workflow.ACTIONS:
        stand_in = workflow.Action(
            "sign",
            "Ký kết quả",
            frozenset({Status.PROCESSING}),
            None,
            frozenset({workflow.LEADER}),
            steps=frozenset({Step.ISSUING}),
        )
        monkeypatch.setitem(workflow.ACTIONS, "sign", stand_in)
    dossier = dossier_at(staff, "specialist")
    ProcedureVersion.objects.filter(pk=dossier.procedure_version_id).update(approval_chain=ApprovalChain.BOTH)
    committed(processing.dossier_act, dossier=dossier, action="propose", actor=staff.specialist, note="Đủ")
    assert staff.department_leader in told(Event.AWAITING_APPROVAL)

    committed(processing.dossier_act, dossier=dossier, action="approve", actor=staff.department_leader)

    signing = Notification.objects.filter(event=Event.AWAITING_APPROVAL, channel=Channel.IN_APP)
    later = [n for n in signing if n.change.action == "approve"]
    assert [n.recipient for n in later] == [staff.leader]  # "sign" is the leader's only
    assert later[0].body.startswith(f"Hồ sơ {dossier.code} ({dossier.procedure_version.name}) chờ đồng chí ")
    assert later[0].context["action_label"] == workflow.ACTIONS["sign"].label


def test_an_answered_supplement_tells_the_handler(staff, committed):
    dossier = committed(dossier_at, staff, "supplement")
    committed(processing.dossier_act, dossier=dossier, action="supplement_submit", actor=dossier.owner)
    notices = told(Event.SUPPLEMENT_ANSWERED)
    assert set(notices) == {staff.specialist}
    assert notices[staff.specialist].body.startswith(f"Người nộp đã bổ sung hồ sơ {dossier.code} (")
    assert any(m.subject == f"Hồ sơ {dossier.code} đã được bổ sung" for m in mail.outbox)


def test_an_answered_supplement_without_a_handler_tells_the_desk_but_not_who_recorded_it(staff, committed):
    second_desk = _officer(staff.agency, StaffRole.ONE_STOP_OFFICER, "Bộ phận Một cửa")
    dossier = submitted_dossier(staff.agency)
    processing.dossier_act(dossier=dossier, action="receive", actor=staff.desk)
    processing.dossier_act(
        dossier=dossier,
        action="request_supplement",
        actor=staff.desk,
        data={"items": "Tờ khai có chữ ký", "respond_by": timezone.localdate() + datetime.timedelta(days=5)},
    )
    # The paper answer, recorded by the desk officer: the other one-stop officer is told.
    committed(processing.dossier_act, dossier=dossier, action="supplement_received", actor=staff.desk)
    assert set(told(Event.SUPPLEMENT_ANSWERED)) == {second_desk}


def test_an_event_delivered_twice_tells_once(staff, committed):
    dossier = committed(dossier_at, staff, "approval")
    before = Notification.objects.count()
    sent = len(mail.outbox)
    for action in ("submit", "propose"):
        change = StatusChange.objects.get(dossier=dossier, action=action)
        dossier_status_recorded.send(sender=StatusChange, change=change, form="")
        committed(services.notifications_for_change, change)
    assert Notification.objects.count() == before and len(mail.outbox) == sent


# --- Due soon and overdue ------------------------------------------------------------------------


def test_due_soon_and_overdue_tell_the_handler_and_the_head_once_per_dossier(staff, committed):
    tuesday = MONDAY + datetime.timedelta(days=1)
    soon = dossier_at(staff, "specialist")
    late = dossier_at(staff, "approval")
    waiting = dossier_at(staff, "received")  # at the desk: no handler, no department yet
    far = dossier_at(staff, "specialist")
    Dossier.objects.filter(pk=soon.pk).update(due_at=at(tuesday, 16))
    Dossier.objects.filter(pk=late.pk).update(due_at=at(MONDAY, 7) - datetime.timedelta(days=3))
    Dossier.objects.filter(pk=waiting.pk).update(due_at=at(MONDAY, 7) - datetime.timedelta(days=1))
    Dossier.objects.filter(pk=far.pk).update(due_at=at(tuesday, 16) + datetime.timedelta(days=7))
    Notification.objects.all().delete()
    mail.outbox.clear()

    written = committed(services.officer_deadline_alerts, now=at(MONDAY, 7, 30))

    assert set(told(Event.DUE_SOON, dossier=soon)) == {staff.specialist, staff.department_leader}
    assert set(told(Event.OVERDUE, dossier=late)) == {staff.specialist, staff.department_leader}
    assert set(told(Event.OVERDUE, dossier=waiting)) == {staff.desk}  # nobody else has it yet
    assert not Notification.objects.filter(dossier=far).exists()
    assert not told(Event.OVERDUE, dossier=soon) and not told(Event.DUE_SOON, dossier=late)
    assert written == Notification.objects.count() == 10  # in-app and e-mail each
    notice = told(Event.DUE_SOON, dossier=soon)[staff.department_leader]
    assert notice.body == f"Hồ sơ {soon.code} ({soon.procedure_version.name}) sắp đến hạn trả: 08/12/2026 16:00."
    email = next(m for m in mail.outbox if m.subject.startswith(f"Hồ sơ {late.code} đã quá hạn"))
    assert f"Người đang xử lý: {staff.specialist.full_name}." in email.body

    # Beat again, and the next days: once per dossier and kind.
    assert committed(services.officer_deadline_alerts, now=at(MONDAY, 7, 31)) == 0
    committed(services.officer_deadline_alerts, now=at(tuesday, 7, 30))
    assert not Notification.objects.filter(event=Event.DUE_SOON).exclude(dossier=soon).exists()
    wednesday = tuesday + datetime.timedelta(days=1)
    committed(services.officer_deadline_alerts, now=at(wednesday, 7, 30))
    assert set(told(Event.OVERDUE, dossier=soon)) == {staff.specialist, staff.department_leader}
    assert Notification.objects.filter(event=Event.OVERDUE, dossier=late).count() == 4
    assert committed(services.officer_deadline_alerts, now=at(wednesday + datetime.timedelta(days=1), 7, 30)) == 0


def test_no_deadline_alerts_on_a_day_off(staff):
    saturday = datetime.date(2026, 12, 12)
    late = dossier_at(staff, "specialist")
    Dossier.objects.filter(pk=late.pk).update(due_at=at(saturday, 7) - datetime.timedelta(days=2))
    assert services.officer_deadline_alerts(now=at(saturday, 7, 30)) == 0
    assert services.officer_deadline_alerts(now=at(saturday + datetime.timedelta(days=2), 7, 30)) > 0


def test_a_department_head_of_another_department_is_not_told(staff, committed):
    other_head = _officer(staff.agency, StaffRole.DEPARTMENT_LEADER, "Phòng Khác")
    late = dossier_at(staff, "specialist")
    assert late.department == DEPARTMENT
    Dossier.objects.filter(pk=late.pk).update(due_at=at(MONDAY, 7) - datetime.timedelta(days=1))
    committed(services.officer_deadline_alerts, now=at(MONDAY, 7, 30))
    assert other_head not in told(Event.OVERDUE) and staff.leader not in told(Event.OVERDUE)


# --- E-mail one by one, or one digest a day -------------------------------------------------------


def test_a_digest_officer_gets_the_days_events_in_one_email_once(staff, committed):
    daily(staff.desk)
    first = committed(submitted_dossier, staff.agency)
    second = committed(submitted_dossier, staff.agency)

    held = Notification.objects.filter(recipient=staff.desk, channel=Channel.EMAIL, event=Event.NEW_DOSSIER)
    assert [n.state for n in held] == [State.HELD, State.HELD]
    assert not [m for m in mail.outbox if m.to == [staff.desk.email]]  # nothing sent yet
    assert len(told(Event.NEW_DOSSIER)) == 1 and told(Event.NEW_DOSSIER)[staff.desk].state == State.SENT  # in-app
    later = timezone.now() + datetime.timedelta(hours=2)
    assert services.notifications_sweep(now=later) == 0  # held rows are not the sweeper's

    assert committed(services.officer_email_digests, now=at(MONDAY, 17, 15)) == 1
    (email,) = [m for m in mail.outbox if m.to == [staff.desk.email]]
    assert email.subject == "2 thông báo công việc đến ngày 07/12/2026"
    assert first.code in email.body and second.code in email.body
    assert email.body.index(first.code) < email.body.index(second.code)  # oldest first
    assert f"https://dichvucong.thanhhoa.gov.vn/can-bo/ho-so/{first.code}/" in email.body
    assert "https://dichvucong.thanhhoa.gov.vn/thong-bao/cai-dat/" in email.body
    digest = Notification.objects.get(event=Event.OFFICER_DIGEST)
    assert digest.state == State.SENT and digest.to_address == staff.desk.email
    assert {(n.state, n.digest) for n in held.all()} == {(State.BUNDLED, digest)}

    # Run again (a restart), and a day without events: nothing more.
    assert committed(services.officer_email_digests, now=at(MONDAY, 17, 16)) == 0
    assert committed(services.officer_email_digests, now=at(MONDAY + datetime.timedelta(days=1), 17, 15)) == 0
    assert len([m for m in mail.outbox if m.to == [staff.desk.email]]) == 1


def test_two_digest_runs_at_once_send_one_email(own_connections):
    """Beat's run racing a catch-up (``manage.py run_periodic``): the held rows' locks (on
    SQLite the write lock taken at BEGIN IMMEDIATE) let one carry them."""
    import threading

    from django.db import connections

    staff = agency_staff()
    daily(staff.desk)
    submitted_dossier(staff.agency)
    submitted_dossier(staff.agency)
    barrier = threading.Barrier(3)
    written = []

    def run():
        barrier.wait()
        try:
            written.append(services.officer_email_digests(now=at(MONDAY, 17, 15)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(written) == [0, 0, 1]
    (digest,) = Notification.objects.filter(event=Event.OFFICER_DIGEST)
    assert digest.context["count"] == 2 and digest.bundled.count() == 2
    assert len([m for m in mail.outbox if m.to == [staff.desk.email]]) == 1


def test_officers_who_chose_each_email_get_them_at_once_and_no_digest(staff, committed):
    daily(staff.desk)
    dossier = committed(dossier_at, staff, "approval")
    # The head of the department chose nothing: e-mail at once.
    assert any(m.to == [staff.department_leader.email] and dossier.code in m.subject for m in mail.outbox)
    sent = len(mail.outbox)
    assert committed(services.officer_email_digests, now=at(MONDAY, 17, 15)) == 1  # the desk's only
    assert [m.to for m in mail.outbox[sent:]] == [[staff.desk.email]]


def test_the_digest_waits_over_a_day_off_and_carries_its_events(staff, committed):
    daily(staff.desk)
    committed(submitted_dossier, staff.agency)
    sunday = datetime.date(2026, 12, 13)
    assert committed(services.officer_email_digests, now=at(sunday, 17, 15)) == 0
    assert Notification.objects.filter(state=State.HELD).count() == 1
    assert committed(services.officer_email_digests, now=at(sunday + datetime.timedelta(days=1), 17, 15)) == 1


def test_an_officer_who_turned_email_off_gets_the_list_only(staff, committed):
    ChannelPreference.objects.create(user=staff.desk, email=False)
    committed(submitted_dossier, staff.agency)
    assert [n.channel for n in Notification.objects.filter(recipient=staff.desk)] == [Channel.IN_APP]


def test_a_long_digest_is_cut_and_counted(staff, committed, monkeypatch):
    monkeypatch.setattr(services, "DIGEST_LIMIT", 2)
    daily(staff.desk)
    codes = [committed(submitted_dossier, staff.agency).code for _ in range(3)]
    committed(services.officer_email_digests, now=at(MONDAY, 17, 15))
    (email,) = [m for m in mail.outbox if m.to == [staff.desk.email]]
    assert email.subject == "3 thông báo công việc đến ngày 07/12/2026"
    assert codes[0] in email.body and codes[2] not in email.body
    assert "… và 1 thông báo khác trong mục Thông báo trên Cổng." in email.body
    assert Notification.objects.filter(state=State.BUNDLED).count() == 3


@pytest.mark.slow
@pytest.mark.skipif(
    not settings.REDIS_URL,
    reason="needs Redis: set REDIS_URL=redis://… to run a real Celery worker (tasks run eagerly without it)",
)
def test_a_real_worker_delivers_the_digest_once(transactional_db, not_eager, db_closing_worker_hooks):
    from celery.contrib.testing.worker import start_worker

    from portal.celery import app
    from tests.notifications.test_worker import _all_sent, _purge
    from tests.notifications.workers import wait_for

    staff = agency_staff()
    daily(staff.desk)
    _purge("notifications")
    with start_worker(app, queues=["notifications"], perform_ping_check=False, shutdown_timeout=30):
        dossier = submitted_dossier(staff.agency)  # committed: the rows are written, tasks on Redis
        assert services.officer_email_digests(now=at(MONDAY, 17, 15)) == 1
        assert services.officer_email_digests(now=at(MONDAY, 17, 16)) == 0
        digest = Notification.objects.filter(event=Event.OFFICER_DIGEST)
        wait_for(lambda: _all_sent(digest), timeout=60, what="the worker to deliver the digest")
        everything = Notification.objects.exclude(state__in=[State.BUNDLED])
        wait_for(lambda: _all_sent(everything), timeout=60, what="the worker to deliver the rest")
    mails = [m for m in mail.outbox if m.to == [staff.desk.email]]
    assert len(mails) == 1 and dossier.code in mails[0].body
    assert digest.get().attempts == 1
