"""Two officers act on one dossier at the same moment, on either database.

Each thread has its own connection. Both start together (a barrier); the winner keeps
its transaction open a moment after the change, so the other really waits (PostgreSQL:
on the dossier's row lock, ``SELECT … FOR UPDATE``; the embedded SQLite: on the write
lock its transaction takes when it begins, BEGIN IMMEDIATE), then sees the new status or
step and gets a ``TransitionError`` in Vietnamese.
"""

import threading
import time

import pytest
from django.db import connection, transaction

from dossiers.constants import Status, Step
from dossiers.models import Dossier, StatusChange
from dossiers.workflow import TransitionError, dossier_transition
from tests.dossiers.staff import agency_staff, dossier_at
from tests.factories import StaffAssignmentFactory, UserFactory

HOLD = 0.4  # seconds the winner keeps the lock after its change


def race(dossier_pk: int, attempts: list[tuple]) -> list[tuple[str, object]]:
    """Run the (actor, action, note) attempts at once; returns (outcome, value) per attempt."""
    barrier = threading.Barrier(len(attempts))
    outcomes: list = [None] * len(attempts)
    times: list = [None] * len(attempts)

    def worker(index: int, actor, action: str, note: str) -> None:
        try:
            # Both read the dossier (status and step still as before) and then go at once.
            dossier = Dossier.objects.get(pk=dossier_pk)
            barrier.wait(timeout=10)
            start = time.monotonic()
            try:
                with transaction.atomic():
                    change = dossier_transition(dossier=dossier, action=action, actor=actor, note=note)
                    time.sleep(HOLD)
                    end = time.monotonic()  # the lock is released just after (the commit)
                outcomes[index] = ("ok", change)
            except TransitionError as error:
                end = time.monotonic()
                outcomes[index] = ("transition", error)
            times[index] = (start, end)
        except BaseException as error:  # noqa: BLE001 - reported by the test
            outcomes[index] = ("other", error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, *attempt)) for i, attempt in enumerate(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert all(not t.is_alive() for t in threads)
    assert all(kind != "other" for kind, _ in outcomes), outcomes
    # The loser started before the winner committed and was answered only after it:
    # it waited on the row lock rather than running after the winner.
    (win_start, win_end), (lose_start, lose_end) = (
        times[i] for i in sorted(range(len(attempts)), key=lambda i: outcomes[i][0] != "ok")
    )
    assert lose_start < win_end - HOLD / 2
    assert lose_end >= win_end - 0.05
    return outcomes


def assert_one_winner(outcomes, dossier_pk: int, history_before: int) -> tuple:
    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["ok", "transition"], outcomes
    winner = next(value for kind, value in outcomes if kind == "ok")
    loser = next(value for kind, value in outcomes if kind == "transition")
    message = loser.messages[0]
    assert message.startswith("Không thể “") and "Có thể người khác vừa xử lý hồ sơ này; hãy tải lại trang." in message
    assert StatusChange.objects.filter(dossier_id=dossier_pk).count() == history_before + 1
    assert StatusChange.objects.filter(dossier_id=dossier_pk).latest("pk").pk == winner.pk
    return winner, message


@pytest.mark.django_db(transaction=True)
def test_two_leaders_approve_at_once(own_connections):
    staff = agency_staff()
    dossier = dossier_at(staff, "approval")
    before = StatusChange.objects.filter(dossier=dossier).count()
    outcomes = race(
        dossier.pk,
        [(staff.department_leader, "approve", ""), (staff.leader, "approve", "")],
    )
    winner, message = assert_one_winner(outcomes, dossier.pk, before)
    assert "“duyệt kết quả”" in message and "“Đã duyệt, chờ ban hành kết quả”" in message
    dossier.refresh_from_db()
    assert (dossier.status, dossier.step) == (Status.PROCESSING, Step.ISSUING)
    assert winner.actor_id in {staff.department_leader.pk, staff.leader.pk}


@pytest.mark.django_db(transaction=True)
def test_one_desk_officer_receives_while_another_refuses(own_connections):
    staff = agency_staff()
    second_desk = UserFactory(kind="officer", full_name="Bùi Thị Hoa")
    StaffAssignmentFactory(user=second_desk, agency=staff.agency, role="one_stop_officer")
    dossier = dossier_at(staff, "submitted")
    before = StatusChange.objects.filter(dossier=dossier).count()
    outcomes = race(
        dossier.pk,
        [(staff.desk, "receive", ""), (second_desk, "refuse", "Không thuộc thẩm quyền giải quyết")],
    )
    winner, message = assert_one_winner(outcomes, dossier.pk, before)
    dossier.refresh_from_db()
    if winner.action == "receive":
        assert dossier.status == Status.RECEIVED and dossier.due_at is not None
        assert "“từ chối tiếp nhận”" in message and "“Được tiếp nhận”" in message
    else:
        assert dossier.status == Status.REFUSED and dossier.due_at is None
        assert "“tiếp nhận”" in message and "“Không được tiếp nhận”" in message


@pytest.mark.django_db(transaction=True)
def test_the_specialist_proposes_while_the_leader_sends_back_to_the_department(own_connections):
    """The handler, in two browser tabs, proposes and sends back at once: one applies."""
    staff = agency_staff()
    dossier = dossier_at(staff, "specialist")
    before = StatusChange.objects.filter(dossier=dossier).count()
    outcomes = race(
        dossier.pk,
        [
            (staff.specialist, "propose", "Đủ điều kiện, đề nghị cấp."),
            (staff.specialist, "send_back_to_department", "Không thuộc lĩnh vực của tôi"),
        ],
    )
    winner, _ = assert_one_winner(outcomes, dossier.pk, before)
    dossier.refresh_from_db()
    assert dossier.step == {"propose": Step.APPROVAL, "send_back_to_department": Step.DEPARTMENT}[winner.action]
