"""Applying what a payment gateway says to the ledger (sổ thanh toán): one function for the
three ways the portal hears it — the IPN, the transaction query (querydr) and the daily
statement — so they credit, flag and record alike; and one way to record a discrepancy,
never twice for the same finding however often the gateway repeats itself.

The callers keep only what their channel adds: the IPN's protocol answers (97, 01, 04, 02,
00, 99, ``payments.services.vnpay_ipn``), the query's "not completed yet" and the
statement's own comparisons (a line the ledger lacks, a line twice, a success the statement
lacks; ``payments.reconciliation``).
"""

from dataclasses import dataclass, field

from . import states
from .constants import AttemptState, DiscrepancyKind
from .models import Discrepancy, PaymentAttempt


@dataclass(frozen=True)
class GatewayAnswer:
    """What the gateway says about one attempt, from any channel.

    ``outcome`` is the ``AttemptState`` it reports (succeeded, needs review, failed,
    cancelled, expired); ``source`` is ``constants.Source`` (ipn, query, statement)."""

    source: str
    outcome: str
    amount: int | None
    transaction_no: str = ""
    bank_code: str = ""
    response_code: str = ""
    transaction_status: str = ""
    payload: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Applied:
    state: str  # the attempt's state afterwards
    amount_mismatch: bool = False  # the gateway's amount differs: recorded, nothing credited
    new_discrepancy: bool = False  # this answer recorded a finding not known before
    credited: bool = False  # this answer turned the attempt succeeded


def discrepancy_record(*, kind: str, key: str, txn_ref: str, attempt=None, detail: dict | None = None, **extra):
    """Record a finding for the finance officers once: the same ``kind`` and ``key`` (what
    makes it the same finding, e.g. the gateway's transaction, amount and outcome) on the
    same transaction reference is not recorded again. Returns the new row, or None."""
    exists = Discrepancy.objects.filter(kind=kind, txn_ref=txn_ref, detail__key=key).exists()
    if exists:
        return None
    return Discrepancy.objects.create(
        kind=kind, txn_ref=txn_ref, attempt=attempt, detail={**(detail or {}), "key": key}, **extra
    )


def answer_apply(attempt: PaymentAttempt, answer: GatewayAnswer) -> Applied:
    """Move a locked attempt (read ``select_for_update`` inside a transaction) by what the
    gateway says: a different amount is a discrepancy and puts a possible payment under
    review, never a credit; otherwise the gateway's references are kept, the attempt moves
    towards the outcome as the state graph allows (through pending), a payment that needs
    review is a discrepancy, and a success credits the dossier."""
    from .services import attempt_move, dossier_credit

    payload = answer.payload or {}
    possibly_paid = answer.outcome in (AttemptState.SUCCEEDED, AttemptState.NEEDS_REVIEW)
    if answer.amount != attempt.amount:
        found = discrepancy_record(
            kind=DiscrepancyKind.AMOUNT_MISMATCH,
            key=f"{answer.transaction_no}:{answer.amount}:{answer.outcome}",
            txn_ref=attempt.txn_ref,
            attempt=attempt,
            detail={"expected": attempt.amount, "received": answer.amount, "source": answer.source, "params": payload},
        )
        if possibly_paid and states.allowed(attempt.state, AttemptState.NEEDS_REVIEW):
            if attempt.state == AttemptState.CREATED:
                attempt_move(attempt, AttemptState.PENDING, source=answer.source)
            attempt_move(
                attempt,
                AttemptState.NEEDS_REVIEW,
                source=answer.source,
                note=f"Số tiền không khớp: cần {attempt.amount}, cổng báo {answer.amount}",
                payload=payload,
            )
        return Applied(attempt.state, amount_mismatch=True, new_discrepancy=found is not None)
    references = {
        "gateway_transaction_no": answer.transaction_no[:40],
        "bank_code": answer.bank_code[:20],
        "response_code": answer.response_code[:4],
        "transaction_status": answer.transaction_status[:4],
    }
    changed = [name for name, value in references.items() if value and getattr(attempt, name) != value]
    for name in changed:
        setattr(attempt, name, references[name])
    if changed:
        attempt.save(update_fields=changed)
    if not states.allowed(attempt.state, answer.outcome):
        return Applied(attempt.state)
    if attempt.state == AttemptState.CREATED and possibly_paid:
        attempt_move(attempt, AttemptState.PENDING, source=answer.source, note="Cổng báo trước khi chuyển hướng")
    attempt_move(attempt, answer.outcome, source=answer.source, payload=payload)
    if answer.outcome == AttemptState.NEEDS_REVIEW:
        discrepancy_record(
            kind=DiscrepancyKind.NEEDS_REVIEW,
            key=f"{answer.transaction_no}:{answer.response_code}:{answer.transaction_status}",
            txn_ref=attempt.txn_ref,
            attempt=attempt,
            detail={"source": answer.source, "params": payload},
        )
    credited = answer.outcome == AttemptState.SUCCEEDED
    if credited:
        dossier_credit(attempt)
    return Applied(attempt.state, credited=credited)
