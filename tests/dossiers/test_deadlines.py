"""The deadline calculator on real cases (research vietnam-domain.md §7.3)."""

import datetime

import pytest
from django.utils import timezone

from dossiers.deadlines import WorkCalendar, calendar_seed, due_after_pause, due_at
from dossiers.models import CalendarDay
from procedures.constants import TimeUnit

pytestmark = pytest.mark.django_db


def at(y, m, d, hh=0, mm=0):
    return timezone.make_aware(datetime.datetime(y, m, d, hh, mm))


def local(moment):
    return timezone.localtime(moment).replace(tzinfo=None)


@pytest.fixture
def seeded():
    calendar_seed(years=[2023, 2024, 2025])
    return WorkCalendar.load()


def test_real_receipt_friday_0932_with_5_working_days_is_due_next_friday(seeded):
    # Thanh Hóa receipt: received 09:32 Friday 27/10/2023, 5 working days -> 03/11/2023.
    due = due_at(received_at=at(2023, 10, 27, 9, 32), amount=5, unit=TimeUnit.WORKING_DAYS, calendar=seeded)
    assert local(due) == datetime.datetime(2023, 11, 3, 9, 32)


def test_after_15h_counts_from_the_next_working_day(seeded):
    due = due_at(received_at=at(2023, 10, 27, 15, 10), amount=1, unit=TimeUnit.WORKING_DAYS, calendar=seeded)
    # Next working day is Monday 30/10; one working day from its opening ends at 17:00.
    assert local(due) == datetime.datetime(2023, 10, 30, 17, 0)


def test_tet_2024_is_skipped(seeded):
    # Received Wednesday 07/02/2024 10:00; Tết holidays run 08–14/02/2024.
    due = due_at(received_at=at(2024, 2, 7, 10, 0), amount=3, unit=TimeUnit.WORKING_DAYS, calendar=seeded)
    # 24 office hours: 07/02 gives 5 h (10:00–11:30, 13:30–17:00), 15/02 and 16/02 give 16 h,
    # the last 3 h fall on Monday 19/02 from 07:00, so it is due at 10:00.
    assert local(due) == datetime.datetime(2024, 2, 19, 10, 0)


def test_make_up_saturday_counts_and_substituted_monday_does_not(seeded):
    # 2024: Monday 29/04 off, worked Saturday 04/05 instead; 30/04 and 01/05 are holidays.
    assert not seeded.is_working_day(datetime.date(2024, 4, 29))
    assert seeded.is_working_day(datetime.date(2024, 5, 4))
    due = due_at(received_at=at(2024, 4, 26, 16, 0), amount=2, unit=TimeUnit.WORKING_DAYS, calendar=seeded)
    # After 15:00 Friday: next working days are Thu 02/05, Fri 03/05 -> due Fri 03/05 17:00.
    assert local(due) == datetime.datetime(2024, 5, 3, 17, 0)


def test_hours_and_calendar_days_and_same_day(seeded):
    morning = at(2025, 3, 4, 8, 0)  # Tuesday
    # 4 office hours from 08:00: 3.5 h before lunch, the last 0.5 h from 13:30.
    assert local(due_at(received_at=morning, amount=4, unit=TimeUnit.HOURS, calendar=seeded)) == datetime.datetime(
        2025, 3, 4, 14, 0
    )
    # Calendar days: 5 days later is Sunday 09/03 -> the next working day, at closing time.
    assert local(due_at(received_at=morning, amount=5, unit=TimeUnit.DAYS, calendar=seeded)) == datetime.datetime(
        2025, 3, 10, 17, 0
    )
    assert local(due_at(received_at=morning, amount=0, unit=TimeUnit.WORKING_DAYS, calendar=seeded)) == (
        datetime.datetime(2025, 3, 4, 17, 0)
    )


def test_received_on_a_holiday_or_at_lunch(seeded):
    due = due_at(received_at=at(2025, 9, 2, 9, 0), amount=1, unit=TimeUnit.HOURS, calendar=seeded)
    assert local(due) == datetime.datetime(2025, 9, 3, 8, 0)
    due = due_at(received_at=at(2025, 9, 3, 12, 0), amount=1, unit=TimeUnit.HOURS, calendar=seeded)
    assert local(due) == datetime.datetime(2025, 9, 3, 14, 30)


def test_supplement_pause_moves_the_due_date_by_the_office_time_paused(seeded):
    due = due_at(received_at=at(2023, 10, 27, 9, 32), amount=5, unit=TimeUnit.WORKING_DAYS, calendar=seeded)
    # Supplement requested Tuesday 31/10 at 10:00, citizen resubmitted Thursday 02/11 at 10:00:
    # two working days paused.
    moved = due_after_pause(due=due, paused_at=at(2023, 10, 31, 10), resumed_at=at(2023, 11, 2, 10), calendar=seeded)
    assert local(moved) == datetime.datetime(2023, 11, 7, 9, 32)
    assert (
        due_after_pause(due=due, paused_at=at(2023, 11, 4, 8), resumed_at=at(2023, 11, 5, 20), calendar=seeded) == due
    )


def test_seed_is_idempotent_and_keeps_admin_edits():
    first = calendar_seed(years=[2024])
    assert first > 0
    day = CalendarDay.objects.get(date=datetime.date(2024, 9, 2))
    day.name = "Quốc khánh (sửa bởi quản trị)"
    day.save()
    assert calendar_seed(years=[2024]) == 0
    assert CalendarDay.objects.get(date=datetime.date(2024, 9, 2)).name == "Quốc khánh (sửa bởi quản trị)"
    assert CalendarDay.objects.filter(kind=CalendarDay.Kind.WORKING, date=datetime.date(2024, 5, 4)).exists()


def test_seeded_holidays_are_named_in_vietnamese():
    """The holiday table's names are shown to officers and citizens: in Vietnamese, whatever
    the server's locale (the holidays library named them in English by default)."""
    calendar_seed(years=[2026])
    names = dict(CalendarDay.objects.filter(date__year=2026).values_list("date", "name"))
    assert names[datetime.date(2026, 1, 1)] == "Tết Dương lịch"
    assert names[datetime.date(2026, 2, 17)] == "Tết Nguyên Đán"
    assert names[datetime.date(2026, 9, 2)] == "Quốc khánh"
    assert not [name for name in names.values() if "Day" in name or "Year" in name]


@pytest.mark.parametrize(
    ("now", "until"),
    [
        (at(2023, 10, 26, 9, 0), datetime.datetime(2023, 10, 27, 17, 0)),  # Thursday → Friday's close
        (at(2023, 10, 27, 16, 0), datetime.datetime(2023, 10, 30, 17, 0)),  # Friday → Monday's close
        (at(2023, 10, 28, 10, 0), datetime.datetime(2023, 10, 30, 17, 0)),  # Saturday → Monday's close
    ],
)
def test_due_soon_runs_to_the_close_of_the_next_working_day(seeded, now, until):
    """One rule for "sắp đến hạn": the officers' queue and the daily alerts ask it."""
    from dossiers.deadlines import due_soon_until

    assert local(due_soon_until(now)) == until
