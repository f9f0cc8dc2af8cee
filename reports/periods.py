"""Report periods (kỳ báo cáo): a month, a quarter or a year, written ``2026-11``,
``2026-Q4`` or ``2026``."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{1,2})|[Qq](?P<quarter>[1-4])))?$")
FIRST_YEAR = 2015


@dataclass(frozen=True)
class Period:
    kind: str  # "month", "quarter", "year"
    year: int
    number: int = 0  # month 1–12 or quarter 1–4

    @property
    def first(self) -> datetime.date:
        if self.kind == "month":
            return datetime.date(self.year, self.number, 1)
        if self.kind == "quarter":
            return datetime.date(self.year, 3 * self.number - 2, 1)
        return datetime.date(self.year, 1, 1)

    @property
    def last(self) -> datetime.date:
        if self.kind == "month":
            end = datetime.date(self.year + (self.number == 12), self.number % 12 + 1, 1)
        elif self.kind == "quarter":
            end = datetime.date(self.year + (self.number == 4), (3 * self.number) % 12 + 1, 1)
        else:
            end = datetime.date(self.year + 1, 1, 1)
        return end - datetime.timedelta(days=1)

    def as_of(self, today: datetime.date | None = None) -> datetime.date:
        """The day the period's stocks are read at: its last day, or today while it runs."""
        today = today or timezone.localdate()
        return min(self.last, today)

    @property
    def code(self) -> str:
        if self.kind == "month":
            return f"{self.year}-{self.number:02d}"
        if self.kind == "quarter":
            return f"{self.year}-Q{self.number}"
        return str(self.year)

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"Tháng {self.number:02d}/{self.year}"
        if self.kind == "quarter":
            return f"Quý {ROMAN[self.number]}/{self.year}"
        return f"Năm {self.year}"

    def months(self) -> list[datetime.date]:
        out, month = [], self.first
        while month <= self.last:
            out.append(month)
            month = next_month(month)
        return out


def next_month(month: datetime.date) -> datetime.date:
    """The first day of the month after ``month``'s."""
    return (month.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def day_bounds(first: datetime.date, last: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The aware moments [start of ``first``, start of the day after ``last``) in local time."""
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min))
    return start, end


def parse(text: str | None, *, today: datetime.date | None = None) -> Period:
    """The period written in ``text`` (empty: the current year). Bad text raises
    ``ValidationError`` for the field ``period`` with a message in Vietnamese."""
    today = today or timezone.localdate()
    text = (text or "").strip()
    if not text:
        return Period("year", today.year)
    match = _PATTERN.match(text)
    if not match:
        raise ValidationError({"period": "Kỳ báo cáo phải có dạng 2026 (năm), 2026-Q4 (quý) hoặc 2026-11 (tháng)."})
    year = int(match["year"])
    if not FIRST_YEAR <= year <= today.year:
        raise ValidationError({"period": f"Năm phải từ {FIRST_YEAR} đến {today.year}."})
    if match["month"]:
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise ValidationError({"period": "Tháng phải từ 1 đến 12."})
        period = Period("month", year, month)
    elif match["quarter"]:
        period = Period("quarter", year, int(match["quarter"]))
    else:
        period = Period("year", year)
    if period.first > today:
        raise ValidationError({"period": "Kỳ báo cáo chưa bắt đầu."})
    return period


def choices(today: datetime.date | None = None) -> list[tuple[str, str]]:
    """The periods offered in the filter: this year and the last two, their quarters and months."""
    today = today or timezone.localdate()
    out: list[tuple[str, str]] = []
    for year in range(today.year, today.year - 3, -1):
        out.append((str(year), f"Năm {year}"))
        for q in range(4, 0, -1):
            p = Period("quarter", year, q)
            if p.first <= today:
                out.append((p.code, p.label))
        for m in range(12, 0, -1):
            p = Period("month", year, m)
            if p.first <= today:
                out.append((p.code, p.label))
    return out
