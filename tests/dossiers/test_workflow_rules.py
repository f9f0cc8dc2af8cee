"""What each workflow action requires, with bad input, and what every change leaves behind.

Dates are real ones (October–November 2023, no holiday in between) passed as ``now=``;
every expected deadline is worked out by hand in the comments (office hours 07:00–11:30
and 13:30–17:00, 8 hours a working day; research vietnam-domain.md §7.3).
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from dossiers import events, processing
from dossiers.constants import Status, Step
from dossiers.models import Apology, Dossier, Handover, Result, StatusChange, StoredFile, SupplementRequest, Transfer
from dossiers.workflow import ACTIONS, MAX_NOTE, TransitionError, allowed_actions, dossier_transition
from tests.dossiers import files
from tests.dossiers.staff import DEPARTMENT, pay_before
from tests.dossiers.workflow_support import (
    OTHER_DEPARTMENT,
    at,
    dossier_point,
    local,
    make_actors,
    move,
    result_file,
)
from tests.factories import AgencyFactory, StaffAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db

# Thursday 26/10/2023 08:00: received, 5 working days -> due Thursday 02/11/2023 08:00
# (Thu 7 h, Fri, Mon, Tue, Wed 8 h each = 39 h, the last hour on Thu 02/11 07:00–08:00).
RECEIVED = at(2023, 10, 26, 8, 0)
DUE = datetime.datetime(2023, 11, 2, 8, 0)


@pytest.fixture
def actors():
    return make_actors()


def snapshot(dossier: Dossier) -> tuple:
    """Everything an action may change: the dossier row, its history and related records."""
    row = Dossier.objects.filter(pk=dossier.pk).values().get()
    row.pop("updated_at")
    related = tuple(
        model.objects.filter(dossier_id=dossier.pk).count()
        for model in (StatusChange, SupplementRequest, Apology, Transfer, Result, Handover)
    )
    return row, related


def refused(dossier, actor, action, note="", *, now=None, **data) -> dict[str, list[str]]:
    """The action fails with a ValidationError keyed by field; nothing changed."""
    before = snapshot(dossier)
    with pytest.raises(ValidationError) as exc:
        dossier_transition(dossier=dossier, action=action, actor=actor, note=note, data=data, now=now)
    assert snapshot(dossier) == before
    return exc.value.message_dict


# --- notes ---------------------------------------------------------------------------------------

NOTE_CASES = {
    "withdraw": ("submitted", "owner"),
    "refuse": ("submitted", "desk"),
    "propose": ("specialist", "specialist"),
    "return_for_rework": ("approval", "department_leader"),
    "send_back_to_department": ("specialist", "specialist"),
    "send_back_to_desk": ("department", "department_leader"),
    "transfer": ("specialist", "specialist"),
    "transfer_return": ("transferred", "partner_desk"),
    "apologize": ("received", "leader"),
    "stop": ("received", "desk"),
    "withdraw_on_request": ("submitted", "desk"),
}


def test_note_cases_cover_every_action_that_needs_a_note():
    assert set(NOTE_CASES) == {name for name, spec in ACTIONS.items() if spec.note_required}


@pytest.mark.parametrize("action", sorted(NOTE_CASES))
@pytest.mark.parametrize("note", ["", "   \n\t "])
def test_note_is_required(actors, action, note):
    point, who = NOTE_CASES[action]
    dossier = dossier_point(actors, point)
    errors = refused(dossier, actors.by_name()[who], action, note, to_agency=actors.partner.agency.pk)
    assert errors["note"][0].startswith("Hãy ghi rõ")
    # The apology's new appointment is missing too: said in the same answer, not on the next try.
    assert set(errors) == ({"note", "new_due"} if action == "apologize" else {"note"})


def test_every_refusal_of_an_action_comes_at_once(actors):
    """The supplement request without its items, with an impossible date and a note too
    long: three messages, each at its field, in one answer (it showed one error a try)."""
    dossier = dossier_point(actors, "specialist")
    errors = refused(
        dossier, actors.staff.specialist, "request_supplement", "x" * (MAX_NOTE + 1), items="", respond_by="31/02/2026"
    )
    assert set(errors) == {"items", "respond_by", "note"}
    assert errors["items"] == ["Hãy ghi rõ giấy tờ, nội dung cần bổ sung."]
    assert errors["respond_by"] == ["Hãy nhập hạn bổ sung (ngày/tháng/năm)."]
    assert errors["note"][0].startswith(f"Tối đa {MAX_NOTE} ký tự")


def test_note_longer_than_the_limit_is_refused(actors):
    dossier = dossier_point(actors, "submitted")
    errors = refused(dossier, actors.staff.desk, "refuse", "x" * (MAX_NOTE + 1))
    assert list(errors) == ["note"]
    move(dossier, actors.staff.desk, "refuse", "x" * MAX_NOTE)
    assert dossier.status == Status.REFUSED


# --- supplement request (Mẫu 02) and the paused clock ---------------------------------------------

REQUESTED = at(2023, 10, 27, 9, 32)  # Friday


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"respond_by": datetime.date(2023, 11, 3)}, "items"),
        ({"items": "   ", "respond_by": datetime.date(2023, 11, 3)}, "items"),
        ({"items": "Bản sao giấy khai sinh"}, "respond_by"),
        ({"items": "Bản sao giấy khai sinh", "respond_by": "3-11-2023"}, "respond_by"),
        ({"items": "Bản sao giấy khai sinh", "respond_by": datetime.date(2023, 10, 26)}, "respond_by"),
        ({"items": "Bản sao giấy khai sinh", "respond_by": datetime.date(2023, 10, 27)}, "respond_by"),
        ({"items": "Bản sao giấy khai sinh", "respond_by": "27/10/2023"}, "respond_by"),
        # 27/10/2023 + 181 days = 25/04/2024
        ({"items": "Bản sao giấy khai sinh", "respond_by": datetime.date(2024, 4, 25)}, "respond_by"),
        ({"items": "x" * (MAX_NOTE + 1), "respond_by": datetime.date(2023, 11, 3)}, "items"),
    ],
)
def test_request_supplement_bad_input(actors, data, field):
    dossier = dossier_point(actors, "specialist", now=RECEIVED)
    errors = refused(dossier, actors.staff.specialist, "request_supplement", "Ảnh mờ", now=REQUESTED, **data)
    assert list(errors) == [field]


@pytest.mark.parametrize("respond_by", [datetime.date(2023, 10, 28), "24/04/2024", "2024-04-24"])
def test_request_supplement_accepts_tomorrow_up_to_180_days(actors, respond_by):
    dossier = dossier_point(actors, "specialist", now=RECEIVED)
    move(
        dossier,
        actors.staff.specialist,
        "request_supplement",
        "",
        now=REQUESTED,
        items="Tờ khai",
        respond_by=respond_by,
    )
    assert dossier.status == Status.SUPPLEMENT_REQUESTED
    request = dossier.supplements.get()
    assert request.respond_by in (datetime.date(2023, 10, 28), datetime.date(2024, 4, 24))
    assert (request.from_status, request.requested_at, request.requested_by) == (
        Status.PROCESSING,
        REQUESTED,
        actors.staff.specialist,
    )


def test_supplement_pause_moves_due_date_by_office_time_paused(actors):
    s = actors.staff
    dossier = dossier_point(actors, "specialist", now=RECEIVED)
    assert local(dossier.due_at) == DUE
    # Specialist step: 60 % of 40 h = 24 h from Thu 26/10 08:00 -> Tue 31/10 08:00.
    assert local(dossier.step_due_at) == datetime.datetime(2023, 10, 31, 8, 0)

    move(dossier, s.specialist, "request_supplement", "Ảnh mờ", now=REQUESTED, items="Tờ khai", respond_by="03/11/2023")
    assert (dossier.status, dossier.step, dossier.handler_id) == (
        Status.SUPPLEMENT_REQUESTED,
        Step.SPECIALIST,
        s.specialist.pk,
    )
    assert local(dossier.due_at) == DUE  # unchanged while paused

    # Answered Tuesday 31/10 09:32: Fri 5 h 28 + Mon 8 h + Tue 2 h 32 = 16 h = 2 working days.
    answered = at(2023, 10, 31, 9, 32)
    change = move(dossier, actors.owner, "supplement_submit", "Đã chụp lại", now=answered)
    assert (dossier.status, dossier.step, dossier.handler_id) == (Status.PROCESSING, Step.SPECIALIST, s.specialist.pk)
    # Due Thu 02/11 08:00 + 16 h: Thu 7 h, Fri 8 h, Mon 06/11 1 h -> 08:00.
    assert local(dossier.due_at) == datetime.datetime(2023, 11, 6, 8, 0)
    # Step due Tue 31/10 08:00 + 16 h: Tue 7 h, Wed 8 h, Thu 1 h -> Thu 02/11 08:00.
    assert local(dossier.step_due_at) == datetime.datetime(2023, 11, 2, 8, 0)
    request = dossier.supplements.get()
    assert (request.answered_at, request.answer_note) == (answered, "Đã chụp lại")
    assert (change.from_status, change.to_status, change.actor, change.to_step) == (
        Status.SUPPLEMENT_REQUESTED,
        Status.PROCESSING,
        actors.owner,
        Step.SPECIALIST,
    )
    assert change.step_deadline == dossier.step_due_at


def test_pause_outside_office_hours_does_not_move_the_due_date(actors):
    s = actors.staff
    dossier = dossier_point(actors, "received", now=RECEIVED)
    # The desk asks on Friday 27/10 after closing; the paper comes on Monday 30/10 before opening.
    move(
        dossier,
        s.desk,
        "request_supplement",
        "Thiếu",
        now=at(2023, 10, 27, 17, 30),
        items="Tờ khai",
        respond_by="30/10/2023",
    )
    assert dossier.step == Step.DESK
    move(dossier, s.desk, "supplement_received", "Nhận bản giấy", now=at(2023, 10, 30, 6, 45))
    assert dossier.status == Status.RECEIVED
    assert local(dossier.due_at) == DUE


def test_supplement_received_at_the_desk_for_a_paper_answer(actors):
    s = actors.staff
    dossier = dossier_point(actors, "received", now=RECEIVED)
    move(dossier, s.desk, "request_supplement", "Thiếu", now=REQUESTED, items="Tờ khai", respond_by="01/11/2023")
    # The citizen cannot answer for the desk, the desk can: Fri 09:32 -> Mon 30/10 09:32 = 8 h.
    move(dossier, s.desk, "supplement_received", "Nhận bản giấy", now=at(2023, 10, 30, 9, 32))
    assert dossier.status == Status.RECEIVED
    assert local(dossier.due_at) == datetime.datetime(2023, 11, 3, 8, 0)


def test_waiting_for_the_fee_pauses_the_clock(actors):
    s = actors.staff
    dossier = dossier_point(actors, "specialist", now=RECEIVED)
    pay_before(s, dossier, "payment_confirmed")  # in the ledger; the desk confirms at its time below
    move(dossier, s.specialist, "request_payment", now=REQUESTED)
    assert (dossier.status, dossier.step, dossier.handler_id) == (
        Status.AWAITING_PAYMENT,
        Step.SPECIALIST,
        s.specialist.pk,
    )
    # Paid and confirmed Tuesday 31/10 09:32: 16 office hours later, as for a supplement.
    move(dossier, s.desk, "payment_confirmed", now=at(2023, 10, 31, 9, 32))
    assert (dossier.status, dossier.step) == (Status.PROCESSING, Step.SPECIALIST)
    assert local(dossier.due_at) == datetime.datetime(2023, 11, 6, 8, 0)
    assert local(dossier.step_due_at) == datetime.datetime(2023, 11, 2, 8, 0)


# --- apology and new appointment (Mẫu 04) ---------------------------------------------------------

# Due Thu 02/11/2023 08:00; one working day before is Wed 01/11/2023 08:00.
APOLOGY_LAST = at(2023, 11, 1, 8, 0)


@pytest.fixture
def late(actors):
    return dossier_point(actors, "approval", now=RECEIVED)


@pytest.mark.parametrize("who", ["desk", "specialist", "department_leader", "admin", "owner"])
def test_only_the_agency_leader_apologises(actors, late, who):
    with pytest.raises(PermissionDenied):
        dossier_transition(
            dossier=late,
            action="apologize",
            actor=actors.by_name()[who],
            note="Chờ xác minh",
            data={"new_due": "03/11/2023"},
            now=APOLOGY_LAST,
        )


def test_apology_moves_the_appointment_to_closing_time_of_the_new_day(actors, late):
    leader = actors.staff.leader
    change = move(late, leader, "apologize", "Chờ kết quả xác minh", now=APOLOGY_LAST, new_due="03/11/2023")
    assert local(late.due_at) == datetime.datetime(2023, 11, 3, 17, 0)
    assert (late.status, late.step) == (Status.PROCESSING, Step.APPROVAL)
    apology = Apology.objects.get(dossier=late)
    assert local(apology.old_due_at) == DUE and apology.new_due_at == late.due_at
    assert (apology.issued_by, apology.at, apology.reason) == (leader, APOLOGY_LAST, "Chờ kết quả xác minh")
    assert (change.action, change.from_status, change.to_status, change.actor) == (
        "apologize",
        Status.PROCESSING,
        Status.PROCESSING,
        leader,
    )
    assert "apologize" not in {a.name for a in allowed_actions(late, leader)}


def test_an_overdue_dossier_still_gets_its_apology_once_with_a_date_after_today(actors, late):
    """The apology is for dossiers that are or will be late: past the day before the due date,
    and past the due date itself, the leader sends it (it was refused once the day before
    had passed, while the dossier page asked for it)."""
    three_days_late = at(2023, 11, 7, 9, 0)  # Tue; due Thu 02/11 08:00
    errors = refused(late, actors.staff.leader, "apologize", "Chậm", now=three_days_late, new_due="03/11/2023")
    assert errors["new_due"] == ["Hồ sơ đã quá hạn: ngày hẹn mới phải sau hôm nay."]

    move(late, actors.staff.leader, "apologize", "Chờ xác minh", now=three_days_late, new_due="09/11/2023")
    assert local(late.due_at) == datetime.datetime(2023, 11, 9, 17, 0)
    apology = Apology.objects.get(dossier=late)
    assert local(apology.old_due_at) == DUE and apology.at == three_days_late
    assert "apologize" not in {a.name for a in allowed_actions(late, actors.staff.leader)}


@pytest.mark.parametrize(
    "new_due",
    [
        "",
        "3 tháng 11",
        datetime.date(2023, 11, 1),  # before the old date
        datetime.date(2023, 11, 2),  # the old date itself
        datetime.date(2023, 11, 4),  # Saturday
        datetime.date(2023, 11, 5),  # Sunday
        datetime.date(2024, 11, 4),  # Monday, but more than a year later
    ],
)
def test_apology_bad_new_date(actors, late, new_due):
    errors = refused(late, actors.staff.leader, "apologize", "Chậm", now=APOLOGY_LAST, new_due=new_due)
    assert list(errors) == ["new_due"]


def test_second_apology_is_a_transition_error(actors, late):
    leader = actors.staff.leader
    move(late, leader, "apologize", "Chậm lần 1", now=at(2023, 10, 30, 8, 0), new_due="03/11/2023")
    before = snapshot(late)
    with pytest.raises(TransitionError, match="một lần"):
        dossier_transition(
            dossier=late,
            action="apologize",
            actor=leader,
            note="Lần 2",
            data={"new_due": "06/11/2023"},
            now=APOLOGY_LAST,
        )
    assert snapshot(late) == before


def test_second_apology_is_refused_and_the_database_forbids_it(actors, late):
    leader = actors.staff.leader
    move(late, leader, "apologize", "Chậm lần 1", now=at(2023, 10, 30, 8, 0), new_due="03/11/2023")
    before = snapshot(late)
    with pytest.raises((TransitionError, PermissionDenied)):
        dossier_transition(
            dossier=late,
            action="apologize",
            actor=leader,
            note="Lần 2",
            data={"new_due": "06/11/2023"},
            now=APOLOGY_LAST,
        )
    assert snapshot(late) == before
    with pytest.raises(IntegrityError), transaction.atomic():
        Apology.objects.create(
            dossier=late,
            reason="Lần 2",
            old_due_at=late.due_at,
            new_due_at=late.due_at,
            issued_by=leader,
            at=APOLOGY_LAST,
        )


def test_no_apology_without_an_appointment_date():
    actors = make_actors(time_limit=None, time_limit_note="Không quy định thời hạn")
    dossier = dossier_point(actors, "specialist")
    assert dossier.due_at is None
    leader = actors.staff.leader
    assert "apologize" not in {a.name for a in allowed_actions(dossier, leader)}
    with pytest.raises(TransitionError, match="chưa có ngày hẹn trả"):
        dossier_transition(dossier=dossier, action="apologize", actor=leader, note="x", data={"new_due": "2099-01-05"})


# --- result (record_result) -----------------------------------------------------------------------


@pytest.fixture
def issuing(actors):
    return dossier_point(actors, "issuing", now=RECEIVED)


GOOD_RESULT = {"number": "12/TP-HT", "issued_on": "31/10/2023", "summary": "Trích lục khai sinh"}
RESULT_AT = at(2023, 10, 31, 10, 0)


def act(dossier, actor, action, note="", *, upload=None, now=None, **data):
    return processing.dossier_act(
        dossier=dossier, action=action, actor=actor, note=note, data=data, upload=upload, now=now
    )


def test_record_result_without_a_file(actors, issuing):
    before = snapshot(issuing)
    with pytest.raises(ValidationError) as exc:
        act(issuing, actors.staff.desk, "record_result", now=RESULT_AT, **GOOD_RESULT)
    assert list(exc.value.message_dict) == ["file"]
    # Straight to the state machine without a stored file: the same answer.
    errors = refused(issuing, actors.staff.desk, "record_result", now=RESULT_AT, **GOOD_RESULT)
    assert list(errors) == ["file"]
    assert snapshot(issuing) == before


def test_record_result_says_everything_missing_at_once(actors, issuing):
    errors = refused(issuing, actors.staff.desk, "record_result", now=RESULT_AT, issued_on="01/11/2023")
    assert set(errors) == {"number", "issued_on", "summary", "file"}
    assert errors["issued_on"] == ["Ngày ban hành không được sau hôm nay."]


@pytest.mark.parametrize("upload", [files.png, files.photo, files.corrupt_pdf, files.executable_named_pdf])
def test_record_result_file_must_be_a_pdf(actors, issuing, upload):
    before = snapshot(issuing)
    with pytest.raises(ValidationError) as exc:
        act(issuing, actors.staff.desk, "record_result", upload=upload(), now=RESULT_AT, **GOOD_RESULT)
    # A picture is refused at "file"; a broken or disguised file by the upload check.
    assert exc.value.messages
    if upload in (files.png, files.photo):
        assert list(exc.value.message_dict) == ["file"]
    assert snapshot(issuing) == before
    assert not StoredFile.objects.filter(kind=StoredFile.Kind.RESULT).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"issued_on": "01/11/2023"}, "issued_on"),  # the day after RESULT_AT
        ({"issued_on": "31.10.2023"}, "issued_on"),
        ({"number": " "}, "number"),
        ({"summary": ""}, "summary"),
    ],
)
def test_record_result_bad_fields(actors, issuing, changes, field):
    before = snapshot(issuing)
    with pytest.raises(ValidationError) as exc:
        act(
            issuing, actors.staff.desk, "record_result", upload=files.pdf(), now=RESULT_AT, **{**GOOD_RESULT, **changes}
        )
    assert list(exc.value.message_dict) == [field]
    assert snapshot(issuing) == before
    assert not StoredFile.objects.filter(kind=StoredFile.Kind.RESULT).exists()


def test_record_result_stores_the_pdf_for_the_citizen(actors, issuing):
    change = act(
        issuing, actors.staff.specialist, "record_result", upload=files.pdf(pages=2), now=RESULT_AT, **GOOD_RESULT
    )
    issuing.refresh_from_db()
    assert (issuing.status, issuing.step, issuing.handler_id, issuing.step_due_at) == (
        Status.RESOLVED,
        Step.DESK,
        None,
        None,
    )
    assert issuing.finished_at == RESULT_AT
    result = issuing.result
    assert (result.number, result.issued_on, result.issuer) == (
        "12/TP-HT",
        datetime.date(2023, 10, 31),
        issuing.agency.name,
    )
    assert (result.stored_file.owner, result.stored_file.kind, result.stored_file.page_count) == (
        actors.owner,
        StoredFile.Kind.RESULT,
        2,
    )
    assert (change.from_status, change.to_status, change.to_step, change.actor) == (
        Status.PROCESSING,
        Status.RESOLVED,
        Step.DESK,
        actors.staff.specialist,
    )


@pytest.fixture
def stored_files(tmp_path, monkeypatch):
    """Where this test's stored files go: the set of files there, on demand.

    (The field's storage is built when the models load, so conftest's PRIVATE_MEDIA_ROOT
    override does not reach it; point the field at a folder of this test instead.)"""
    from django.core.files.storage import FileSystemStorage

    root = tmp_path / "stored"
    monkeypatch.setattr(StoredFile._meta.get_field("file"), "storage", FileSystemStorage(location=root))
    return lambda: {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def test_refused_result_leaves_no_file_behind(actors, issuing, stored_files):
    before = stored_files()
    with pytest.raises(PermissionDenied):
        act(issuing, actors.other_citizen, "record_result", upload=files.pdf(), now=RESULT_AT, **GOOD_RESULT)
    with pytest.raises(ValidationError):
        future = {**GOOD_RESULT, "issued_on": "2099-01-01"}
        act(issuing, actors.staff.desk, "record_result", upload=files.pdf(), now=RESULT_AT, **future)
    assert not StoredFile.objects.filter(kind=StoredFile.Kind.RESULT).exists()
    assert stored_files() == before


# --- hand-over (return_result) --------------------------------------------------------------------


@pytest.fixture
def resolved(actors):
    """A resolved dossier whose fees the desk has taken (nothing is handed over unpaid)."""
    dossier = dossier_point(actors, "resolved")
    pay_before(actors.staff, dossier, "return_result")
    return dossier


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"method": "post", "receiver_name": "Nguyễn Văn An"}, "tracking_number"),
        ({"method": "post", "receiver_name": "Nguyễn Văn An", "tracking_number": "   "}, "tracking_number"),
        ({"method": "post", "tracking_number": "EB123456789VN"}, "receiver_name"),
        ({"method": "counter"}, "receiver_name"),
        ({"method": "counter", "receiver_name": "  "}, "receiver_name"),
        ({"method": "email", "receiver_name": "Nguyễn Văn An"}, "method"),
        ({"receiver_name": "Nguyễn Văn An"}, "method"),
        ({"method": "counter", "receiver_name": "An", "postal_fee": "mười nghìn"}, "postal_fee"),
        ({"method": "post", "receiver_name": "An", "tracking_number": "EB1", "postal_fee": "10000001"}, "postal_fee"),
        ({"method": "post", "receiver_name": "An", "tracking_number": "EB1", "postal_fee": "-5"}, "postal_fee"),
    ],
)
def test_return_result_bad_input(actors, resolved, data, field):
    errors = refused(resolved, actors.staff.desk, "return_result", **data)
    assert list(errors) == [field]


def test_return_result_by_post(actors, resolved):
    change = move(
        resolved,
        actors.staff.desk,
        "return_result",
        method="post",
        receiver_name="Nguyễn Văn An",
        tracking_number="EB123456789VN",
        postal_fee="25.000",
    )
    assert resolved.status == Status.RETURNED
    handover = resolved.handover
    assert (handover.method, handover.tracking_number, handover.postal_fee, handover.handed_over_by) == (
        "post",
        "EB123456789VN",
        25000,
        actors.staff.desk,
    )
    assert (change.from_status, change.to_status) == (Status.RESOLVED, Status.RETURNED)


def test_return_result_online_names_the_applicant(actors, resolved):
    move(resolved, actors.staff.desk, "return_result", method="online")
    assert resolved.handover.receiver_name == resolved.applicant_name


# --- transfer (liên thông) ------------------------------------------------------------------------


def test_transfer_to_the_same_agency(actors):
    dossier = dossier_point(actors, "specialist")
    errors = refused(dossier, actors.staff.specialist, "transfer", "Phối hợp", to_agency=dossier.agency_id)
    assert list(errors) == ["to_agency"]


@pytest.mark.parametrize("days", [-1, 0], ids=["closed-yesterday", "closed-today"])
def test_transfer_to_a_closed_agency(actors, days):
    closed = AgencyFactory(effective_to=timezone.localdate() + datetime.timedelta(days=days))
    dossier = dossier_point(actors, "specialist")
    errors = refused(dossier, actors.staff.specialist, "transfer", "Phối hợp", to_agency=closed.pk)
    assert list(errors) == ["to_agency"]


@pytest.mark.parametrize("to_agency", ["", None, "abc", "99999999"])
def test_transfer_to_no_agency(actors, to_agency):
    dossier = dossier_point(actors, "specialist")
    errors = refused(dossier, actors.staff.specialist, "transfer", "Phối hợp", to_agency=to_agency)
    assert list(errors) == ["to_agency"]


def test_transfer_to_an_agency_closing_tomorrow_is_recorded(actors):
    closing = AgencyFactory(effective_to=timezone.localdate() + datetime.timedelta(days=1))
    dossier = dossier_point(actors, "specialist", now=RECEIVED)
    sent = at(2023, 10, 27, 8, 0)
    change = move(dossier, actors.staff.specialist, "transfer", "Đề nghị xác minh", now=sent, to_agency=str(closing.pk))
    assert (dossier.step, dossier.transfer_agency_id, dossier.handler_id) == (
        Step.TRANSFERRED,
        closing.pk,
        actors.staff.specialist.pk,
    )
    # Transfer step: 30 % of 40 h = 12 h from Fri 27/10 08:00: Fri 3.5 h + 3.5 h = 7 h;
    # Mon 30/10 07:00–11:30 4.5 h (11.5 h); the last 0.5 h from 13:30 -> 14:00.
    assert local(dossier.step_due_at) == datetime.datetime(2023, 10, 30, 14, 0)
    transfer = Transfer.objects.get(dossier=dossier)
    assert (transfer.to_agency, transfer.sent_by, transfer.sent_at, transfer.note) == (
        closing,
        actors.staff.specialist,
        sent,
        "Đề nghị xác minh",
    )
    assert change.agency_id == closing.pk and change.to_step == Step.TRANSFERRED


# --- routing (assign, assign_specialist) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "department"),
        ({"department": "  "}, "department"),
        ({"department": "Phòng Không Tồn Tại"}, "department"),
        ({"department": "Bộ phận Một cửa"}, "department"),  # the desk's, not a processing department
        ({"department": "Phòng Tài nguyên"}, "department"),  # exists in another agency only
        ({"department": DEPARTMENT, "handler": "other_specialist"}, "handler"),
        ({"department": DEPARTMENT, "handler": "foreign_specialist"}, "handler"),
        ({"department": DEPARTMENT, "handler": "department_leader"}, "handler"),
        ({"department": DEPARTMENT, "handler": "999999"}, "handler"),
        ({"department": OTHER_DEPARTMENT, "handler": "specialist"}, "handler"),
    ],
)
def test_assign_bad_department_or_specialist(actors, data, field):
    foreign_specialist = UserFactory(kind="officer")
    StaffAssignmentFactory(
        user=foreign_specialist, agency=actors.foreign_agency, role="specialist", department=DEPARTMENT
    )
    StaffAssignmentFactory(agency=actors.foreign_agency, role="specialist", department="Phòng Tài nguyên")
    people = {**actors.by_name(), "foreign_specialist": foreign_specialist}
    if "handler" in data and data["handler"] in people:
        data = {**data, "handler": people[data["handler"]].pk}
    dossier = dossier_point(actors, "received")
    errors = refused(dossier, actors.staff.desk, "assign", **data)
    assert list(errors) == [field]


def test_assign_to_a_department_only_waits_for_its_leader(actors):
    dossier = dossier_point(actors, "received", now=RECEIVED)
    move(dossier, actors.staff.leader, "assign", now=RECEIVED, department=DEPARTMENT)
    assert (dossier.status, dossier.step, dossier.department, dossier.handler_id) == (
        Status.PROCESSING,
        Step.DEPARTMENT,
        DEPARTMENT,
        None,
    )
    # Department step: 10 % of 40 h = 4 h from Thu 08:00 -> 3.5 h before lunch, 0.5 h after: 14:00.
    assert local(dossier.step_due_at) == datetime.datetime(2023, 10, 26, 14, 0)
    s = actors.staff
    errors = refused(dossier, s.department_leader, "assign_specialist", handler=s.other_specialist.pk)
    assert list(errors) == ["handler"]
    errors = refused(dossier, s.department_leader, "assign_specialist")
    assert list(errors) == ["handler"]
    move(dossier, s.department_leader, "assign_specialist", handler=str(s.specialist.pk))
    assert (dossier.step, dossier.handler_id) == (Step.SPECIALIST, s.specialist.pk)


def test_an_inactive_specialist_cannot_be_chosen(actors):
    s = actors.staff
    s.specialist.assignments.update(active=False)
    dossier = dossier_point(actors, "department")
    errors = refused(dossier, s.department_leader, "assign_specialist", handler=s.specialist.pk)
    assert list(errors) == ["handler"]


# --- impossible transitions -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("point", "action", "who", "where"),
    [
        ("received", "approve", "leader", "Được tiếp nhận"),
        ("received", "receive", "desk", "Được tiếp nhận"),
        ("approval", "propose", "specialist", "Chờ lãnh đạo duyệt"),
        ("approval", "record_result", "desk", "Chờ lãnh đạo duyệt"),
        ("specialist", "approve", "department_leader", "Chuyên viên đang xử lý"),
        ("specialist", "return_result", "desk", "Chuyên viên đang xử lý"),
        ("department", "request_supplement", "desk", "Chờ phòng phân công"),
        ("submitted", "stop", "desk", "Mới đăng ký"),
        ("submitted", "submit", "owner", "Mới đăng ký"),
        ("specialist", "supplement_submit", "owner", "Chuyên viên đang xử lý"),
        ("resolved", "stop", "leader", "Đã xử lý xong"),
        ("resolved", "withdraw_on_request", "desk", "Đã xử lý xong"),
        ("returned", "withdraw_on_request", "desk", "Đã trả kết quả"),
        ("returned", "return_result", "desk", "Đã trả kết quả"),
    ],
)
def test_impossible_transition_is_a_transition_error_in_vietnamese(actors, point, action, who, where):
    dossier = dossier_point(actors, point)
    before = snapshot(dossier)
    with pytest.raises(TransitionError) as exc:
        dossier_transition(dossier=dossier, action=action, actor=actors.by_name()[who], note="Ghi chú")
    message = exc.value.messages[0]
    assert message.startswith(f"Không thể “{ACTIONS[action].label.lower()}”")
    assert f"“{where}”" in message and "hãy tải lại trang" in message
    assert snapshot(dossier) == before


def test_unknown_action(actors):
    dossier = dossier_point(actors, "submitted")
    with pytest.raises(TransitionError, match="không tồn tại"):
        dossier_transition(dossier=dossier, action="delete", actor=actors.staff.leader)


@pytest.mark.parametrize("point", ["refused", "withdrawn", "stopped", "returned"])
def test_terminal_statuses_allow_nothing(actors, point):
    s = actors.staff
    if point == "returned":
        dossier = dossier_point(actors, "returned")
    else:
        dossier = dossier_point(actors, "submitted" if point != "stopped" else "received")
        action, actor = {
            "refused": ("refuse", s.desk),
            "withdrawn": ("withdraw", actors.owner),
            "stopped": ("stop", s.leader),
        }[point]
        move(dossier, actor, action, "Kết thúc")
    for actor in actors.by_name().values():
        assert allowed_actions(dossier, actor) == []
    for name in ACTIONS:
        with pytest.raises(TransitionError):
            dossier_transition(dossier=dossier, action=name, actor=s.leader, note="x")


# --- history: one row per change ------------------------------------------------------------------


def test_every_change_appends_exactly_one_history_row(actors):
    s = actors.staff
    dossier = dossier_point(actors, "submitted")
    # The applicant paid at the counter on filing: confirming the fee and handing over are
    # not held back (payments.fees), and paying adds no history row of its own here.
    pay_before(s, dossier, "return_result")
    steps = [
        # (actor, action, note, data, now, to_status, to_step)
        (s.desk, "receive", "", {}, RECEIVED, Status.RECEIVED, Step.DESK),
        (s.desk, "assign", "", {"department": DEPARTMENT}, RECEIVED, Status.PROCESSING, Step.DEPARTMENT),
        (
            s.department_leader,
            "assign_specialist",
            "",
            {"handler": s.specialist.pk},
            at(2023, 10, 26, 9),
            Status.PROCESSING,
            Step.SPECIALIST,
        ),
        (
            s.specialist,
            "transfer",
            "Xác minh",
            {"to_agency": actors.partner.agency.pk},
            at(2023, 10, 26, 10),
            Status.PROCESSING,
            Step.TRANSFERRED,
        ),
        (
            actors.partner.specialist,
            "transfer_return",
            "Đã xác minh",
            {},
            at(2023, 10, 27, 8),
            Status.PROCESSING,
            Step.SPECIALIST,
        ),
        (s.specialist, "request_payment", "", {}, at(2023, 10, 27, 9), Status.AWAITING_PAYMENT, Step.SPECIALIST),
        (s.desk, "payment_confirmed", "", {}, at(2023, 10, 27, 10), Status.PROCESSING, Step.SPECIALIST),
        (s.specialist, "propose", "Đề nghị cấp", {}, at(2023, 10, 27, 14), Status.PROCESSING, Step.APPROVAL),
        (s.leader, "return_for_rework", "Bổ sung căn cứ", {}, at(2023, 10, 30, 8), Status.PROCESSING, Step.SPECIALIST),
        (s.specialist, "propose", "Đã bổ sung", {}, at(2023, 10, 30, 9), Status.PROCESSING, Step.APPROVAL),
        (s.department_leader, "approve", "", {}, at(2023, 10, 30, 10), Status.PROCESSING, Step.ISSUING),
        (
            s.desk,
            "record_result",
            "",
            {**GOOD_RESULT, "stored_file": result_file(actors.owner)},
            RESULT_AT,
            Status.RESOLVED,
            Step.DESK,
        ),
        (
            s.desk,
            "return_result",
            "",
            {"method": "counter", "receiver_name": "Nguyễn Văn An"},
            at(2023, 11, 1, 8),
            Status.RETURNED,
            Step.DESK,
        ),
    ]
    for actor, action, note, data, now, to_status, to_step in steps:
        count = StatusChange.objects.filter(dossier=dossier).count()
        from_status = dossier.status
        change = move(dossier, actor, action, note, now=now, **data)
        assert StatusChange.objects.filter(dossier=dossier).count() == count + 1, action
        assert StatusChange.objects.filter(dossier=dossier).latest("pk") == change
        assert (change.action, change.actor, change.from_status, change.to_status, change.to_step) == (
            action,
            actor,
            from_status,
            to_status,
            to_step,
        ), action
        assert (dossier.status, dossier.step) == (to_status, to_step)
        expected_deadline = dossier.step_due_at if to_status == Status.PROCESSING else dossier.due_at
        assert change.step_deadline == expected_deadline, action
        assert (change.department, change.handler_id) == (dossier.department, dossier.handler_id), action
        assert change.note == note
        assert change.agency_id == (actors.partner.agency.pk if to_step == Step.TRANSFERRED else s.agency.pk)
    history = list(StatusChange.objects.filter(dossier=dossier).order_by("pk").values_list("action", flat=True))
    assert history == ["submit"] + [step[1] for step in steps]
    # Hand-computed step deadlines (40 h limit, due Thu 02/11 08:00):
    by_action = {c.action: c for c in StatusChange.objects.filter(dossier=dossier).order_by("pk")}
    assert local(by_action["receive"].step_deadline) == DUE
    # assign_specialist Thu 26/10 09:00 + 24 h (60 %): Thu 2.5 h + 3.5 h = 6 h; Fri 14 h; Mon 22 h;
    # Tue 31/10 from 07:00 the last 2 h -> 09:00.
    assert local(by_action["assign_specialist"].step_deadline) == datetime.datetime(2023, 10, 31, 9, 0)
    # approve Mon 30/10 10:00 + 6 h (15 %): Mon 1.5 h + 3.5 h = 5 h; Tue 31/10 07:00 + 1 h -> 08:00.
    assert local(by_action["approve"].step_deadline) == datetime.datetime(2023, 10, 31, 8, 0)


def test_a_refused_or_invalid_attempt_adds_no_history(actors):
    dossier = dossier_point(actors, "approval")
    before = snapshot(dossier)
    attempts = [
        (actors.staff.specialist, "approve", "", {}),  # not a leader
        (actors.staff.leader, "return_for_rework", "", {}),  # no note
        (actors.staff.leader, "propose", "x", {}),  # wrong step
        (actors.foreign, "approve", "", {}),
    ]
    for actor, action, note, data in attempts:
        with pytest.raises((PermissionDenied, ValidationError)):
            dossier_transition(dossier=dossier, action=action, actor=actor, note=note, data=data)
        assert snapshot(dossier) == before


# --- handler cleared when the dossier ends -----------------------------------------------------


@pytest.mark.parametrize("action", ["stop", "withdraw_on_request"])
@pytest.mark.parametrize("point", ["specialist", "approval", "awaiting_payment", "supplement"])
def test_ending_a_dossier_in_processing_leaves_no_handler(actors, action, point):
    dossier = dossier_point(actors, point)
    assert dossier.handler_id is not None
    move(dossier, actors.staff.desk, action, "Công dân đề nghị")
    assert dossier.step == Step.DESK
    assert dossier.handler_id is None
    assert dossier.step_due_at is None
    assert dossier.finished_at is not None


# --- the domain event after commit ---------------------------------------------------------------


@pytest.fixture
def received_events():
    seen = []

    def receiver(sender, **payload):
        seen.append(payload)

    events.dossier_status_changed.connect(receiver, weak=False, dispatch_uid="test-workflow-rules")
    yield seen
    events.dossier_status_changed.disconnect(dispatch_uid="test-workflow-rules")


@pytest.mark.parametrize(
    ("point", "who", "action", "note", "data", "form"),
    [
        ("submitted", "desk", "receive", "", {}, "01"),
        ("submitted", "desk", "refuse", "Không thuộc thẩm quyền", {}, "03"),
        ("submitted", "owner", "withdraw", "Nộp nhầm", {}, ""),
        ("received", "desk", "assign", "", {"department": DEPARTMENT}, ""),
        ("specialist", "specialist", "request_supplement", "", {"items": "Tờ khai", "respond_by": "+7"}, "02"),
        ("received", "leader", "apologize", "Chậm", {"new_due": "+due"}, "04"),
        ("received", "leader", "stop", "Theo đề nghị", {}, "05"),
        ("issuing", "desk", "record_result", "", {**GOOD_RESULT, "issued_on": "today"}, ""),
    ],
)
def test_event_is_sent_once_after_commit_with_its_form(
    actors, received_events, django_capture_on_commit_callbacks, point, who, action, note, data, form
):
    dossier = dossier_point(actors, point)
    data = dict(data)
    if data.get("respond_by") == "+7":
        data["respond_by"] = timezone.localdate() + datetime.timedelta(days=7)
    if data.get("new_due") == "+due":
        day = timezone.localtime(dossier.due_at).date() + datetime.timedelta(days=1)
        while day.weekday() >= 5:
            day += datetime.timedelta(days=1)
        data["new_due"] = day
    if data.get("issued_on") == "today":
        data["issued_on"] = timezone.localdate()
        data["stored_file"] = result_file(actors.owner)
    received_events.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        change = move(dossier, actors.by_name()[who], action, note, **data)
    assert received_events == []  # nothing before the commit
    # One callback sends the event (the notifications outbox may queue its deliveries in another).
    assert [c.__qualname__ for c in callbacks].count("emit_status_changed.<locals>.send") == 1
    for callback in callbacks:
        callback()
    assert received_events == [
        {
            "signal": events.dossier_status_changed,
            "form": form,
            "dossier_id": dossier.pk,
            "change_id": change.pk,
            "action": action,
            "from_status": change.from_status,
            "to_status": change.to_status,
        }
    ]


def test_no_event_when_the_change_is_rolled_back_or_refused(
    actors, received_events, django_capture_on_commit_callbacks
):
    dossier = dossier_point(actors, "submitted")
    received_events.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            move(dossier, actors.staff.desk, "receive")
            raise RuntimeError("the caller's transaction fails afterwards")
        with pytest.raises(ValidationError):
            dossier_transition(dossier=dossier, action="refuse", actor=actors.staff.desk)  # no note
        with pytest.raises(PermissionDenied):
            dossier_transition(dossier=dossier, action="receive", actor=actors.owner)
    assert callbacks == [] and received_events == []
    assert Dossier.objects.get(pk=dossier.pk).status == Status.SUBMITTED
