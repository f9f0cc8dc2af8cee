"""Keeping the daily rollups (``DailyAgencyStats``) true."""

import datetime

from django.db import transaction

from . import selectors
from .models import COUNTED, DailyAgencyStats


def rollup_day(day: datetime.date) -> int:
    """Recompute every agency's row of ``day`` from the dossiers and ratings (idempotent:
    run it again, or for any past day, and the rows are the same). Returns the rows kept."""
    figures = selectors.direct_by_agency(day, day)
    with transaction.atomic():
        DailyAgencyStats.objects.filter(day=day).exclude(agency_id__in=list(figures)).delete()
        for agency_id, counts in figures.items():
            DailyAgencyStats.objects.update_or_create(
                day=day, agency_id=agency_id, defaults={name: counts.get(name, 0) for name in COUNTED}
            )
    return len(figures)


def rollup_range(first: datetime.date, last: datetime.date) -> int:
    """Rebuild the rollups of ``first``–``last`` (inclusive)."""
    rows, day = 0, first
    while day <= last:
        rows += rollup_day(day)
        day += datetime.timedelta(days=1)
    return rows
