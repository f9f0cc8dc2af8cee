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
from django.utils import timezone

from dossiers import deadlines

from . import facts
from .models import DAILY, MONTHLY, DailyAgencyStats, DossierFact, MonthlyProcedureStats, RefreshState, StaleDossier
from .periods import day_bounds, next_month
from .rules import DAILY_RULES, MONTHLY_RULES

# fact_values() key (a field name or an ``_id`` attribute) → its column
FACT_COLUMNS = {
    **{f.name: f.column for f in DossierFact._meta.concrete_fields},
    **{f.attname: f.column for f in DossierFact._meta.concrete_fields},
}
Pair = tuple[int, datetime.date]


def _write_rows(model, rows: list[dict], *, conflict: list[str] | None = None) -> None:
    """Insert ``rows`` (column name → value) into ``model``'s table; with ``conflict``, an
    existing row with the same values of those columns is replaced. On PostgreSQL one
    ``execute_values`` per 5,000 rows: the ORM's ``bulk_create`` spent more time composing
    the statement than PostgreSQL spent running it (``rollup_rebuild --all``: 2,000,000
    facts)."""
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if f.column in rows[0]]
    if connection.vendor != "postgresql":
        objects = [model(**{f.attname: row[f.column] for f in fields}) for row in rows]
        if conflict:
            keys = {f.column: f.name for f in fields}
            model.objects.bulk_create(
                objects,
                update_conflicts=True,
                unique_fields=[keys[c] for c in conflict],
                update_fields=[f.name for f in fields if f.column not in conflict and not f.primary_key],
                batch_size=2000,
            )
        else:
            model.objects.bulk_create(objects, batch_size=2000)
        return
    from psycopg2.extras import execute_values

    columns = [f.column for f in fields]
    sql = f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) VALUES %s"  # nosec B608 # table and column names from the model's fields; values bound by execute_values
    if conflict:
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns if c not in conflict)
        sql += f" ON CONFLICT ({', '.join(conflict)}) DO UPDATE SET {updates}"  # nosec B608 # column names from the model's fields, no input
    with connection.cursor() as cur:
        for offset in range(0, len(rows), 5000):
            execute_values(
                cur.cursor if hasattr(cur, "cursor") else cur,
                sql,
                [tuple(row[c] for c in columns) for row in rows[offset : offset + 5000]],
                page_size=5000,
            )


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
    now = timezone.now()
    for dossier in facts.load_dossiers(dossier_ids):
        values = facts.fact_values(dossier, calendar=calendar, complained=dossier.pk in complained)
        touched |= _days_of(values)
        rows.append({FACT_COLUMNS[k]: v for k, v in values.items()} | {"dossier_id": dossier.pk, "refreshed_at": now})
        seen.add(dossier.pk)
    gone = set(dossier_ids) - seen
    if gone:
        DossierFact.objects.filter(dossier_id__in=gone).delete()
    _write_rows(DossierFact, rows, conflict=["dossier_id"])
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


def _facts_of_ids(ids: list[int], batch: int) -> None:
    for offset in range(0, len(ids), batch):
        with transaction.atomic():
            refresh_facts(ids[offset : offset + batch])


def _facts_worker(args: tuple[list[int], int]) -> int:
    """In a child process: its own database connection, then its share of the facts."""
    from django.db import connections

    connections.close_all()
    ids, batch = args
    _facts_of_ids(ids, batch)
    connections.close_all()
    return len(ids)


def rebuild(
    first: datetime.date, last: datetime.date, *, facts_too: bool = True, batch: int = 2000, workers: int = 1
) -> int:
    """Rebuild everything of ``first``–``last``: the facts of the dossiers created, received
    or ended in those days (when ``facts_too``; in ``workers`` processes, each its share of
    the dossiers), then every daily and monthly row of those days from the facts
    (set-based). Returns the daily rows written."""
    from dossiers.models import Dossier

    start, end = day_bounds(first, last)
    if facts_too:
        ids = list(
            Dossier.objects.filter(
                Q(created_at__gte=start, created_at__lt=end)
                | Q(received_at__gte=start, received_at__lt=end)
                | Q(finished_at__gte=start, finished_at__lt=end)
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if workers > 1 and len(ids) > batch:
            import multiprocessing

            from django.db import connections

            connections.close_all()  # the children must not share this process's connection
            shares = [(ids[n::workers], batch) for n in range(workers)]
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                pool.map(_facts_worker, shares)
        else:
            _facts_of_ids(ids, batch)
    return rebuild_rollups(first, last)


def rebuild_all(*, workers: int = 1) -> int:
    """Every fact and every rollup row, from the first dossier to today; the refresher then
    goes on from the newest dossier (what ``migrate`` leaves to do on an existing database)."""
    from django.db.models import Max, Min

    from dossiers.models import Dossier

    bounds = Dossier.objects.aggregate(first=Min("created_at"), last=Max("pk"))
    if bounds["first"] is None:
        return 0
    first = timezone.localtime(bounds["first"]).date()
    today = timezone.localdate()
    rows = rebuild(first, today, workers=workers)
    # An open dossier becomes late on a day still to come: that day's row is part of the
    # figures of any period that contains it.
    ahead = [
        day
        for name in facts.DAY_FIELDS
        if (day := DossierFact.objects.filter(**{f"{name}__gt": today}).aggregate(m=Max(name))["m"])
    ]
    if ahead:
        rows += rebuild_rollups(today + datetime.timedelta(days=1), max(ahead))
    if connection.vendor == "postgresql":
        # Millions of rows rewritten: without fresh statistics the planner misjudged the
        # KPI page's queries on the generated province (620 ms instead of 115 for one).
        with connection.cursor() as cur:
            for model in (DossierFact, DailyAgencyStats, MonthlyProcedureStats):
                cur.execute(f"ANALYZE {model._meta.db_table}")
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
        now = timezone.now()
        DailyAgencyStats.objects.filter(day__gte=first, day__lte=last).delete()
        _write_rows(
            DailyAgencyStats,
            [
                {"agency_id": a, "day": d, "updated_at": now, **values}
                for (a, d), values in counts.items()
                if any(values.values())
            ],
        )
        MonthlyProcedureStats.objects.filter(month__gte=first_month, month__lt=end_month).delete()
        _write_rows(
            MonthlyProcedureStats,
            [
                {"agency_id": a, "month": m, "procedure_id": p, "updated_at": now, **values}
                for (a, m, p), values in monthly.items()
                if any(values.values())
            ],
        )
    return len(counts)
