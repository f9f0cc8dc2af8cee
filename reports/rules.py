"""How each report figure is counted from ``DossierFact`` rows — one definition used by the
rollups (per day), the drill-down (the dossiers behind a figure) and the tests' direct
counts, so the three cannot disagree.

A daily count is (the fact's day field that places it on a day, a filter on the facts).
A period figure is either the sum of a daily count over the period's days, or a stock
at a moment (open dossiers), defined by ``stock_filter``.
"""

import datetime

from django.db.models import F, Q

from dossiers.constants import Channel
from feedback.constants import Satisfaction

from .models import EndKind, Timeliness

SATISFIED = [Satisfaction.VERY_SATISFIED, Satisfaction.SATISFIED]

DAILY_RULES: dict[str, tuple[str, Q]] = {
    "submitted": ("submitted_on", Q()),
    "submitted_online": ("submitted_on", Q(channel=Channel.ONLINE)),
    "received": ("received_on", Q()),
    "received_online": ("received_on", Q(channel=Channel.ONLINE)),
    "received_post": ("received_on", Q(channel=Channel.POST)),
    "ended": ("ended_on", Q()),
    "ended_early": ("ended_on", Q(timeliness=Timeliness.EARLY)),
    "ended_on_time": ("ended_on", Q(timeliness=Timeliness.ON_TIME)),
    "ended_late": ("ended_on", Q(timeliness=Timeliness.LATE)),
    "ended_resolved": ("ended_on", Q(end_kind=EndKind.RESOLVED)),
    "ended_stopped": ("ended_on", Q(end_kind=EndKind.STOPPED)),
    "ended_withdrawn": ("ended_on", Q(end_kind=EndKind.WITHDRAWN)),
    "ended_supplement": ("ended_on", Q(end_kind=EndKind.SUPPLEMENT)),
    "ended_complained": ("ended_on", Q(complained=True)),
    # Of those, the ones also late: 766 5.4 takes each unsatisfied dossier off once.
    "ended_complained_late": ("ended_on", Q(complained=True, timeliness=Timeliness.LATE)),
    "resolved_e_result": ("ended_on", Q(end_kind=EndKind.RESOLVED, e_result=True)),
    # Open and late: from the day it became late while still open …
    "late_open_start": ("late_from_on", Q(ended_on__isnull=True) | Q(ended_on__gt=F("late_from_on"))),
    # … until the day it ended.
    "late_open_stop": ("ended_on", Q(late_from_on__lt=F("ended_on"))),
    "fee_due": ("received_on", Q(fee_due=True)),
    "paid_online": ("received_on", Q(fee_due=True, paid_online=True)),
    "digitised": ("received_on", Q(digitised=True)),
    "reused": ("received_on", Q(reused=True)),
    # 766 1.4: received dossiers the national portal has (their first push went out).
    "synced": ("received_on", Q(synced=True)),
    "ratings": ("rated_on", Q()),
    "ratings_satisfied": ("rated_on", Q(rating__in=SATISFIED)),
    "ratings_dissatisfied": ("rated_on", Q(rating=Satisfaction.DISSATISFIED)),
}

# The stocks of a period: dossiers open at a moment (end of a day).
STOCKS = ("carried", "open_end", "open_late")


def stock_filter(name: str, *, first: datetime.date, as_of: datetime.date) -> Q:
    """``carried``: open when the period began (received before, not ended before);
    ``open_end``: still open at the end of ``as_of``; ``open_late``: of those, late by then."""
    if name == "carried":
        return Q(received_on__lt=first) & (Q(ended_on__isnull=True) | Q(ended_on__gte=first))
    open_end = Q(received_on__lte=as_of) & (Q(ended_on__isnull=True) | Q(ended_on__gt=as_of))
    if name == "open_end":
        return open_end
    if name == "open_late":
        return open_end & Q(late_from_on__lte=as_of)
    raise KeyError(name)


# Figures the 766 indices combine from the others (``indices.derived``: 2.1 counts the dossiers
# ended in the period and those still open at its end; 5.4 those of them neither late nor
# complained of), with the facts behind each, so that a drill-down lists exactly the dossiers
# its figure counts.
COMPOSITES = ("handled", "handled_late", "handled_on_time", "satisfied")


def period_filter(name: str, *, first: datetime.date, last: datetime.date, as_of: datetime.date) -> Q:
    """The facts behind figure ``name`` of the period ``first``–``last`` (stocks at ``as_of``)."""
    if name in STOCKS:
        return stock_filter(name, first=first, as_of=as_of)
    if name in COMPOSITES:
        ended = period_filter("ended", first=first, last=last, as_of=as_of)
        open_end = stock_filter("open_end", first=first, as_of=as_of)
        late_ended, late_open = Q(timeliness=Timeliness.LATE), Q(late_from_on__lte=as_of)
        return {
            "handled": ended | open_end,
            "handled_late": (ended & late_ended) | (open_end & late_open),
            "handled_on_time": (ended & ~late_ended) | (open_end & ~late_open),
            # 766 5.4: handled on time, and ended without a complaint or a dissatisfied rating.
            "satisfied": (ended & ~late_ended & ~Q(complained=True)) | (open_end & ~late_open),
        }[name]
    field, condition = DAILY_RULES[name]
    return Q(**{f"{field}__gte": first, f"{field}__lte": last}) & condition


# The monthly per-procedure counts: (day field, filter, summed field or None to count).
MONTHLY_RULES: dict[str, tuple[str, Q, str | None]] = {
    "started_online": ("created_on", Q(channel=Channel.ONLINE), None),
    "cohort_submitted": ("created_on", Q(channel=Channel.ONLINE, submitted_on__isnull=False), None),
    "cohort_received": ("created_on", Q(channel=Channel.ONLINE, received_on__isnull=False), None),
    "cohort_returned": ("created_on", Q(channel=Channel.ONLINE, returned=True), None),
    "received": ("received_on", Q(), None),
    "received_online": ("received_on", Q(channel=Channel.ONLINE), None),
    "resolved": ("ended_on", Q(end_kind=EndKind.RESOLVED), None),
    "resolved_minutes": ("ended_on", Q(end_kind=EndKind.RESOLVED), "processing_minutes"),
}
