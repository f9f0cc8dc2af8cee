"""Who may take each workflow action (research vietnam-domain.md §2.2).

The expectation is the table ``WHO`` below, written from the domain (one-stop desk
receives, refuses, takes paper supplements and payments, hands over results; the
department leader and the agency leader route and approve; the specialist who
handles the dossier proposes; only the agency leader apologises; only the officers of
the agency a dossier is transferred to answer the transfer), not read from the code.
Every actor tries every action on a dossier where the action applies: the allowed
ones succeed (in a savepoint that is rolled back) and appear in ``allowed_actions``,
everyone else gets ``PermissionDenied`` and does not see the action.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from dossiers import deadlines
from dossiers.constants import Status, Step
from dossiers.models import Dossier, StatusChange
from dossiers.selectors import officer_handles
from dossiers.workflow import ACTIONS, allowed_actions, dossier_transition
from tests.dossiers.staff import DEPARTMENT, pay_before
from tests.dossiers.workflow_support import dossier_point, make_actors, move, respond_by, result_file

pytestmark = pytest.mark.django_db

OWN_AGENCY_ROUTERS = {"department_leader", "leader"}
PARTNER_PROCESSING = {"partner_desk", "partner_specialist", "partner_department_leader", "partner_leader"}

# action -> the actors who may take it (names of ``Actors.by_name``).
WHO: dict[str, set[str]] = {
    "submit": {"owner"},
    "withdraw": {"owner"},
    "supplement_submit": {"owner"},
    "intake": {"desk"},
    "receive": {"desk"},
    "refuse": {"desk"},
    # A received dossier is routed by the desk, the agency leader or a department leader.
    "assign": {"desk", "leader", "department_leader", "other_department_leader"},
    # Inside the department: its leader (or the agency leader), never a leader of another one.
    "assign_specialist": OWN_AGENCY_ROUTERS,
    "approve": OWN_AGENCY_ROUTERS,
    # The second signature of a two-signature procedure: the agency leader only.
    "sign": {"leader"},
    "return_for_rework": OWN_AGENCY_ROUTERS,
    "send_back_to_desk": OWN_AGENCY_ROUTERS,
    # The specialist handling the dossier, not a colleague.
    "propose": {"specialist"},
    "send_back_to_department": {"specialist"},
    "transfer": {"specialist", "department_leader", "leader"},
    "transfer_return": PARTNER_PROCESSING,
    "request_supplement": {"desk", "specialist", "department_leader", "leader"},
    "supplement_received": {"desk"},
    "request_payment": {"desk", "specialist"},
    "payment_confirmed": {"desk"},
    "record_result": {"desk", "specialist", "department_leader", "leader"},
    "return_result": {"desk"},
    "apologize": {"leader"},
    "stop": {"desk", "leader"},
    "withdraw_on_request": {"desk"},
}

# Where each action is tried; an action may be tried at several points.
CASES: list[tuple[str, str]] = [
    ("submit", "draft"),
    ("withdraw", "submitted"),
    ("supplement_submit", "supplement"),
    ("intake", "counter_draft"),
    ("receive", "submitted"),
    ("refuse", "submitted"),
    ("assign", "received"),
    ("assign_specialist", "department"),
    ("propose", "specialist"),
    ("approve", "approval"),
    ("sign", "signing"),
    ("return_for_rework", "approval"),
    ("return_for_rework", "signing"),
    ("send_back_to_department", "specialist"),
    ("send_back_to_desk", "department"),
    ("transfer", "specialist"),
    ("transfer_return", "transferred"),
    ("request_supplement", "specialist"),
    ("request_supplement", "submitted"),
    ("request_supplement", "received"),
    ("supplement_received", "supplement"),
    ("supplement_received", "supplement_at_desk"),
    ("request_payment", "specialist"),
    ("payment_confirmed", "awaiting_payment_paid"),
    ("record_result", "issuing"),
    ("return_result", "resolved"),
    ("apologize", "received"),
    ("apologize", "approval"),
    ("apologize", "supplement"),
    ("stop", "received"),
    ("stop", "issuing"),
    ("stop", "awaiting_payment"),
    ("withdraw_on_request", "submitted"),
    ("withdraw_on_request", "approval"),
]

# At status 1 and 2 the dossier has no department and no handler yet: only the desk
# (and the agency leader) may ask for a supplement.
WHO_AT = {
    ("return_for_rework", "signing"): {"leader"},
    ("request_supplement", "submitted"): {"desk", "leader"},
    ("request_supplement", "received"): {"desk", "leader"},
}


def test_every_action_has_a_row_and_a_case():
    assert set(WHO) == set(ACTIONS)
    assert {action for action, _ in CASES} == set(ACTIONS)


def _next_working_day_after(day: datetime.date) -> datetime.date:
    day += datetime.timedelta(days=1)
    while not deadlines.is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def _good(action: str, dossier: Dossier, actors) -> tuple[str, dict]:
    """A note and data with which ``action`` succeeds for an allowed actor."""
    s = actors.staff
    note = "Ghi chú đầy đủ" if ACTIONS[action].note_required else ""
    data: dict = {}
    if action == "assign":
        data = {"department": DEPARTMENT, "handler": s.specialist.pk}
    elif action == "assign_specialist":
        data = {"handler": s.specialist.pk}
    elif action == "transfer":
        data = {"to_agency": actors.partner.agency.pk}
    elif action == "request_supplement":
        data = {"items": "Bản sao giấy khai sinh", "respond_by": respond_by(7)}
    elif action == "record_result":
        data = {
            "number": "12/TP-HT",
            "issued_on": timezone.localdate(),
            "summary": "Trích lục",
            "stored_file": result_file(actors.owner),
        }
    elif action == "return_result":
        data = {"method": "counter", "receiver_name": "Nguyễn Văn An"}
    elif action == "apologize":
        data = {"new_due": _next_working_day_after(timezone.localtime(dossier.due_at).date())}
    return note, data


class _Undo(Exception):
    pass


def _try(dossier: Dossier, action: str, actor, note: str, data: dict) -> bool:
    """True if the action succeeds (then undone), False on PermissionDenied."""
    fresh = Dossier.objects.get(pk=dossier.pk)
    try:
        with transaction.atomic():
            dossier_transition(dossier=fresh, action=action, actor=actor, note=note, data=dict(data))
            raise _Undo
    except _Undo:
        return True
    except PermissionDenied:
        return False


@pytest.fixture
def actors():
    return make_actors()


@pytest.mark.parametrize(("action", "point"), CASES, ids=[f"{a}@{p}" for a, p in CASES])
def test_permission_matrix(actors, action, point):
    dossier = dossier_point(actors, point)
    assert ACTIONS[action].applies_to(dossier), (action, point, dossier.status, dossier.step)
    if ACTIONS[action].held_reason(dossier):  # the fees it waits for are paid (payments.fees)
        pay_before(actors.staff, dossier, action)
        assert not ACTIONS[action].held_reason(dossier)
    expected = WHO_AT.get((action, point), WHO[action])
    note, data = _good(action, dossier, actors)
    history = StatusChange.objects.filter(dossier=dossier).count()
    outcome = {}
    shown = {}
    for name, actor in actors.by_name().items():
        shown[name] = action in {a.name for a in allowed_actions(dossier, actor)}
        outcome[name] = _try(dossier, action, actor, note, data)
    assert {n for n, ok in outcome.items() if ok} == expected
    assert {n for n, ok in shown.items() if ok} == expected
    # Every refusal (and every undone success) left the dossier as it was.
    assert StatusChange.objects.filter(dossier=dossier).count() == history
    unchanged = Dossier.objects.get(pk=dossier.pk)
    assert (unchanged.status, unchanged.step, unchanged.handler_id) == (
        dossier.status,
        dossier.step,
        dossier.handler_id,
    )


def test_refusal_message_is_vietnamese(actors):
    dossier = dossier_point(actors, "submitted")
    with pytest.raises(PermissionDenied, match="Bạn không có quyền"):
        dossier_transition(dossier=dossier, action="receive", actor=actors.staff.specialist)


@pytest.mark.parametrize("point", ["submitted", "received", "specialist", "approval", "supplement", "resolved"])
def test_officers_of_another_agency_never_see_or_act(actors, point):
    dossier = dossier_point(actors, point)
    foreign = actors.foreign
    assert not officer_handles(foreign, dossier)
    assert allowed_actions(dossier, foreign) == []
    for name, spec in ACTIONS.items():
        if spec.applies_to(dossier):
            with pytest.raises(PermissionDenied):
                dossier_transition(dossier=dossier, action=name, actor=foreign, note="x", data={})
    # The agency's own officers (all roles, the admin too) do see it.
    for officer in actors.staff.by_role().values():
        assert officer_handles(officer, dossier)
    assert not officer_handles(actors.owner, dossier)  # a citizen is never an officer


def test_inactive_assignment_gives_no_rights(actors):
    dossier = dossier_point(actors, "submitted")
    actors.staff.desk.assignments.update(active=False)
    assert not officer_handles(actors.staff.desk, dossier)
    assert allowed_actions(dossier, actors.staff.desk) == []
    with pytest.raises(PermissionDenied):
        dossier_transition(dossier=dossier, action="receive", actor=actors.staff.desk)


# --- liên thông: the agency the dossier is transferred to ---------------------------------------


def test_partner_agency_sees_the_dossier_only_while_it_is_transferred(actors):
    s, partner = actors.staff, actors.partner
    partner_officers = partner.by_role().values()
    dossier = dossier_point(actors, "specialist")
    assert all(not officer_handles(o, dossier) for o in partner_officers)

    move(dossier, s.specialist, "transfer", "Đề nghị xác minh nơi cư trú", to_agency=partner.agency.pk)
    assert (dossier.status, dossier.step, dossier.transfer_agency_id) == (
        Status.PROCESSING,
        Step.TRANSFERRED,
        partner.agency.pk,
    )
    assert all(officer_handles(o, dossier) for o in partner_officers)
    assert not officer_handles(actors.foreign, dossier)
    # The sending agency keeps seeing it, but cannot answer for the partner.
    assert officer_handles(s.specialist, dossier)
    with pytest.raises(PermissionDenied):
        dossier_transition(dossier=dossier, action="transfer_return", actor=s.specialist, note="Tự trả")

    move(dossier, partner.specialist, "transfer_return", "Đã xác minh: đúng nơi cư trú")
    assert (dossier.step, dossier.transfer_agency_id, dossier.handler_id) == (Step.SPECIALIST, None, s.specialist.pk)
    assert all(not officer_handles(o, dossier) for o in partner_officers)
    assert allowed_actions(dossier, partner.specialist) == []
    transfer = dossier.transfers.get()
    assert transfer.returned_by_id == partner.specialist.pk and transfer.return_note.startswith("Đã xác minh")


@pytest.mark.parametrize("role", ["desk", "specialist", "department_leader", "leader", "admin", "other_specialist"])
def test_partner_officers_may_only_answer_the_transfer(actors, role):
    dossier = dossier_point(actors, "transferred")
    officer = getattr(actors.partner, role)
    may_answer = role != "admin"
    assert [a.name for a in allowed_actions(dossier, officer)] == (["transfer_return"] if may_answer else [])
    for name, spec in ACTIONS.items():
        if name == "transfer_return" or not spec.applies_to(dossier):
            continue
        with pytest.raises(PermissionDenied):
            dossier_transition(dossier=dossier, action=name, actor=officer, note="x", data={})


def test_partner_of_an_earlier_transfer_has_no_rights_on_the_next_one(actors):
    s = actors.staff
    dossier = dossier_point(actors, "transferred")
    move(dossier, actors.partner.leader, "transfer_return", "Xong")
    third = make_actors().staff  # another agency
    move(dossier, s.department_leader, "transfer", "Đề nghị phối hợp lần 2", to_agency=third.agency.pk)
    assert not officer_handles(actors.partner.desk, dossier)
    with pytest.raises(PermissionDenied):
        dossier_transition(dossier=dossier, action="transfer_return", actor=actors.partner.leader, note="Lại")
    move(dossier, third.desk, "transfer_return", "Xong lần 2")
    assert dossier.transfers.filter(returned_at__isnull=False).count() == 2


@pytest.mark.parametrize("action", ["stop", "withdraw_on_request"])
def test_partner_loses_access_when_a_transferred_dossier_ends(actors, action):
    dossier = dossier_point(actors, "transferred")
    move(dossier, actors.staff.desk, action, "Công dân đề nghị dừng")
    assert dossier.status in (Status.STOPPED, Status.WITHDRAWN)
    assert dossier.transfer_agency_id is None
    assert not officer_handles(actors.partner.specialist, dossier)
