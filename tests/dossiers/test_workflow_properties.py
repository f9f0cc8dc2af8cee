"""Property tests of the state machine: random sequences of (actor, action, data) on a few
dossiers, valid and invalid mixed, with the invariants checked after every step.

Each example runs in a savepoint rolled back at its end, so the agency, its officers and
the starting dossiers are made once per test. Most steps pick an action the actor is
offered (``allowed_actions``) so the walk gets deep into the workflow; the rest are any
actor trying any action, with data that is often wrong.
"""

import datetime
from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st

from dossiers import deadlines
from dossiers.constants import TERMINAL_STATUSES, Status, Step
from dossiers.models import Apology, Dossier, StatusChange, SupplementRequest, Transfer
from dossiers.selectors import ActorContext, actor_context
from dossiers.workflow import ACTIONS, TransitionError, allowed_actions, dossier_transition
from tests.dossiers.staff import DEPARTMENT, pay_before, submitted_dossier, version_for
from tests.dossiers.workflow_support import OTHER_DEPARTMENT, at, dossier_point, make_actors, result_file
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

START = at(2023, 10, 2, 8, 0)  # Monday
HANDLED_STEPS = {Step.SPECIALIST, Step.APPROVAL, Step.ISSUING, Step.TRANSFERRED}
FINISHED = {Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.RESOLVED, Status.RETURNED}
NEEDS_DUE = {Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT_REQUESTED, Status.AWAITING_PAYMENT}
DONE = {Status.RESOLVED, Status.RETURNED}
RELATED = (StatusChange, SupplementRequest, Apology, Transfer)
SETTINGS = settings(
    max_examples=50,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


class World:
    def __init__(self):
        self.actors = make_actors()
        agency = self.actors.staff.agency
        self.people = self.actors.by_name()
        self.closed_agency = AgencyFactory(effective_to=timezone.localdate() - datetime.timedelta(days=1))
        self.agency = agency
        self.result_file = result_file(self.actors.owner)
        untimed = version_for(agency, time_limit=None, time_limit_note="Không quy định")
        self.dossiers = [
            dossier_point(self.actors, "submitted"),  # online, 5 working days
            submitted_dossier(agency, citizen=self.actors.other_citizen, version=untimed),  # no time limit
            dossier_point(self.actors, "counter_draft"),  # paper, not yet filed
        ]


@pytest.fixture
def world():
    _CONTEXTS.clear()  # ids are reused from one test's database to the next
    yield World()
    _CONTEXTS.clear()


FIELDS = [f.attname for f in Dossier._meta.concrete_fields if f.attname != "updated_at"]


def snapshots(pks: list[int]) -> dict[int, tuple]:
    """Per dossier: its row, how many related records of each kind, and the answered times
    of its supplement requests (six queries for all the dossiers)."""
    rows = {r[0]: dict(zip(FIELDS, r, strict=True)) for r in Dossier.objects.filter(pk__in=pks).values_list(*FIELDS)}
    counts = {
        model: Counter(model.objects.filter(dossier_id__in=pks).values_list("dossier_id", flat=True))
        for model in RELATED
    }
    answered: dict[int, list] = {pk: [] for pk in pks}
    for dossier_id, answered_at in (
        SupplementRequest.objects.filter(dossier_id__in=pks).order_by("pk").values_list("dossier_id", "answered_at")
    ):
        answered[dossier_id].append(answered_at)
    return {pk: (rows[pk], tuple(counts[model].get(pk, 0) for model in RELATED), tuple(answered[pk])) for pk in pks}


def payloads(world: World, dossier: Dossier, now: datetime.datetime):
    """Data for any action: usually right, sometimes wrong in one way or another."""
    s = world.actors.staff
    today = timezone.localdate(now)
    due_day = timezone.localtime(dossier.due_at).date() if dossier.due_at else today
    return st.fixed_dictionaries(
        {
            "department": st.sampled_from([DEPARTMENT, DEPARTMENT, OTHER_DEPARTMENT, "Phòng Không Có", ""]),
            "handler": st.sampled_from([s.specialist.pk, s.specialist.pk, s.other_specialist.pk, None, 999999]),
            "to_agency": st.sampled_from(
                [
                    world.actors.partner.agency.pk,
                    world.actors.partner.agency.pk,
                    world.agency.pk,
                    world.closed_agency.pk,
                ]
            ),
            "items": st.sampled_from(["Bản sao giấy khai sinh", "Bản sao giấy khai sinh", ""]),
            "respond_by": st.sampled_from([-1, 0, 1, 7, 7, 180, 181]).map(lambda d: today + datetime.timedelta(days=d)),
            "number": st.sampled_from(["12/TP-HT", "12/TP-HT", ""]),
            "issued_on": st.sampled_from([0, 0, -3, 1]).map(lambda d: today + datetime.timedelta(days=d)),
            "summary": st.just("Trích lục khai sinh"),
            "stored_file": st.sampled_from([world.result_file, world.result_file, None]),
            "method": st.sampled_from(["counter", "post", "online", "fax"]),
            "receiver_name": st.sampled_from(["Nguyễn Văn An", "Nguyễn Văn An", ""]),
            "tracking_number": st.sampled_from(["EB123456789VN", ""]),
            "new_due": st.sampled_from([-1, 0, 1, 2, 3, 4, 5, 400]).map(lambda d: due_day + datetime.timedelta(days=d)),
        }
    )


def good_payload(world: World, dossier: Dossier, now: datetime.datetime) -> dict:
    """Data with which every action goes through (when it is on time)."""
    s = world.actors.staff
    return {
        "department": DEPARTMENT,
        "handler": s.specialist.pk,
        "to_agency": world.actors.partner.agency.pk,
        "items": "Tờ khai",
        "respond_by": timezone.localdate(now) + datetime.timedelta(days=7),
        "number": "1/KQ",
        "issued_on": timezone.localdate(now),
        "summary": "Kết quả",
        "stored_file": world.result_file,
        "method": "counter",
        "receiver_name": "Nguyễn Văn An",
        "new_due": _working_day_after(max(dossier.due_at, now) if dossier.due_at else None),
    }


def check_invariants(world: World, dossier: Dossier) -> None:
    d = Dossier.objects.select_related("procedure_version").get(pk=dossier.pk)
    timed = d.procedure_version.time_limit is not None
    assert d.status in Status.values
    assert d.step in Step.values
    if d.step:
        assert d.status in PAUSED, (d.status, d.step)
    assert (d.handler_id is not None) == (d.step in HANDLED_STEPS), (d.step, d.handler_id)
    assert (d.transfer_agency_id is not None) == (d.step == Step.TRANSFERRED)
    if d.step == Step.DESK:
        assert d.step_due_at is None
    if d.step_due_at is not None and d.due_at is not None:
        assert d.step_due_at <= d.due_at
    assert (d.finished_at is not None) == (d.status in FINISHED), d.status
    if d.status != Status.DRAFT:
        assert d.code

    rows = list(StatusChange.objects.filter(dossier=d).order_by("pk"))
    for before, after in zip(rows, rows[1:], strict=False):
        assert after.from_status == before.to_status, (before.action, after.action)
    if rows:
        assert rows[-1].to_status == d.status
    assert not [r.action for r in rows if r.from_status in TERMINAL_STATUSES]

    if timed:
        # Paused before receipt (a supplement asked at status 1) there is no appointment yet.
        if d.received_at is not None or d.status in NEEDS_DUE - {Status.SUPPLEMENT_REQUESTED} | DONE:
            assert d.due_at is not None, d.status
    else:
        assert d.due_at is None and d.step_due_at is None

    assert Apology.objects.filter(dossier=d).count() <= 1
    requests = list(SupplementRequest.objects.filter(dossier=d))
    for request in requests:
        if request.answered_at is not None:
            assert request.answered_at >= request.requested_at
    still_open = [r for r in requests if r.answered_at is None]
    if d.status == Status.SUPPLEMENT_REQUESTED:
        assert len(still_open) == 1
    elif d.status in NEEDS_DUE | {Status.SUBMITTED, Status.RESOLVED, Status.RETURNED}:
        assert still_open == []


PAUSED = {Status.PROCESSING, Status.SUPPLEMENT_REQUESTED, Status.AWAITING_PAYMENT}
MINUTES = [0, 0, 5, 30, 120, 480, 1440, 4320]


# The actors of the walks (the full matrix is test_workflow_roles.py's).
WALKERS = [
    "desk",
    "specialist",
    "other_specialist",
    "department_leader",
    "leader",
    "admin",
    "foreign",
    "partner_specialist",
    "owner",
    "other_citizen",
    "anonymous",
]


# The way to a returned result (and back to it from a pause or a transfer): preferred
# more than half the time, so that walks reach the late steps and not only the loops.
MAIN_LINE = {
    "submit",
    "intake",
    "receive",
    "assign",
    "assign_specialist",
    "propose",
    "approve",
    "sign",
    "record_result",
    "return_result",
    "supplement_submit",
    "supplement_received",
    "payment_confirmed",
    "transfer_return",
}


_CONTEXTS: dict[tuple, ActorContext] = {}


def context(name: str, person, dossier: Dossier) -> ActorContext:
    """``actor_context``, kept while the assignments and the partner agency stay the same
    (they never change during a walk): it is the costly part of ``allowed_actions``."""
    key = (name, getattr(person, "pk", None), dossier.pk, dossier.owner_id, dossier.transfer_agency_id)
    if key not in _CONTEXTS:
        _CONTEXTS[key] = actor_context(person, dossier)
    return _CONTEXTS[key]


def choose_offered(data, dossier: Dossier, people: dict) -> tuple[str, str] | None:
    """An (actor, action) among those ``allowed_actions`` offers: the action first (so one
    offered to many is not favoured), rarely one that ends the dossier (so walks go deep)."""
    offered: dict[str, list[str]] = {}
    for name, person in people.items():
        for spec in allowed_actions(dossier, person, context(name, person, dossier)):
            offered.setdefault(spec.name, []).append(name)
    if not offered:
        return None
    ending = sorted(a for a in offered if ACTIONS[a].danger)
    forward = sorted(a for a in offered if not ACTIONS[a].danger)
    main = [a for a in forward if a in MAIN_LINE]
    roll = data.draw(st.integers(0, 9), label="roll")
    if ending and (not forward or roll == 0):
        action = data.draw(st.sampled_from(ending), label="ending action")
    elif main and roll >= 4:
        action = data.draw(st.sampled_from(main), label="main-line action")
    else:
        action = data.draw(st.sampled_from(forward), label="action")
    return data.draw(st.sampled_from(offered[action]), label="by"), action


def walk(world: World, data, max_steps: int) -> None:
    names = WALKERS
    now = START
    pks = [d.pk for d in world.dossiers]
    before = snapshots(pks)
    for d in world.dossiers:
        check_invariants(world, d)
    for _ in range(data.draw(st.integers(5, max_steps), label="steps")):
        now += datetime.timedelta(minutes=data.draw(st.sampled_from(MINUTES), label="minutes later"))
        dossier = Dossier.objects.get(pk=data.draw(st.sampled_from([pks[0], *pks]), label="dossier"))
        chosen = None
        if data.draw(st.integers(0, 3), label="pick") > 0:
            chosen = choose_offered(data, dossier, {n: world.people[n] for n in names})
        if chosen:
            name, action = chosen
        else:
            name = data.draw(st.sampled_from(names), label="actor")
            action = data.draw(st.sampled_from(sorted(ACTIONS)), label="action")
        text = data.draw(st.sampled_from(["Ghi chú của cán bộ", "Ghi chú của cán bộ", "", "  "]), label="note")
        if data.draw(st.integers(0, 3), label="good data") > 0:
            payload = good_payload(world, dossier, now)
        else:
            payload = data.draw(payloads(world, dossier, now), label="data")
        note(f"{now:%d/%m %H:%M} {name} {action} on #{dossier.pk} ({dossier.status}/{dossier.step or '-'})")

        actor = world.people[name]
        try:
            change = dossier_transition(dossier=dossier, action=action, actor=actor, note=text, data=payload, now=now)
        except (TransitionError, PermissionDenied, ValidationError) as error:
            note(f"  refused: {type(error).__name__}")
            assert snapshots(pks) == before  # no history row, no change anywhere
        else:
            after = snapshots(pks)
            for pk in pks:
                if pk != dossier.pk:
                    assert after[pk] == before[pk]  # nothing else moved
            old_row, old_related, _ = before[dossier.pk]
            new_row, new_related, _ = after[dossier.pk]
            assert new_related[0] == old_related[0] + 1  # exactly one history row
            assert StatusChange.objects.filter(dossier_id=dossier.pk).latest("pk") == change
            assert (change.action, change.from_status, change.to_status) == (
                action,
                old_row["status"],
                new_row["status"],
            )
            assert change.actor_id == actor.pk and actor.pk is not None
            assert (change.to_step, change.handler_id, change.department) == (
                new_row["step"],
                new_row["handler_id"],
                new_row["department"],
            )
            assert _may(world, name, action, old_row), (name, action)
            event(f"done: {action}")  # shown by --hypothesis-show-statistics
            before = after
            # The other dossiers did not move, so only this one can break an invariant.
            check_invariants(world, dossier)


OWN_OFFICERS = {"desk", "specialist", "other_specialist", "department_leader", "other_department_leader", "leader"}


def _may(world: World, name: str, action: str, row: dict) -> bool:
    """A coarse copy of the roles table (the full one is in test_workflow_roles.py): a
    citizen only for their own dossier, the partner agency only to answer a transfer, the
    specialist's own steps only by the handler, never the admin or another agency."""
    person = world.people[name]
    if ACTIONS[action].roles == frozenset({"owner"}):
        return person.pk is not None and person.pk == row["owner_id"]
    if action == "transfer_return":
        return name in {"partner_desk", "partner_specialist", "partner_department_leader", "partner_leader"}
    if name not in OWN_OFFICERS:
        return False
    if action in {"propose", "send_back_to_department"}:
        return person.pk == row["handler_id"]
    return True


@SETTINGS
@given(data=st.data())
def test_random_walks_keep_the_invariants(world, data):
    with transaction.atomic():
        walk(world, data, max_steps=35)
        transaction.set_rollback(True)


@settings(SETTINGS, max_examples=40)
@given(data=st.data())
def test_offered_actions_always_succeed_with_good_data(world, data):
    """Whatever ``allowed_actions`` offers is possible: with right data it goes through."""
    with transaction.atomic():
        now = START
        dossier = world.dossiers[0]
        for _ in range(data.draw(st.integers(5, 25), label="steps")):
            now += datetime.timedelta(minutes=data.draw(st.sampled_from([5, 30, 120]), label="minutes later"))
            dossier.refresh_from_db()
            chosen = choose_offered(data, dossier, world.people)
            if chosen is None:
                break
            name, action = chosen
            note(f"{name} {action} ({dossier.status}/{dossier.step or '-'})")
            good = good_payload(world, dossier, now)
            held = ACTIONS[action].held_reason(dossier)
            if held:  # offered with its reason, refused with exactly it until the fee is paid
                with pytest.raises(TransitionError) as refused, transaction.atomic():
                    dossier_transition(
                        dossier=dossier, action=action, actor=world.people[name], note="Ghi chú", data=good, now=now
                    )
                assert refused.value.messages == [held]
                event(f"held: {action}")
                pay_before(world.actors.staff, dossier, action, now=now)
                continue
            dossier_transition(
                dossier=dossier, action=action, actor=world.people[name], note="Ghi chú", data=good, now=now
            )
            event(f"done: {action}")
            check_invariants(world, dossier)
        transaction.set_rollback(True)


def _working_day_after(due):
    if due is None:
        return None
    day = timezone.localtime(due).date() + datetime.timedelta(days=1)
    while not deadlines.is_working_day(day):
        day += datetime.timedelta(days=1)
    return day
