"""Report figures of a period, per agency: from the rollups (what the pages read) and from the
facts (the check, and the drill-down). Catalog and feedback figures come from their own
small tables. ``reports.indices`` turns figures into the QĐ 766 indices and points."""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict

from django.core.cache import cache
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from dossiers import deadlines

from .models import DAILY, MONTHLY, DailyAgencyStats, DossierFact, MonthlyProcedureStats
from .periods import Period, day_bounds, next_month
from .rules import COMPOSITES, STOCKS, period_filter

PERIOD_FIGURES = (*DAILY, *STOCKS)
# What a drill-down can list: every figure counted, and those the indices combine from them.
DRILLABLE = (*PERIOD_FIGURES, *COMPOSITES)
CATALOG_FIGURES = (
    "procedures",
    "complete",
    "online_offered",
    "level3",
    "level4",
    "fee_bearing",
    "fee_online",
    "decided",
    "decided_on_time",
    "published",
    "published_on_time",
)
FEEDBACK_FIGURES = (
    "feedback",
    "feedback_overdue",
    "feedback_disliked",
    "feedback_closed",
    "feedback_rules",
    "feedback_conduct",
)
CATALOG_CACHE_SECONDS = 600
PUBLISH_WITHIN_DAYS = 5  # 766 1.1 and 1.2: province, five working days


def _empty(names) -> dict[str, int]:
    return dict.fromkeys(names, 0)


def rolled_up(period: Period, agency_ids: list[int] | None = None) -> dict[int, dict[str, int]]:
    """Per agency: the DAILY sums of the period and the stocks (carried in, open at the end,
    open and late at the end), from ``DailyAgencyStats`` only — one aggregate query."""
    first, last, as_of = period.first, period.last, period.as_of()
    qs = DailyAgencyStats.objects.filter(day__lte=last)
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    in_period = Q(day__gte=first)
    annotations = {f"n_{name}": Sum(name, filter=in_period) for name in DAILY}
    annotations["n_carried"] = Sum(F("received") - F("ended"), filter=Q(day__lt=first))
    annotations["n_open_end"] = Sum(F("received") - F("ended"), filter=Q(day__lte=as_of))
    annotations["n_open_late"] = Sum(F("late_open_start") - F("late_open_stop"), filter=Q(day__lte=as_of))
    out = {}
    for row in qs.values("agency_id").annotate(**annotations):
        out[row["agency_id"]] = {name: int(row[f"n_{name}"] or 0) for name in PERIOD_FIGURES}
    return out


def direct(period: Period, agency_ids: list[int] | None = None) -> dict[int, dict[str, int]]:
    """The same figures counted from the facts with the same rules (tests compare the two)."""
    first, last, as_of = period.first, period.last, period.as_of()
    qs = DossierFact.objects.all()
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    out: dict[int, dict[str, int]] = defaultdict(lambda: _empty(PERIOD_FIGURES))
    for name in PERIOD_FIGURES:
        condition = period_filter(name, first=first, last=last, as_of=as_of)
        for row in qs.filter(condition).values("agency_id").annotate(n=Count("pk")):
            out[row["agency_id"]][name] = row["n"]
    return {k: v for k, v in out.items() if any(v.values())}


def facts_behind(name: str, period: Period, agency_ids: list[int] | None):
    """The facts behind figure ``name`` (one of DRILLABLE) — the drill-down."""
    if name not in DRILLABLE:
        raise KeyError(name)
    qs = DossierFact.objects.filter(period_filter(name, first=period.first, last=period.last, as_of=period.as_of()))
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    return qs


def _working_days_between(a: datetime.date, b: datetime.date, calendar) -> int:
    """Working days after ``a`` up to and including ``b`` (negative when ``b`` is before ``a``)."""
    sign, (lo, hi) = (1, (a, b)) if a <= b else (-1, (b, a))
    n, day = 0, lo
    while day < hi:
        day += datetime.timedelta(days=1)
        n += calendar.is_working_day(day)
    return sign * n


def catalog(period: Period) -> dict[int, dict[str, int]]:
    """Per agency, over the published current procedures it implements: how many, complete
    (766 1.3), offered online at level 3 / 4 (3.1), with fees and payable online (3.5);
    over versions decided in the period: decided on time (1.1) and published on time (1.2).
    Cached for ten minutes: the catalog changes rarely and is small next to the dossiers."""
    key = f"reports:catalog:{period.code}:{timezone.localdate():%Y%m%d}"
    found = cache.get(key)
    if found is not None:
        return found
    from procedures.constants import AgencyRole, VersionStatus
    from procedures.models import Fee, ProcedureAgency, RequiredDocument

    current = ProcedureAgency.objects.filter(
        version__is_current=True,
        version__status=VersionStatus.PUBLISHED,
        role__in=[AgencyRole.IMPLEMENTING, AgencyRole.COMPETENT, AgencyRole.DELEGATED],
    ).annotate(
        level=Coalesce("service_level", "version__service_level"),
        has_fee=Exists(Fee.objects.filter(version=OuterRef("version_id"), amount__gt=0)),
        has_docs=Exists(RequiredDocument.objects.filter(version=OuterRef("version_id"))),
    )
    complete = (
        ~Q(version__steps="")
        & ~Q(version__applicants="")
        & ~Q(version__results="")
        & (Q(version__time_limit__isnull=False) | ~Q(version__time_limit_note=""))
        & Q(has_docs=True)
    )
    out: dict[int, dict[str, int]] = defaultdict(lambda: _empty(CATALOG_FIGURES))
    rows = current.values("agency_id").annotate(
        procedures=Count("version__procedure_id", distinct=True),
        complete=Count("version__procedure_id", filter=complete, distinct=True),
        online_offered=Count("version__procedure_id", filter=Q(level__gte=3), distinct=True),
        level3=Count("version__procedure_id", filter=Q(level=3), distinct=True),
        level4=Count("version__procedure_id", filter=Q(level=4), distinct=True),
        fee_bearing=Count("version__procedure_id", filter=Q(has_fee=True), distinct=True),
        fee_online=Count(
            "version__procedure_id",
            filter=Q(has_fee=True, level__gte=3, version__channel_online=True),
            distinct=True,
        ),
    )
    for row in rows:
        out[row["agency_id"]].update({k: v for k, v in row.items() if k != "agency_id"})
    calendar = deadlines.WorkCalendar.load()
    decided = (
        ProcedureAgency.objects.filter(
            version__status=VersionStatus.PUBLISHED,
            version__decision_date__gte=period.first,
            version__decision_date__lte=period.last,
        )
        .values_list("agency_id", "version__decision_date", "version__effective_from", "version__published_at")
        .distinct()
    )
    for agency_id, decision, effective, published_at in decided:
        figures = out[agency_id]
        figures["decided"] += 1
        if effective is None or _working_days_between(decision, effective, calendar) >= PUBLISH_WITHIN_DAYS:
            figures["decided_on_time"] += 1
        if published_at is not None:
            figures["published"] += 1
            published_on = timezone.localtime(published_at).date()
            if _working_days_between(decision, published_on, calendar) <= PUBLISH_WITHIN_DAYS:
                figures["published_on_time"] += 1
    result = dict(out)
    cache.set(key, result, CATALOG_CACHE_SECONDS)
    return result


def _online_levels() -> dict[tuple[int, int], int]:
    """(agency, procedure) → the online level (3 or 4) it is offered at, over the current
    published catalog; cached like ``catalog`` (it changes only when the catalog does)."""
    key = f"reports:online-levels:{timezone.localdate():%Y%m%d}"
    found = cache.get(key)
    if found is not None:
        return found
    from procedures.constants import VersionStatus
    from procedures.models import ProcedureAgency

    levels: dict[tuple[int, int], int] = {}
    rows = (
        ProcedureAgency.objects.filter(version__is_current=True, version__status=VersionStatus.PUBLISHED)
        .annotate(level=Coalesce("service_level", "version__service_level"))
        .filter(level__gte=3)
        .values_list("agency_id", "version__procedure_id", "level")
    )
    for agency_id, procedure_id, level in rows.iterator(chunk_size=10000):
        levels[(agency_id, procedure_id)] = max(level, levels.get((agency_id, procedure_id), 0))
    cache.set(key, levels, CATALOG_CACHE_SECONDS)
    return levels


def online_services_used(period: Period, agency_ids: list[int] | None = None) -> dict[int, dict[str, int]]:
    """766 3.2: per agency, the procedures offered online there (level 3 / 4) that received at
    least one online dossier in the period: the distinct (agency, procedure) pairs of the
    monthly rollups with an online dossier (a partial index serves them) against the
    catalog's online levels (cached). On the generated province this was one SQL join of
    the rollups with the catalog, 620 ms with stale statistics and 115 ms without; the pairs
    alone still take ~60 ms for a province-year, so the result is kept for ten minutes, like
    the catalog figures (a new pair shows within ten minutes)."""
    if agency_ids is not None and not agency_ids:
        return {}
    scope = "all" if agency_ids is None else hashlib.sha256(",".join(map(str, sorted(agency_ids))).encode()).hexdigest()
    key = f"reports:online-used:{period.code}:{timezone.localdate():%Y%m%d}:{scope[:32]}"
    found = cache.get(key)
    if found is not None:  # kept as the catalog figures are (the pairs of a year grow slowly)
        return found
    qs = MonthlyProcedureStats.objects.filter(month__gte=period.first, month__lte=period.last, received_online__gt=0)
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    levels = _online_levels()
    out: dict[int, dict[str, int]] = defaultdict(lambda: _empty(("online_used", "level3_used", "level4_used")))
    for agency_id, procedure_id in qs.values_list("agency_id", "procedure_id").distinct().order_by():
        level = levels.get((agency_id, procedure_id))
        if level is not None:
            out[agency_id]["online_used"] += 1
            out[agency_id][f"level{level}_used"] += 1
    result = dict(out)
    cache.set(key, result, CATALOG_CACHE_SECONDS)
    return result


def feedback(period: Period, agency_ids: list[int] | None = None) -> dict[int, dict[str, int]]:
    """766 5.1–5.3: feedback received in the period per agency; by category (5.1); overdue
    (5.2: refused after 2 working days, answered after 15, published more than 2 after the
    answer, or still unanswered past its 15 days at the period's end); not overdue but with
    more dislikes than likes on its published answer (5.3); closed."""
    from feedback.constants import FeedbackCategory, FeedbackState
    from feedback.models import Feedback

    start, end = day_bounds(period.first, period.last)
    now = min(timezone.now(), end)
    overdue = (
        Q(refused_at__gt=F("accept_due"))
        | Q(answered_at__gt=F("answer_due"))
        | Q(published_at__gt=F("publish_due"))
        | Q(state__in=[FeedbackState.RECEIVED, FeedbackState.PROCESSING], answer_due__lt=now)
        | Q(state=FeedbackState.ANSWERED, publish_due__lt=now)
    )
    qs = Feedback.objects.filter(received_at__gte=start, received_at__lt=end)
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    rows = qs.values("agency_id").annotate(
        feedback=Count("pk"),
        feedback_overdue=Count("pk", filter=overdue),
        feedback_disliked=Count("pk", filter=Q(state=FeedbackState.PUBLISHED, dislikes__gt=F("likes")) & ~overdue),
        feedback_closed=Count("pk", filter=Q(state__in=[FeedbackState.REFUSED, FeedbackState.PUBLISHED])),
        feedback_rules=Count("pk", filter=Q(category=FeedbackCategory.RULES)),
        feedback_conduct=Count("pk", filter=Q(category=FeedbackCategory.CONDUCT)),
    )
    return {row["agency_id"]: {k: row[k] for k in FEEDBACK_FIGURES} for row in rows}


def procedure_rows(period: Period, agency_ids: list[int] | None = None) -> list[dict]:
    """Per procedure over the period: received (online), resolved, average processing time
    in working days (766 2.2) and the funnel of the online dossiers started in the period."""
    from procedures.models import ProcedureVersion

    qs = MonthlyProcedureStats.objects.filter(month__gte=period.first, month__lte=period.last)
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    rows = [
        {"procedure_id": r["procedure_id"], **{k: r[f"n_{k}"] for k in MONTHLY}}
        for r in qs.values("procedure_id").annotate(**{f"n_{name}": Sum(name) for name in MONTHLY})
    ]
    names, codes = {}, {}
    for procedure_id, name, code in ProcedureVersion.objects.filter(
        procedure_id__in=[r["procedure_id"] for r in rows], is_current=True
    ).values_list("procedure_id", "name", "procedure__national_code"):
        names[procedure_id], codes[procedure_id] = name, code
    out = []
    for row in rows:
        resolved = row["resolved"] or 0
        started = row["started_online"] or 0
        out.append(
            {
                **{k: int(row[k] or 0) for k in MONTHLY},
                "procedure_id": row["procedure_id"],
                "name": names.get(row["procedure_id"], ""),
                "code": codes.get(row["procedure_id"], ""),
                "average_days": round(row["resolved_minutes"] / resolved / deadlines.MINUTES_PER_DAY, 2)
                if resolved
                else None,
                "abandoned": started - int(row["cohort_submitted"] or 0),
                "abandon_rate": round(100 * (started - int(row["cohort_submitted"] or 0)) / started, 2)
                if started
                else None,
            }
        )
    out.sort(key=lambda r: (-r["received"], r["code"]))
    return out


def monthly_series(agency_ids: list[int] | None, months: list[datetime.date]) -> list[dict]:
    """For the public page's chart: per month, received, online, resolved on time and late."""
    qs = DailyAgencyStats.objects.filter(day__gte=months[0], day__lt=next_month(months[-1]))
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    from django.db.models.functions import TruncMonth

    rows = {
        (r["m"].date() if isinstance(r["m"], datetime.datetime) else r["m"]): r
        for r in qs.annotate(m=TruncMonth("day"))
        .values("m")
        .annotate(
            n_received=Sum("received"),
            n_received_online=Sum("received_online"),
            n_ended=Sum("ended"),
            n_ended_late=Sum("ended_late"),
        )
    }
    out = []
    for month in months:
        row = rows.get(month, {})
        out.append(
            {
                "month": month,
                "received": int(row.get("n_received") or 0),
                "received_online": int(row.get("n_received_online") or 0),
                "ended": int(row.get("n_ended") or 0),
                "ended_late": int(row.get("n_ended_late") or 0),
            }
        )
    return out


def board(period: Period, agency_ids: list[int] | None = None) -> dict:
    """Everything the KPI page shows for ``period`` over ``agency_ids`` (all when None): per
    agency the figures and the 766 evaluation, the same per tier, and the total."""
    from procedures.models import Agency

    from . import indices

    agencies = Agency.objects.order_by("tier", "name").only("id", "name", "short_name", "tier", "slug")
    if agency_ids is not None:
        agencies = agencies.filter(pk__in=agency_ids)
    agencies = list(agencies)
    ids = [a.pk for a in agencies]
    dossiers = rolled_up(period, ids)
    books = catalog(period)
    pakn = feedback(period, ids)
    used = online_services_used(period, ids)
    rows = []
    for agency in agencies:
        figures = indices.add(
            dossiers.get(agency.pk, {}),
            books.get(agency.pk, {}),
            pakn.get(agency.pk, {}),
            used.get(agency.pk, {}),
        )
        if not any(figures.values()):
            continue
        rows.append({"agency": agency, "figures": figures, "evaluation": indices.evaluate(figures)})
    tiers: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        tiers[row["agency"].tier].append(row)
    tier_rows = []
    for tier, members in tiers.items():
        figures = indices.add(*(r["figures"] for r in members))
        tier_rows.append(
            {
                "tier": tier,
                "label": members[0]["agency"].get_tier_display(),
                "agencies": len(members),
                "figures": figures,
                "evaluation": indices.evaluate(figures),
            }
        )
    total = indices.add(*(r["figures"] for r in rows))
    return {
        "period": period,
        # Ranked by total; those with no dossier in the period (no total) after, by name.
        "rows": sorted(
            rows, key=lambda r: (r["evaluation"].total is None, -(r["evaluation"].total or 0), r["agency"].name)
        ),
        "tiers": tier_rows,
        "figures": total,
        "unclassified": indices.derived(total)["feedback_unclassified"],
        "evaluation": indices.evaluate(total),
    }


def levels_by_tier() -> list[dict]:
    """The published procedures by online service level and tier (the table provinces publish)."""
    from procedures.constants import ServiceLevel, VersionStatus
    from procedures.models import ProcedureVersion

    tiers = [("at_province", "Cấp tỉnh"), ("at_commune", "Cấp xã"), ("at_ministry", "Cấp bộ, ngành (liên thông)")]
    current = ProcedureVersion.objects.filter(is_current=True, status=VersionStatus.PUBLISHED)
    aggregates = {
        f"{flag}_{level}": Count("pk", filter=Q(**{flag: True, "service_level": level}))
        for flag, _ in tiers
        for level in ServiceLevel.values
    }
    aggregates |= {f"all_{level}": Count("pk", filter=Q(service_level=level)) for level in ServiceLevel.values}
    counts = current.aggregate(**aggregates)
    rows = []
    for flag, label in [*tiers, ("all", "Toàn tỉnh")]:
        levels = {level: counts[f"{flag}_{level}"] for level in ServiceLevel.values}
        rows.append({"label": label, "levels": levels, "total": sum(levels.values())})
    return rows
