"""QĐ 766 figures of one agency in November 2026, worked out by hand from fifteen dossiers
covering the rules' edge cases; the rollups, a direct count from the facts and the hand
figures must all agree.

Calendar: 1 Nov 2026 is a Sunday; office hours 07:00–11:30, 13:30–17:00 (480 minutes).
"""

import datetime
from decimal import Decimal

import pytest

from dossiers.constants import Channel, Status
from dossiers.models import Apology, Dossier, SupplementRequest
from feedback.models import Rating
from reports import indices, selectors, services
from reports.models import DossierFact, EndKind, Timeliness
from reports.periods import Period
from tests.dossiers.staff import agency_staff, dossier_at

pytestmark = pytest.mark.django_db
from django.utils import timezone  # noqa: E402

NOV, OCT = Period("month", 2026, 11), Period("month", 2026, 10)


def t(day: int, hour: int = 9, minute: int = 0, month: int = 11) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2026, month, day, hour, minute))


def make(staff, point: str, *, received=None, due=None, finished=None, status=None, **fields) -> Dossier:
    d = dossier_at(staff, point)
    values = {"channel": Channel.COUNTER, **fields}
    if received is not None:
        values |= {"received_at": received, "submitted_at": received - datetime.timedelta(hours=1)}
        values["created_at"] = received - datetime.timedelta(hours=2)
    values["due_at"] = due
    values["finished_at"] = finished
    if status is not None:
        values["status"] = status
    Dossier.objects.filter(pk=d.pk).update(**values)
    d.refresh_from_db()
    return d


def supplement(staff, dossier, requested, answered=None) -> None:
    SupplementRequest.objects.create(
        dossier=dossier,
        items="Bản sao giấy khai sinh",
        respond_by=requested.date() + datetime.timedelta(days=10),
        from_status=Status.PROCESSING,
        requested_by=staff.specialist,
        requested_at=requested,
        answered_at=answered,
    )


@pytest.fixture
def november():
    staff = agency_staff()
    done = Status.RETURNED
    d = {}
    d["early"] = make(
        staff, "returned", received=t(2), due=t(10, 17), finished=t(6), status=done, channel=Channel.ONLINE
    )
    d["on_time"] = make(
        staff, "returned", received=t(3), due=t(12, 17), finished=t(12, 10), status=done, channel=Channel.ONLINE
    )
    d["late"] = make(staff, "returned", received=t(4), due=t(13, 17), finished=t(16), status=done, channel=Channel.POST)
    # Two supplement requests: late whatever the dates.
    d["two_supplements"] = make(staff, "returned", received=t(5), due=t(25, 17), finished=t(14), status=done)
    supplement(staff, d["two_supplements"], t(6), t(7))
    supplement(staff, d["two_supplements"], t(10), t(11))
    # Withdrawn after receipt: ended, on its own dates (early here).
    d["withdrawn"] = make(staff, "received", received=t(5), due=t(20, 17), finished=t(9), status=Status.WITHDRAWN)
    # Withdrawn before anyone received it: not a processed dossier at all.
    d["withdrawn_unreceived"] = make(staff, "submitted", finished=t(6), status=Status.WITHDRAWN)
    # Stopped after its due date: ended late.
    d["stopped"] = make(staff, "received", received=t(6), due=t(10, 17), finished=t(11), status=Status.STOPPED)
    # No appointment date and no legal time: nothing to be late against.
    d["no_due"] = make(staff, "returned", received=t(9), due=None, finished=t(30), status=done)
    d["no_due"].procedure_version.__class__.objects.filter(pk=d["no_due"].procedure_version_id).update(time_limit=None)
    # Waiting for a supplement the citizen has not sent: ends at the request (early here).
    d["waiting"] = make(
        staff, "received", received=t(10), due=t(20, 17), status=Status.SUPPLEMENT_REQUESTED, channel=Channel.ONLINE
    )
    supplement(staff, d["waiting"], t(12))
    # Still in processing at the end of November: one not due yet, one past its date.
    d["open"] = make(staff, "specialist", received=t(24), due=t(5, 17, month=12), status=Status.PROCESSING)
    d["open_late"] = make(staff, "specialist", received=t(3), due=t(14, 17), status=Status.PROCESSING)
    # Received in October, ended late in November: carried over.
    d["carried"] = make(
        staff, "returned", received=t(20, month=10), due=t(30, 17, month=10), finished=t(3), status=done
    )
    # No appointment stored but a legal time of 3 working days: the due date is counted from
    # the receipt (Mon 2 Nov 08:00 → Thu 5 Nov 08:00) and moved by the supplement pause
    # (Tue 3 Nov 08:00 → Thu 5 Nov 08:00, 960 office minutes) to Mon 9 Nov 08:00.
    d["legal_time"] = make(staff, "returned", received=t(2, 8), due=None, finished=t(6, 16), status=done)
    supplement(staff, d["legal_time"], t(3, 8), t(5, 8))
    d["legal_time"].procedure_version.__class__.objects.filter(pk=d["legal_time"].procedure_version_id).update(
        time_limit=3
    )
    # An apology with a new date does not make a late dossier on time.
    d["apology"] = make(staff, "returned", received=t(2), due=t(20, 17), finished=t(16), status=done)
    Apology.objects.create(
        dossier=d["apology"],
        reason="Chờ xác minh",
        old_due_at=t(6, 17),
        new_due_at=t(20, 17),
        issued_by=staff.leader,
        at=t(5),
    )
    Rating.objects.create(dossier=d["late"], source="paper", overall="dissatisfied", criteria={}, comment="Chậm")
    Rating.objects.create(dossier=d["early"], source="online", overall="very_satisfied", criteria={})
    Rating.objects.update(created_at=t(20))
    services.mark_stale(x.pk for x in d.values())
    services.refresh()
    return staff, d


def fact(dossier) -> DossierFact:
    return DossierFact.objects.get(dossier_id=dossier.pk)


def test_each_dossier_is_counted_by_the_766_rules(november):
    _, d = november
    assert fact(d["early"]).timeliness == Timeliness.EARLY
    assert fact(d["on_time"]).timeliness == Timeliness.ON_TIME
    assert fact(d["late"]).timeliness == Timeliness.LATE
    assert fact(d["two_supplements"]).timeliness == Timeliness.LATE
    assert fact(d["two_supplements"]).late_from_on == datetime.date(2026, 11, 10)
    assert (fact(d["withdrawn"]).end_kind, fact(d["withdrawn"]).timeliness) == (EndKind.WITHDRAWN, Timeliness.EARLY)
    unreceived = fact(d["withdrawn_unreceived"])
    assert (unreceived.received_on, unreceived.ended_on, unreceived.timeliness) == (None, None, "")
    assert (fact(d["stopped"]).end_kind, fact(d["stopped"]).timeliness) == (EndKind.STOPPED, Timeliness.LATE)
    assert fact(d["no_due"]).timeliness == Timeliness.ON_TIME
    waiting = fact(d["waiting"])
    assert (waiting.end_kind, waiting.ended_on, waiting.timeliness) == (
        EndKind.SUPPLEMENT,
        datetime.date(2026, 11, 12),
        Timeliness.EARLY,
    )
    assert fact(d["open"]).ended_on is None and fact(d["open_late"]).ended_on is None
    legal = fact(d["legal_time"])
    assert timezone.localtime(legal.due_at) == t(9, 8)
    assert legal.timeliness == Timeliness.EARLY
    # Office time from Mon 08:00 to Fri 16:00 less the pause: 420+480+480+480+420 − 960.
    assert legal.processing_minutes == 420 + 480 + 480 + 480 + 420 - 960
    assert fact(d["apology"]).timeliness == Timeliness.LATE


HAND = {
    # received in November: all but the unreceived one and the carried one
    "received": 12,
    "received_online": 3,
    "received_post": 1,
    "carried": 1,
    # ended in November: early, on_time, late, two_supplements, withdrawn, stopped, no_due,
    # waiting, carried, legal_time, apology
    "ended": 11,
    "ended_early": 3,  # early, withdrawn, waiting, legal_time … (legal_time is early: 4)
    "ended_late": 5,  # late, two_supplements, stopped, carried, apology
    "open_end": 2,
    "open_late": 1,
    "ended_withdrawn": 1,
    "ended_stopped": 1,
    "ended_supplement": 1,
    "ratings": 2,
    "ratings_satisfied": 1,
    "ratings_dissatisfied": 1,
}
HAND["ended_early"] = 4
HAND["ended_on_time"] = HAND["ended"] - HAND["ended_early"] - HAND["ended_late"]  # on_time, no_due
HAND["ended_resolved"] = HAND["ended"] - 3  # less withdrawn, stopped, waiting


def test_november_figures_match_the_hand_count(november):
    staff, _ = november
    figures = selectors.rolled_up(NOV, [staff.agency.pk])[staff.agency.pk]
    for name, expected in HAND.items():
        assert figures[name] == expected, name
    assert HAND["ended_on_time"] == 2
    # carried in + received = ended + still open
    assert figures["carried"] + figures["received"] == figures["ended"] + figures["open_end"]
    assert selectors.direct(NOV, [staff.agency.pk])[staff.agency.pk] == figures


def test_october_sees_the_carried_dossier_open_and_late(november):
    staff, _ = november
    october = selectors.rolled_up(OCT, [staff.agency.pk])[staff.agency.pk]
    assert (october["received"], october["ended"], october["open_end"], october["open_late"]) == (1, 0, 1, 1)
    quarter = selectors.rolled_up(Period("quarter", 2026, 4), [staff.agency.pk])[staff.agency.pk]
    assert (quarter["received"], quarter["ended"], quarter["carried"], quarter["ended_late"]) == (13, 11, 0, 5)


def test_on_time_index_and_points(november):
    staff, _ = november
    figures = selectors.rolled_up(NOV, [staff.agency.pk])[staff.agency.pk]
    evaluation = indices.evaluate(figures)
    on_time = evaluation.score("2.1")
    # handled = 11 ended + 2 open = 13; late = 5 ended late + 1 open late = 6.
    assert (on_time.numerator, on_time.denominator) == (7, 13)
    assert on_time.rate == Decimal("53.85")
    assert on_time.points == Decimal("10.77")
    online = evaluation.score("3.3")
    # 3 of 12 online = 25 %, the threshold is 50 %: half of 4 points.
    assert (online.rate, online.points) == (Decimal("25.00"), Decimal("2.00"))
    # 5.4 = 100 % − (late 6/13 + complained 1/13), each dossier taken off once: the complained
    # one is also late, so 7/13 (it was taken off twice: 6/13); threshold 90 %.
    satisfied = evaluation.score("5.4")
    assert (satisfied.numerator, satisfied.denominator, satisfied.rate) == (7, 13, Decimal("53.85"))
    assert satisfied.points == Decimal("3.59")


def test_rebuilding_from_scratch_gives_the_same_rows(november):
    staff, _ = november
    before = selectors.rolled_up(NOV, [staff.agency.pk])
    DossierFact.objects.all().delete()
    services.rebuild(datetime.date(2026, 10, 1), datetime.date(2026, 11, 30))
    assert selectors.rolled_up(NOV, [staff.agency.pk]) == before


def test_a_late_change_moves_the_figures_of_an_old_day(november):
    """The citizen answers the supplement: the dossier is open again, November's figures follow."""
    staff, d = november
    SupplementRequest.objects.filter(dossier=d["waiting"]).update(answered_at=t(27))
    Dossier.objects.filter(pk=d["waiting"].pk).update(status=Status.PROCESSING)
    services.mark_stale([d["waiting"].pk])
    assert services.refresh() == 1
    figures = selectors.rolled_up(NOV, [staff.agency.pk])[staff.agency.pk]
    assert (figures["ended"], figures["ended_supplement"], figures["open_end"]) == (10, 0, 3)
    assert selectors.direct(NOV, [staff.agency.pk])[staff.agency.pk] == figures
