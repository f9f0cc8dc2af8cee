"""One dossier as the reports count it: the QĐ 766 rules applied to a single dossier, in
one place (research ``vietnam-domain.md`` §1.7, indicator 2.1).

- Only dossiers that were received are processed dossiers; the end of processing
  (``NgayKetThucXuLy``) is the time of the terminal status: result recorded ("Đã xử lý
  xong", kept even after "Đã trả kết quả"), stopped, withdrawn after receipt.
- A dossier waiting for a supplement the citizen has not sent ends, for the reports, at
  the time of the request; when the citizen answers it is in processing again.
- On time ⇔ end ≤ appointment date (``NgayHenTra``), compared by day (same day is "đúng
  hạn", before is "trước hạn"). The appointment date is the one given at receipt, moved
  by the supplement pauses (the clock stops from the request to the answer, so supplement
  time is excluded); a later apology with a new date does not make a late dossier on time.
- A second supplement request makes the dossier late (from the moment of that request).
- Without an appointment date: the legal time counted from the receipt plus the supplement
  pauses, if the procedure has one; with no legal time at all there is nothing to be late
  against and the dossier counts on time.
- Still open at the end of a period: late if the appointment date (or the second
  supplement request) is on or before that end (``late_from_on``).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch
from django.utils import timezone

from dossiers import deadlines
from dossiers.constants import Channel, Status

from .models import EndKind, Timeliness

END_KINDS = {
    Status.RESOLVED: EndKind.RESOLVED,
    Status.RETURNED: EndKind.RESOLVED,
    Status.STOPPED: EndKind.STOPPED,
    Status.WITHDRAWN: EndKind.WITHDRAWN,
}


def _day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localtime(moment).date() if moment is not None else None


def _synced(dossier) -> bool:
    try:
        return dossier.national_sync.first_sent_at is not None
    except ObjectDoesNotExist:
        return False


def load_dossiers(ids: list[int]):
    """The dossiers of ``ids`` with everything ``fact_values`` reads (a constant number of queries)."""
    from dossiers.models import Dossier, DossierDocument
    from payments.constants import AttemptState, Method
    from payments.models import PaymentAttempt

    return (
        Dossier.objects.filter(pk__in=ids)
        .select_related("procedure_version", "apology", "result", "rating", "national_sync")
        .prefetch_related(
            "supplements",
            "procedure_version__fees",
            Prefetch(
                "documents",
                queryset=DossierDocument.objects.select_related("stored_file").only(
                    "id", "dossier_id", "stored_file__id", "stored_file__created_at", "stored_file__source_dossier_id"
                ),
            ),
            Prefetch(
                "payment_attempts",
                queryset=PaymentAttempt.objects.filter(
                    state__in=[AttemptState.SUCCEEDED, AttemptState.REFUNDED], method=Method.VNPAY
                ).only("id", "dossier_id"),
                to_attr="online_payments",
            ),
        )
    )


def complained_ids(ids: list[int]) -> set[int]:
    """Dossiers of ``ids`` with citizen feedback about them (phản ánh về hồ sơ)."""
    from feedback.models import Feedback

    return set(Feedback.objects.filter(dossier_id__in=ids).values_list("dossier_id", flat=True))


def _related(dossier, name: str):
    try:
        return getattr(dossier, name)
    except Exception:  # RelatedObjectDoesNotExist of a reverse one-to-one
        return None


def fact_values(dossier, *, calendar: deadlines.WorkCalendar, complained: bool = False) -> dict[str, Any]:
    """The ``DossierFact`` fields of ``dossier`` (loaded by ``load_dossiers``)."""
    from feedback.constants import Satisfaction

    version = dossier.procedure_version
    supplements = sorted(dossier.supplements.all(), key=lambda s: (s.requested_at, s.pk))
    received = dossier.received_at
    apology = _related(dossier, "apology")
    result = _related(dossier, "result")
    rating = _related(dossier, "rating")

    ended_at, end_kind = None, ""
    if received is not None:
        if dossier.finished_at is not None and dossier.status in END_KINDS:
            ended_at, end_kind = dossier.finished_at, END_KINDS[dossier.status]
        elif dossier.status == Status.SUPPLEMENT_REQUESTED:
            waiting = [s for s in supplements if s.answered_at is None]
            if waiting:
                ended_at, end_kind = waiting[-1].requested_at, EndKind.SUPPLEMENT

    due = apology.old_due_at if apology is not None else dossier.due_at
    if due is None and received is not None and version.time_limit is not None:
        due = deadlines.due_at(
            received_at=received, amount=version.time_limit, unit=version.time_limit_unit, calendar=calendar
        )
        for s in supplements:
            if s.answered_at is not None:
                due = deadlines.due_after_pause(
                    due=due, paused_at=s.requested_at, resumed_at=s.answered_at, calendar=calendar
                )
    second_request = supplements[1].requested_at if len(supplements) >= 2 else None
    late_from = min([m for m in (due, second_request) if m is not None], default=None)

    timeliness = ""
    if ended_at is not None:
        if second_request is not None and second_request <= ended_at:
            timeliness = Timeliness.LATE
        elif due is None:
            timeliness = Timeliness.ON_TIME
        elif ended_at > due:
            timeliness = Timeliness.LATE
        else:
            timeliness = Timeliness.EARLY if _day(ended_at) < _day(due) else Timeliness.ON_TIME

    minutes = None
    if end_kind == EndKind.RESOLVED:
        minutes = deadlines.office_minutes_between(start=received, end=ended_at, calendar=calendar)
        for s in supplements:
            if s.answered_at is not None and s.requested_at < ended_at:
                minutes -= deadlines.office_minutes_between(
                    start=s.requested_at, end=min(s.answered_at, ended_at), calendar=calendar
                )
        minutes = max(minutes, 0)

    documents = [d for d in dossier.documents.all() if d.stored_file_id is not None]
    reused = any(
        (d.stored_file.source_dossier_id not in (None, dossier.pk)) or d.stored_file.created_at < dossier.created_at
        for d in documents
    )
    fee_due = any(int(fee.amount) > 0 for fee in version.fees.all())
    return {
        "agency_id": dossier.agency_id,
        "procedure_id": version.procedure_id,
        "channel": dossier.channel or Channel.COUNTER,
        "status": dossier.status,
        "created_on": _day(dossier.created_at),
        "submitted_on": _day(dossier.submitted_at),
        "received_on": _day(received),
        "ended_at": ended_at,
        "ended_on": _day(ended_at),
        "end_kind": end_kind,
        "timeliness": timeliness,
        "due_at": due,
        "late_from_on": _day(late_from) if received is not None else None,
        "supplements": len(supplements),
        "processing_minutes": minutes,
        "fee_due": fee_due,
        "paid_online": bool(dossier.online_payments),
        "digitised": bool(documents),
        "reused": reused,
        "synced": _synced(dossier),
        "e_result": result is not None and result.stored_file_id is not None,
        "returned": dossier.status == Status.RETURNED,
        "complained": complained or (rating is not None and rating.overall == Satisfaction.DISSATISFIED),
        "rated_on": _day(rating.created_at) if rating is not None else None,
        "rating": rating.overall if rating is not None else "",
    }


# The fields whose days a change of the fact can move (the rollup rows to recompute).
DAY_FIELDS = ("created_on", "submitted_on", "received_on", "ended_on", "late_from_on", "rated_on")
