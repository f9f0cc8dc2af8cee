"""Keeping the report tables true: facts refreshed from the dossiers that changed, then the
rollup rows of every (agency, day) and (agency, month) those facts touch, in the same
transaction. Everything here is idempotent: run it again and nothing changes."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth

from dossiers import deadlines

from . import facts
from .models import DAILY, MONTHLY, DailyAgencyStats, DossierFact, MonthlyProcedureStats, RefreshState, StaleDossier
from .periods import day_bounds, next_month
from .rules import DAILY_RULES, MONTHLY_RULES

FACT_FIELDS = [f.name for f in DossierFact._meta.concrete_fields if f.name not in ("dossier", "refreshed_at")]
Pair = tuple[int, datetime.date]


def mark_stale(dossier_ids: Iterable[int]) -> None:
    """The facts of these dossiers must be computed again (call inside the change's transaction)."""
    rows = [StaleDossier(dossier_id=pk) for pk in set(dossier_ids) if pk]
    if rows:
        StaleDossier.objects.bulk_create(rows, ignore_conflicts=True)


def _month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _days_of(values: dict) -> set[Pair]:
    agency = values["agency_id"]
    return {(agency, values[name]) for name in facts.DAY_FIELDS if values.get(name) is not None}


def refresh_facts(dossier_ids: list[int]) -> set[Pair]:
    """Compute the facts of ``dossier_ids`` again; returns the (agency, day) pairs whose
    rollups may have changed (the old days and the new)."""
    if not dossier_ids:
        return set()
    touched: set[Pair] = set()
    for old in DossierFact.objects.filter(dossier_id__in=dossier_ids).values("agency_id", *facts.DAY_FIELDS):
        touched |= _days_of(old)
    calendar = deadlines.WorkCalendar.load()
    complained = facts.complained_ids(dossier_ids)
    rows, seen = [], set()
    for dossier in facts.load_dossiers(dossier_ids):
        values = facts.fact_values(dossier, calendar=calendar, complained=dossier.pk in complained)
        touched |= _days_of(values)
        rows.append(DossierFact(dossier_id=dossier.pk, **values))
        seen.add(dossier.pk)
    gone = set(dossier_ids) - seen
    if gone:
        DossierFact.objects.filter(dossier_id__in=gone).delete()
    if rows:
        DossierFact.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["dossier"], update_fields=[*FACT_FIELDS, "refreshed_at"]
        )
    return touched


def _daily_counts(pairs: set[Pair]) -> dict[Pair, dict[str, int]]:
    """The DAILY counts of ``pairs`` from the facts: one aggregate per day field."""
    days_by_agency: dict[int, set[datetime.date]] = defaultdict(set)
    for agency, day in pairs:
        days_by_agency[agency].add(day)
    by_field: dict[str, list[str]] = defaultdict(list)
    for name, (field, _) in DAILY_RULES.items():
        by_field[field].append(name)
    out: dict[Pair, dict[str, int]] = {}
    for field, names in by_field.items():
        for agency, days in days_by_agency.items():
            rows = (
                DossierFact.objects.filter(agency_id=agency, **{f"{field}__in": sorted(days)})
                .values(field)
                .annotate(**{f"n_{name}": Count("pk", filter=DAILY_RULES[name][1]) for name in names})
            )
            for row in rows:
                counts = out.setdefault((agency, row[field]), dict.fromkeys(DAILY, 0))
                for name in names:
                    counts[name] = row[f"n_{name}"]
    return out


def rollup_pairs(pairs: set[Pair]) -> int:
    """Recompute the daily rows of ``pairs`` and the monthly rows of their months."""
    if not pairs:
        return 0
    counts = _daily_counts(pairs)
    with transaction.atomic():
        for agency, day in pairs:
            values = counts.get((agency, day))
            if values is None or not any(values.values()):
                DailyAgencyStats.objects.filter(agency_id=agency, day=day).delete()
            else:
                DailyAgencyStats.objects.update_or_create(agency_id=agency, day=day, defaults=values)
        rollup_months({(agency, _month(day)) for agency, day in pairs})
    return len(pairs)


def _monthly_counts(agency_ids: list[int] | None, first: datetime.date, end: datetime.date):
    """Per (agency, month, procedure): the MONTHLY counts of months ``first`` ≤ m < ``end``."""
    by_field: dict[str, list[str]] = defaultdict(list)
    for name, (field, _, _) in MONTHLY_RULES.items():
        by_field[field].append(name)
    out: dict[tuple[int, datetime.date, int], dict[str, int]] = {}
    for field, names in by_field.items():
        qs = DossierFact.objects.filter(**{f"{field}__gte": first, f"{field}__lt": end})
        if agency_ids is not None:
            qs = qs.filter(agency_id__in=agency_ids)
        aggregates = {}
        for name in names:
            _, condition, summed = MONTHLY_RULES[name]
            aggregates[f"n_{name}"] = Sum(summed, filter=condition) if summed else Count("pk", filter=condition)
        for row in qs.annotate(m=TruncMonth(field)).values("agency_id", "m", "procedure_id").annotate(**aggregates):
            month = row["m"].date() if isinstance(row["m"], datetime.datetime) else row["m"]
            counts = out.setdefault((row["agency_id"], month, row["procedure_id"]), dict.fromkeys(MONTHLY, 0))
            for name in names:
                counts[name] = int(row[f"n_{name}"] or 0)
    return out


def rollup_months(pairs: set[tuple[int, datetime.date]]) -> None:
    for agency, month in pairs:
        counts = _monthly_counts([agency], month, next_month(month))
        MonthlyProcedureStats.objects.filter(agency_id=agency, month=month).delete()
        MonthlyProcedureStats.objects.bulk_create(
            [
                MonthlyProcedureStats(agency_id=a, month=m, procedure_id=p, **values)
                for (a, m, p), values in counts.items()
                if any(values.values())
            ]
        )


def _claim_stale(limit: int) -> list[int]:
    qs = StaleDossier.objects.order_by("marked_at")
    if connection.features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True)
    return list(qs.values_list("dossier_id", flat=True)[:limit])


def _new_dossier_ids(limit: int) -> tuple[list[int], int | None]:
    """Dossiers created since the last run (drafts have no status change to mark them),
    with a look-back over the last ids in case one committed late."""
    from dossiers.models import Dossier

    state, _ = RefreshState.objects.get_or_create(name="facts")
    last = state.last_dossier_id
    ids = list(Dossier.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:limit])
    look_back = set(Dossier.objects.filter(pk__gt=max(last - 200, 0), pk__lte=last).values_list("pk", flat=True))
    look_back -= set(DossierFact.objects.filter(dossier_id__in=look_back).values_list("dossier_id", flat=True))
    return [*ids, *look_back], (ids[-1] if ids else None)


def refresh(batch: int = 2000) -> int:
    """One pass of the refresher (Celery beat, every minute): the stale and the new
    dossiers' facts, then their rollup rows, all in one transaction. Returns the facts done."""
    done = 0
    while True:
        with transaction.atomic():
            stale = _claim_stale(batch)
            new, highest = _new_dossier_ids(batch)
            ids = sorted(set(stale) | set(new))
            if not ids:
                return done
            rollup_pairs(refresh_facts(ids))
            StaleDossier.objects.filter(dossier_id__in=stale).delete()
            if highest is not None:
                RefreshState.objects.filter(name="facts").update(last_dossier_id=highest)
        done += len(ids)
        if len(stale) < batch and highest is None:
            return done


def rebuild(first: datetime.date, last: datetime.date, *, facts_too: bool = True, batch: int = 2000) -> int:
    """Rebuild everything of ``first``–``last``: the facts of the dossiers created, received
    or ended in those days (when ``facts_too``), then every daily and monthly row of those
    days from the facts (set-based). Returns the daily rows written."""
    from dossiers.models import Dossier

    start, end = day_bounds(first, last)
    if facts_too:
        ids = Dossier.objects.filter(
            Q(created_at__gte=start, created_at__lt=end)
            | Q(received_at__gte=start, received_at__lt=end)
            | Q(finished_at__gte=start, finished_at__lt=end)
        ).values_list("pk", flat=True)
        chunk: list[int] = []
        for pk in ids.iterator(chunk_size=batch):
            chunk.append(pk)
            if len(chunk) >= batch:
                with transaction.atomic():
                    refresh_facts(chunk)
                chunk = []
        with transaction.atomic():
            refresh_facts(chunk)
    return rebuild_rollups(first, last)


def rebuild_all() -> int:
    """Every fact and every rollup row, from the first dossier to today; the refresher then
    goes on from the newest dossier (what ``migrate`` leaves to do on an existing database)."""
    from django.db.models import Max, Min
    from django.utils import timezone

    from dossiers.models import Dossier

    bounds = Dossier.objects.aggregate(first=Min("created_at"), last=Max("pk"))
    if bounds["first"] is None:
        return 0
    first = timezone.localtime(bounds["first"]).date()
    rows = rebuild(first, timezone.localdate())
    RefreshState.objects.update_or_create(name="facts", defaults={"last_dossier_id": bounds["last"]})
    return rows


def rebuild_rollups(first: datetime.date, last: datetime.date) -> int:
    """Every daily row of ``first``–``last`` and every monthly row of their months, from the
    facts, with one aggregate per day field over the whole range."""
    by_field: dict[str, list[str]] = defaultdict(list)
    for name, (field, _) in DAILY_RULES.items():
        by_field[field].append(name)
    counts: dict[Pair, dict[str, int]] = {}
    for field, names in by_field.items():
        rows = (
            DossierFact.objects.filter(**{f"{field}__gte": first, f"{field}__lte": last})
            .values("agency_id", field)
            .annotate(**{f"n_{name}": Count("pk", filter=DAILY_RULES[name][1]) for name in names})
        )
        for row in rows.iterator(chunk_size=5000):
            values = counts.setdefault((row["agency_id"], row[field]), dict.fromkeys(DAILY, 0))
            for name in names:
                values[name] = row[f"n_{name}"]
    first_month, end_month = _month(first), next_month(_month(last))
    monthly = _monthly_counts(None, first_month, end_month)
    with transaction.atomic():
        DailyAgencyStats.objects.filter(day__gte=first, day__lte=last).delete()
        DailyAgencyStats.objects.bulk_create(
            [
                DailyAgencyStats(agency_id=a, day=d, **values)
                for (a, d), values in counts.items()
                if any(values.values())
            ],
            batch_size=5000,
        )
        MonthlyProcedureStats.objects.filter(month__gte=first_month, month__lt=end_month).delete()
        MonthlyProcedureStats.objects.bulk_create(
            [
                MonthlyProcedureStats(agency_id=a, month=m, procedure_id=p, **values)
                for (a, m, p), values in monthly.items()
                if any(values.values())
            ],
            batch_size=5000,
        )
    return len(counts)
