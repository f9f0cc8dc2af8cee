"""Report figures: from the rollups (fast) and straight from the dossiers (the check)."""

import datetime

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from dossiers.constants import Channel, Status

from .models import COUNTED, DailyAgencyStats

RESOLVED = (Status.RESOLVED, Status.RETURNED)


def _bounds(first: datetime.date, last: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min))
    return start, end


def direct_by_agency(first: datetime.date, last: datetime.date) -> dict[int, dict[str, int]]:
    """The figures of ``first``–``last`` per agency, counted from the dossiers themselves."""
    from dossiers.models import Dossier
    from feedback.constants import Satisfaction
    from feedback.models import Rating

    start, end = _bounds(first, last)
    out: dict[int, dict[str, int]] = {}

    def add(agency_id: int, **counts) -> None:
        row = out.setdefault(agency_id, dict.fromkeys(COUNTED, 0))
        for key, value in counts.items():
            row[key] += value or 0

    online = Q(channel=Channel.ONLINE)
    for r in (
        Dossier.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
        .values("agency_id")
        .annotate(n=Count("pk"), online=Count("pk", filter=online))
    ):
        add(r["agency_id"], submitted=r["n"], submitted_online=r["online"])
    for r in (
        Dossier.objects.filter(received_at__gte=start, received_at__lt=end)
        .values("agency_id")
        .annotate(n=Count("pk"), online=Count("pk", filter=online))
    ):
        add(r["agency_id"], received=r["n"], received_online=r["online"])
    for r in (
        Dossier.objects.filter(finished_at__gte=start, finished_at__lt=end, status__in=RESOLVED)
        .values("agency_id")
        .annotate(
            n=Count("pk"),
            on_time=Count("pk", filter=Q(due_at__isnull=True) | Q(finished_at__lte=F("due_at"))),
            late=Count("pk", filter=Q(finished_at__gt=F("due_at"))),
        )
    ):
        add(r["agency_id"], resolved=r["n"], resolved_on_time=r["on_time"], resolved_late=r["late"])
    satisfied = Q(overall__in=[Satisfaction.VERY_SATISFIED, Satisfaction.SATISFIED])
    for r in (
        Rating.objects.filter(created_at__gte=start, created_at__lt=end)
        .values("dossier__agency_id")
        .annotate(n=Count("pk"), ok=Count("pk", filter=satisfied))
    ):
        add(r["dossier__agency_id"], ratings=r["n"], ratings_satisfied=r["ok"])
    return out


def rolled_up(first: datetime.date, last: datetime.date, agency_ids: list[int] | None = None) -> dict[str, int]:
    """The figures of ``first``–``last`` summed from the daily rollups (all agencies, or these)."""
    qs = DailyAgencyStats.objects.filter(day__gte=first, day__lte=last)
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    sums = qs.aggregate(**{name: Sum(name) for name in COUNTED})
    return {name: int(sums[name] or 0) for name in COUNTED}


def direct(first: datetime.date, last: datetime.date, agency_ids: list[int] | None = None) -> dict[str, int]:
    total = dict.fromkeys(COUNTED, 0)
    for agency_id, counts in direct_by_agency(first, last).items():
        if agency_ids is None or agency_id in agency_ids:
            for name in COUNTED:
                total[name] += counts[name]
    return total
