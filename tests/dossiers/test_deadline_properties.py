"""Properties of the deadline calculator over generated receipts and time limits
(hypothesis): every appointment falls in office time on a working day, later or longer
never means sooner, office time round-trips, and a supplement pause moves the appointment
by exactly the office time it stopped the clock."""

import datetime

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dossiers.deadlines import (
    WorkCalendar,
    add_office_minutes,
    calendar_seed,
    due_after_pause,
    due_at,
    office_minutes_between,
)
from procedures.constants import TimeUnit

pytestmark = pytest.mark.django_db
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

moments = st.datetimes(min_value=datetime.datetime(2024, 1, 1), max_value=datetime.datetime(2025, 12, 1)).map(
    lambda d: timezone.make_aware(d.replace(second=0, microsecond=0))
)
working_days = st.integers(min_value=0, max_value=60)


@pytest.fixture
def calendar():
    calendar_seed(years=[2024, 2025, 2026])
    return WorkCalendar.load()


def in_office_time(moment: datetime.datetime, calendar: WorkCalendar) -> bool:
    local = timezone.localtime(moment)
    if not calendar.is_working_day(local.date()):
        return False
    t = local.time()
    return any(start <= t <= end for start, end in calendar.periods)


@FUZZ
@given(received=moments, days=working_days, unit=st.sampled_from([TimeUnit.WORKING_DAYS, TimeUnit.DAYS]))
def test_every_appointment_is_in_office_time_on_a_working_day_and_not_before_receipt(calendar, received, days, unit):
    due = due_at(received_at=received, amount=days, unit=unit, calendar=calendar)
    assert due >= received or days == 0
    assert in_office_time(due, calendar), (received, days, unit, due)


@FUZZ
@given(received=moments, days=working_days, more=st.integers(min_value=0, max_value=10), later=st.integers(0, 10_000))
def test_a_later_receipt_or_a_longer_limit_is_never_due_sooner(calendar, received, days, more, later):
    due = due_at(received_at=received, amount=days, unit=TimeUnit.WORKING_DAYS, calendar=calendar)
    longer = due_at(received_at=received, amount=days + more, unit=TimeUnit.WORKING_DAYS, calendar=calendar)
    after = due_at(
        received_at=received + datetime.timedelta(minutes=later),
        amount=days,
        unit=TimeUnit.WORKING_DAYS,
        calendar=calendar,
    )
    assert longer >= due and after >= due


@FUZZ
@given(start=moments, minutes=st.integers(min_value=0, max_value=40 * 480))
def test_office_time_added_is_office_time_between(calendar, start, minutes):
    end = add_office_minutes(start=start, minutes=minutes, calendar=calendar)
    assert office_minutes_between(start=start, end=end, calendar=calendar) == minutes
    if in_office_time(end, calendar) and minutes:
        back = add_office_minutes(start=end, minutes=-minutes, calendar=calendar)
        assert office_minutes_between(start=back, end=end, calendar=calendar) == minutes


@FUZZ
@given(received=moments, days=st.integers(1, 30), pause_start=st.integers(0, 20_000), pause=st.integers(0, 30_000))
def test_a_pause_moves_the_appointment_by_the_office_time_it_stopped_the_clock(
    calendar, received, days, pause_start, pause
):
    due = due_at(received_at=received, amount=days, unit=TimeUnit.WORKING_DAYS, calendar=calendar)
    paused_at = received + datetime.timedelta(minutes=pause_start)
    resumed_at = paused_at + datetime.timedelta(minutes=pause)
    stopped = office_minutes_between(start=paused_at, end=resumed_at, calendar=calendar)
    moved = due_after_pause(due=due, paused_at=paused_at, resumed_at=resumed_at, calendar=calendar)
    assert moved >= due
    assert office_minutes_between(start=due, end=moved, calendar=calendar) == stopped
