"""Queries of payments: what a dossier still owes, and what was paid."""

from dataclasses import dataclass

from django.db.models import Subquery, Sum

from dossiers.constants import Status
from procedures.constants import FeeCollection

from .constants import AttemptState
from .fees import FeesDue, dossier_fees, paid_before, payable_online
from .models import PaymentAttempt

# While the agency still handles the dossier, a fee collected before receipt can be paid.
BEFORE_RECEIPT_PAYABLE = (Status.SUBMITTED, Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT_REQUESTED)


@dataclass(frozen=True)
class PaymentDue:
    fees: FeesDue
    paid: int
    amount: int  # still to pay (VND)


def paid_amount(dossier) -> int:
    return int(
        PaymentAttempt.objects.filter(dossier=dossier, state=AttemptState.SUCCEEDED).aggregate(s=Sum("amount"))["s"]
        or 0
    )


def payment_due(dossier) -> PaymentDue | None:
    """What the citizen can pay online now, or None: the fee is online-payable (level 4),
    asked for (status 6), collected before receipt, or still owed when the result is
    ready (nothing is handed over unpaid), and not paid yet."""
    version = dossier.procedure_version
    if not payable_online(dossier):
        return None
    if not (
        dossier.status in (Status.AWAITING_PAYMENT, Status.RESOLVED)
        or (version.fee_collection == FeeCollection.BEFORE and dossier.status in BEFORE_RECEIPT_PAYABLE)
    ):
        return None
    return outstanding(dossier)


def attempts_of(dossier) -> list[PaymentAttempt]:
    return list(PaymentAttempt.objects.filter(dossier=dossier).order_by("-created_at", "-pk"))


def attempt_for_return(txn_ref: str) -> PaymentAttempt | None:
    return PaymentAttempt.objects.select_related("dossier__procedure_version").filter(txn_ref=txn_ref).first()


# A fee can be taken at the counter while the agency holds the dossier.
COUNTER_PAYABLE = (*BEFORE_RECEIPT_PAYABLE, Status.AWAITING_PAYMENT, Status.RESOLVED)


def counter_due(dossier) -> PaymentDue | None:
    """What a one-stop officer can still take in cash for this dossier (any level)."""
    if dossier.status not in COUNTER_PAYABLE:
        return None
    return outstanding(dossier)


def outstanding(dossier) -> PaymentDue | None:
    """What the dossier still owes (after exemptions and what was paid), or None: the fee
    lines, their exemptions and the sum paid in one query."""
    paid_so_far = (
        PaymentAttempt.objects.filter(dossier_id=dossier.pk, state=AttemptState.SUCCEEDED)
        .values("dossier_id")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    fees = dossier_fees(dossier, annotate={"paid_so_far": Subquery(paid_so_far)})
    if fees.total <= 0:
        return None
    paid = int(fees.extra.get("paid_so_far") or 0)
    if fees.total - paid <= 0:
        return None
    return PaymentDue(fees=fees, paid=paid, amount=fees.total - paid)


def unpaid_before(dossier, action: str) -> PaymentDue | None:
    """What must still be paid before ``action`` may be taken (``fees.paid_before``), or None."""
    if not paid_before(dossier, action):
        return None
    return outstanding(dossier)


def attempt_for_receipt(txn_ref: str, user) -> PaymentAttempt | None:
    """The attempt, if ``user`` owns its dossier or is an officer handling it."""
    from dossiers.selectors import officer_handles

    attempt = (
        PaymentAttempt.objects.select_related("dossier__procedure_version", "dossier__agency")
        .filter(txn_ref=txn_ref)
        .first()
    )
    if attempt is None:
        return None
    dossier = attempt.dossier
    if (dossier.owner_id is not None and dossier.owner_id == user.pk) or officer_handles(user, dossier):
        return attempt
    return None
