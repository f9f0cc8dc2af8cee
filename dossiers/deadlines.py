"""The deadline calculator: the one place that turns a legal time limit into a date.

Office hours 07:00–11:30 and 13:30–17:00 (``DOSSIER_OFFICE_HOURS``), 8 hours a
working day; weekends and the holidays of the admin-editable ``CalendarDay`` table are
skipped and its make-up working Saturdays count; a dossier received after 15:00
(``DOSSIER_CUTOFF``) counts from the next working day; a supplement request pauses
the clock (``due_after_pause``). Research: vietnam-domain.md §7.3. Everything is
computed in local time (Asia/Ho_Chi_Minh) and returned time-zone aware.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from procedures.constants import TimeUnit

from .models import CalendarDay

MINUTES_PER_DAY = 8 * 60
MAX_DAYS = 3 * 366  # no legal time limit comes near; stops runaway loops


def _parse(hhmm: str) -> datetime.time:
    hours, minutes = hhmm.split(":")
    return datetime.time(int(hours), int(minutes))


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are working days, and the office hours within them."""

    holidays: frozenset[datetime.date]
    extra_working_days: frozenset[datetime.date]
    periods: tuple[tuple[datetime.time, datetime.time], ...]
    cutoff: datetime.time

    @classmethod
    def load(cls) -> "WorkCalendar":
        rows = CalendarDay.objects.values_list("date", "kind")
        return cls(
            holidays=frozenset(d for d, kind in rows if kind == CalendarDay.Kind.HOLIDAY),
            extra_working_days=frozenset(d for d, kind in rows if kind == CalendarDay.Kind.WORKING),
            periods=tuple((_parse(a), _parse(b)) for a, b in settings.DOSSIER_OFFICE_HOURS),
            cutoff=_parse(settings.DOSSIER_CUTOFF),
        )

    def is_working_day(self, day: datetime.date) -> bool:
        if day in self.extra_working_days:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def next_working_day(self, day: datetime.date) -> datetime.date:
        for _ in range(MAX_DAYS):
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                return day
        raise ValueError("no working day within three years")

    def opening(self, day: datetime.date) -> datetime.datetime:
        return datetime.datetime.combine(day, self.periods[0][0])

    def closing(self, day: datetime.date) -> datetime.datetime:
        return datetime.datetime.combine(day, self.periods[-1][1])

    def clock_start(self, received: datetime.datetime) -> datetime.datetime:
        """When the clock starts for something received at ``received`` (local, naive)."""
        day = received.date()
        if not self.is_working_day(day) or received.time() >= self.cutoff:
            return self.opening(self.next_working_day(day))
        return received

    def add_working_minutes(self, start: datetime.datetime, minutes: int) -> datetime.datetime:
        """``start`` plus ``minutes`` of office time (local, naive)."""
        day, moment = start.date(), start.time()
        remaining = minutes
        for _ in range(MAX_DAYS):
            if self.is_working_day(day):
                for begin, end in self.periods:
                    if moment >= end:
                        continue
                    current = max(moment, begin)
                    available = _minutes(current, end)
                    if remaining <= available:
                        return datetime.datetime.combine(day, current) + datetime.timedelta(minutes=remaining)
                    remaining -= available
            day, moment = day + datetime.timedelta(days=1), datetime.time(0, 0)
        raise ValueError("time limit too long")

    def subtract_working_minutes(self, end: datetime.datetime, minutes: int) -> datetime.datetime:
        """``end`` minus ``minutes`` of office time (local, naive)."""
        day, moment = end.date(), end.time()
        remaining = minutes
        for _ in range(MAX_DAYS):
            if self.is_working_day(day):
                for begin, finish in reversed(self.periods):
                    if moment <= begin:
                        continue
                    current = min(moment, finish)
                    available = _minutes(begin, current)
                    if remaining <= available:
                        return datetime.datetime.combine(day, current) - datetime.timedelta(minutes=remaining)
                    remaining -= available
            day, moment = day - datetime.timedelta(days=1), datetime.time(23, 59, 59)
        raise ValueError("time limit too long")

    def working_minutes_between(self, start: datetime.datetime, end: datetime.datetime) -> int:
        """Office minutes between two local moments (0 if ``end`` is not after ``start``)."""
        if end <= start:
            return 0
        total, day = 0, start.date()
        for _ in range(MAX_DAYS):
            if day > end.date():
                break
            if self.is_working_day(day):
                for begin, finish in self.periods:
                    a = max(datetime.datetime.combine(day, begin), start)
                    b = min(datetime.datetime.combine(day, finish), end)
                    if b > a:
                        total += int((b - a).total_seconds() // 60)
            day += datetime.timedelta(days=1)
        return total


def _minutes(a: datetime.time, b: datetime.time) -> int:
    return (b.hour * 60 + b.minute) - (a.hour * 60 + a.minute)


def _local(moment: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(moment).replace(tzinfo=None)


def _aware(moment: datetime.datetime) -> datetime.datetime:
    return timezone.make_aware(moment, timezone.get_default_timezone())


def due_at(
    *,
    received_at: datetime.datetime,
    amount: Decimal | int | float,
    unit: str,
    calendar: WorkCalendar | None = None,
) -> datetime.datetime:
    """The appointment date (ngày hẹn trả) for a time limit counted from ``received_at``.

    Working days and hours count office time (8 hours a day); calendar days count every
    day and end at closing time on a working day. A limit of 0 means the same working day.
    """
    calendar = calendar or WorkCalendar.load()
    start = calendar.clock_start(_local(received_at))
    amount = Decimal(str(amount))
    if amount <= 0:
        return _aware(calendar.closing(start.date()))
    if unit == TimeUnit.DAYS:
        day = start.date() + datetime.timedelta(days=int(amount.to_integral_value()))
        if not calendar.is_working_day(day):
            day = calendar.next_working_day(day)
        return _aware(calendar.closing(day))
    per_unit = MINUTES_PER_DAY if unit == TimeUnit.WORKING_DAYS else 60
    minutes = int(amount * per_unit)
    return _aware(calendar.add_working_minutes(start, minutes))


def due_after_pause(
    *,
    due: datetime.datetime,
    paused_at: datetime.datetime,
    resumed_at: datetime.datetime,
    calendar: WorkCalendar | None = None,
) -> datetime.datetime:
    """The appointment date moved by the office time the clock was stopped (a supplement
    request, from the request until the citizen's resubmission)."""
    calendar = calendar or WorkCalendar.load()
    paused = calendar.working_minutes_between(_local(paused_at), _local(resumed_at))
    if paused == 0:
        return due
    local_due = _local(due)
    # Continue from the due moment; if it sits at a period's end the next period follows.
    return _aware(calendar.add_working_minutes(local_due, paused))


_SUBSTITUTED = re.compile(r"(\d{2})/(\d{2})/(\d{4})")


def calendar_seed(*, years: list[int]) -> int:
    """Fill the holiday table from ``holidays.VN`` for ``years`` (existing rows are kept,
    so an admin's corrections survive). Substituted days off bring their make-up working
    Saturday. Returns how many rows were added."""
    import holidays

    added = 0
    for year in years:
        english = holidays.country_holidays("VN", years=year, language="en_US")
        local = holidays.country_holidays("VN", years=year, language="vi")
        for day, name in sorted(local.items()):
            _, created = CalendarDay.objects.get_or_create(
                date=day, defaults={"kind": CalendarDay.Kind.HOLIDAY, "name": str(name)[:200]}
            )
            added += created
            match = _SUBSTITUTED.search(english.get(day, "")) if "substituted" in english.get(day, "") else None
            if match:
                month, dom, y = (int(x) for x in match.groups())
                _, created = CalendarDay.objects.get_or_create(
                    date=datetime.date(y, month, dom),
                    defaults={"kind": CalendarDay.Kind.WORKING, "name": f"Làm bù cho ngày {day:%d/%m/%Y}"},
                )
                added += created
    return added


def limit_minutes(*, amount: Decimal | int | float, unit: str) -> int:
    """A legal time limit in office minutes (calendar days count as working days here:
    this is only used to share a dossier's time between its internal steps)."""
    per_unit = 60 if unit == TimeUnit.HOURS else MINUTES_PER_DAY
    return int(Decimal(str(amount)) * per_unit)


def add_office_minutes(
    *, start: datetime.datetime, minutes: int, calendar: WorkCalendar | None = None
) -> datetime.datetime:
    """An aware moment plus (or minus, for negative ``minutes``) office time."""
    calendar = calendar or WorkCalendar.load()
    local = _local(start)
    if minutes >= 0:
        return _aware(calendar.add_working_minutes(local, minutes))
    return _aware(calendar.subtract_working_minutes(local, -minutes))


def office_minutes_between(
    *, start: datetime.datetime, end: datetime.datetime, calendar: WorkCalendar | None = None
) -> int:
    """Office minutes between two aware moments (0 if ``end`` is not after ``start``)."""
    calendar = calendar or WorkCalendar.load()
    return calendar.working_minutes_between(_local(start), _local(end))


def is_working_day(day: datetime.date, calendar: WorkCalendar | None = None) -> bool:
    return (calendar or WorkCalendar.load()).is_working_day(day)


def closing_time(day: datetime.date, calendar: WorkCalendar | None = None) -> datetime.datetime:
    """The end of office hours on ``day`` (an appointment set to a date falls due then)."""
    return _aware((calendar or WorkCalendar.load()).closing(day))


def due_soon_until(now: datetime.datetime, calendar: WorkCalendar | None = None) -> datetime.datetime:
    """Until when a running dossier is "due soon" (sắp đến hạn): the end of office hours on
    the next working day after today. The officers' "Sắp đến hạn" queue, its rows and the
    daily alerts to handlers all ask this."""
    calendar = calendar or WorkCalendar.load()
    return closing_time(calendar.next_working_day(_local(now).date()), calendar)


ON_TIME_EARLY = "Trước hạn"
ON_TIME = "Đúng hạn"
LATE = "Quá hạn"


def timeliness(finished: datetime.datetime | None, deadline: datetime.datetime | None) -> str:
    """Trước hạn / Đúng hạn / Quá hạn of a step or a dossier, compared by date as the
    national dashboard does (QĐ 766): finished on the due day is on time. Empty when
    there is no deadline or the step has not finished."""
    if finished is None or deadline is None:
        return ""
    done, due = timezone.localtime(finished).date(), timezone.localtime(deadline).date()
    if done < due:
        return ON_TIME_EARLY
    return ON_TIME if done == due else LATE
