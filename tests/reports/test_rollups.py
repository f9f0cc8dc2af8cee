"""The daily rollups agree with a direct count from the dossiers, for any range; rebuilding
changes nothing; the rebuild command refuses bad dates."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from dossiers.models import Dossier
from feedback.models import Rating
from reports import selectors, services
from reports.models import DailyAgencyStats
from tests.dossiers.staff import agency_staff, dossier_at

pytestmark = pytest.mark.django_db


def at(days_ago: int, hour: int = 9) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


@pytest.fixture
def history():
    """Two agencies, dossiers received and resolved on different days, one of them late."""
    first, second = agency_staff(), agency_staff()
    made = []
    for staff, days_ago, point in [
        (first, 12, "returned"),
        (first, 9, "returned"),
        (first, 6, "approval"),
        (second, 9, "resolved"),
        (second, 3, "received"),
    ]:
        dossier = dossier_at(staff, point)
        # Moved into the past as a whole: submitted and received that day, finished two days later.
        fields = {"submitted_at": at(days_ago, 8), "received_at": at(days_ago, 9)}
        if dossier.finished_at:
            fields |= {"finished_at": at(days_ago - 2, 15), "due_at": at(days_ago - 2, 16)}
        Dossier.objects.filter(pk=dossier.pk).update(**fields)
        dossier.refresh_from_db()
        made.append(dossier)
    late = made[1]
    Dossier.objects.filter(pk=late.pk).update(due_at=late.finished_at - datetime.timedelta(hours=1))
    Rating.objects.create(dossier=made[0], source="online", overall="satisfied", criteria={})
    Rating.objects.create(dossier=made[1], source="paper", overall="dissatisfied", criteria={}, comment="Chậm")
    return first, second, made


def test_rollups_agree_with_the_dossiers_for_every_range(history):
    first, second, _ = history
    start, end = timezone.localdate() - datetime.timedelta(days=14), timezone.localdate()
    services.rollup_range(start, end)
    for a, b in [(start, end), (end - datetime.timedelta(days=10), end - datetime.timedelta(days=5)), (end, end)]:
        assert selectors.rolled_up(a, b) == selectors.direct(a, b)
        for agency in (first.agency, second.agency):
            assert selectors.rolled_up(a, b, [agency.pk]) == selectors.direct(a, b, [agency.pk])
    everything = selectors.rolled_up(start, end)
    assert everything["received"] == 5 and everything["resolved"] == 3
    assert (everything["resolved_on_time"], everything["resolved_late"]) == (2, 1)
    assert (everything["ratings"], everything["ratings_satisfied"]) == (2, 1)
    assert everything["received_online"] == 5


def test_rebuilding_is_idempotent_and_follows_late_changes(history):
    _, _, made = history
    day = timezone.localtime(made[2].received_at).date()
    services.rollup_day(day)
    rows = list(DailyAgencyStats.objects.values_list("day", "agency_id", "received").order_by("pk"))
    services.rollup_day(day)
    assert list(DailyAgencyStats.objects.values_list("day", "agency_id", "received").order_by("pk")) == rows
    Dossier.objects.filter(pk=made[2].pk).update(received_at=at(1))  # a correction moves it to another day
    services.rollup_day(day)
    row = DailyAgencyStats.objects.get(day=day, agency_id=made[2].agency_id)
    assert (row.submitted, row.received) == (1, 0)  # still submitted that day, received another
    services.rollup_day(timezone.localtime(at(1)).date())
    assert DailyAgencyStats.objects.get(day=timezone.localtime(at(1)).date(), agency_id=made[2].agency_id).received == 1


def test_the_rebuild_command(history, capsys):
    today = timezone.localdate()
    call_command("rollup_rebuild", "--from", f"{today - datetime.timedelta(days=14)}", "--to", f"{today}")
    assert "Đã tính lại" in capsys.readouterr().out
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("rollup_rebuild", "--from", "01/12/2026", "--to", f"{today}")
    with pytest.raises(CommandError, match="sau ngày đầu"):
        call_command("rollup_rebuild", "--from", f"{today}", "--to", f"{today - datetime.timedelta(days=1)}")


def test_an_agency_with_nothing_left_on_a_day_loses_its_row(history):
    _, second, made = history
    last = made[4]  # the second agency's only event 3 days ago: submitted and received
    day = timezone.localtime(last.received_at).date()
    services.rollup_day(day)
    assert DailyAgencyStats.objects.filter(day=day, agency=second.agency).exists()
    Dossier.objects.filter(pk=last.pk).update(submitted_at=at(1), received_at=at(1))
    services.rollup_day(day)
    assert not DailyAgencyStats.objects.filter(day=day, agency=second.agency).exists()
