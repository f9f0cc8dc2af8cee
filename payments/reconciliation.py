"""Reconciliation (đối soát): the ledger against what the gateway says.

* ``pending_reconcile`` — attempts still open 15 minutes after they were made (their IPN
  may be lost), or about to expire, are asked about with the transaction query; the answer
  moves them as an IPN would (source "query"), a success crediting the dossier.
* ``statement_reconcile`` — the gateway's daily statement, line by line, against the
  ledger: a payment the gateway has and the ledger does not (credited now, towards what
  the gateway confirms), a different amount, a line twice, and a ledger success the
  statement lacks. Every one is a ``Discrepancy`` for finance officers; what could be
  put right at once is marked resolved with how.
"""

import csv
import datetime
import io
import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import services, states
from .constants import AttemptState, DiscrepancyKind, Method, Source
from .gateways import GatewayError, GatewayStatus, adapter
from .ledger import GatewayAnswer, answer_apply, discrepancy_record
from .models import Discrepancy, PaymentAttempt

logger = logging.getLogger(__name__)

PENDING_AFTER = datetime.timedelta(minutes=15)
EXPIRING_WITHIN = datetime.timedelta(minutes=2)
CHUNK = 2000


def _apply_status(attempt: PaymentAttempt, found: GatewayStatus, now: datetime.datetime) -> str:
    """Move a locked attempt by what its gateway's query says (``ledger.answer_apply``, as
    an IPN would); returns its state afterwards."""
    payload = found.raw or {}
    expired = attempt.expires_at is not None and now > attempt.expires_at
    if not found.answered:
        return attempt.state  # the query failed: ask again next time
    if not found.known or found.state is None:  # never seen, or never completed
        if expired and states.allowed(attempt.state, AttemptState.EXPIRED):
            services.attempt_move(attempt, AttemptState.EXPIRED, source=Source.QUERY, payload=payload)
        return attempt.state
    answer = GatewayAnswer(
        source=Source.QUERY,
        outcome=found.state,
        # The query tells an amount worth comparing only for a payment it says went through.
        amount=found.amount if found.state == AttemptState.SUCCEEDED else attempt.amount,
        transaction_no=found.transaction_no,
        payload=payload,
    )
    return answer_apply(attempt, answer).state


def pending_reconcile(*, now: datetime.datetime | None = None, limit: int = 500) -> dict[str, int]:
    """Ask the gateway about open online attempts made 15 minutes ago or more, or about to
    expire. Returns how many ended in each state."""
    now = now or timezone.now()
    old_or_expiring = Q(created_at__lte=now - PENDING_AFTER) | Q(expires_at__lte=now + EXPIRING_WITHIN)
    candidates = PaymentAttempt.objects.filter(
        old_or_expiring, method=Method.VNPAY, state__in=[AttemptState.CREATED, AttemptState.PENDING]
    ).order_by("created_at")[:limit]
    tally: dict[str, int] = {}
    for attempt in candidates:
        try:
            state = attempt_reconcile(attempt, now=now)
        except GatewayError as exc:
            logger.warning("querydr %s: %s", attempt.txn_ref, exc)
            tally["error"] = tally.get("error", 0) + 1
            continue
        if state is not None:
            tally[state] = tally.get(state, 0) + 1
    return tally


def attempt_reconcile(attempt: PaymentAttempt, *, now: datetime.datetime | None = None) -> str | None:
    """Ask the gateway about one open attempt and move it by the answer: its state afterwards,
    None if it was settled meanwhile (its IPN arrived). Raises ``GatewayError`` when the
    gateway cannot be asked (down, timing out)."""
    now = now or timezone.now()
    found = adapter(attempt.method).query(attempt)
    with transaction.atomic():
        locked = PaymentAttempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.state not in states.OPEN:
            return None
        return _apply_status(locked, found, now)


def dossier_open_attempts_settle(*, dossier, now: datetime.datetime | None = None) -> bool:
    """Before a new online attempt for ``dossier``: none of its earlier ones may still take
    the citizen's money, or it would be taken twice. One not expired yet is waited for (the
    citizen may still be on the gateway's page, or the gateway slow to confirm: a timeout
    tells nothing); an expired one is asked about now. Raises ``ValidationError`` saying
    what to do; True when an earlier attempt turned out paid (the dossier is credited)."""
    from django.core.exceptions import ValidationError

    now = now or timezone.now()
    paid = False
    earlier = PaymentAttempt.objects.filter(dossier=dossier, method=Method.VNPAY, state__in=states.OPEN)
    for attempt in earlier.order_by("created_at"):
        if attempt.expires_at is None or attempt.expires_at > now:
            until = timezone.localtime(attempt.expires_at or now + datetime.timedelta(minutes=15))
            raise ValidationError(
                f"Giao dịch {attempt.txn_ref} đang chờ cổng thanh toán xác nhận. Nếu bạn đã thanh toán, kết quả "
                f"sẽ được cập nhật, đừng thanh toán lại; nếu chưa, hãy thử lại sau {until:%H:%M}."
            )
        try:
            state = attempt_reconcile(attempt, now=now)
        except GatewayError as exc:
            logger.warning("querydr %s before a new attempt: %s", attempt.txn_ref, exc)
            state = AttemptState.PENDING
        if state in states.OPEN:
            raise ValidationError(
                f"Chưa kiểm tra được kết quả giao dịch {attempt.txn_ref} với cổng thanh toán. Để không bị trừ "
                "tiền hai lần, hãy thử lại sau ít phút."
            )
        paid = paid or state == AttemptState.SUCCEEDED
    return paid


# --- the daily statement ---------------------------------------------------------------------


@dataclass
class StatementResult:
    lines: int = 0
    matched: int = 0
    credited: int = 0
    discrepancies: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str) -> None:
        self.discrepancies[kind] = self.discrepancies.get(kind, 0) + 1


def parse_statement(text: str) -> list[dict]:
    """The statement's lines (CSV with a header: txn_ref, transaction_no, amount, status, pay_date)."""
    reader = csv.DictReader(io.StringIO(text))
    lines = []
    for row in reader:
        raw = (row.get("amount") or "").strip()
        lines.append(
            {
                "txn_ref": (row.get("txn_ref") or "").strip(),
                "transaction_no": (row.get("transaction_no") or "").strip(),
                "amount": int(raw) if raw.isdigit() else None,
                "status": (row.get("status") or "").strip(),
                "pay_date": (row.get("pay_date") or "").strip(),
            }
        )
    return lines


def statement_reconcile(*, day: datetime.date, lines: list[dict]) -> StatementResult:
    """Match the statement of ``day`` against the ledger; record what differs, once: a
    statement read again (or a day read twice) finds nothing new. A line for an attempt
    is applied as the IPN and the query apply theirs (``ledger.answer_apply``)."""
    result = StatementResult(lines=len(lines))
    seen: dict[str, int] = {}
    refs = [line["txn_ref"] for line in lines if line["txn_ref"]]
    attempts: dict[str, PaymentAttempt] = {}
    for start in range(0, len(refs), CHUNK):
        chunk = refs[start : start + CHUNK]
        attempts.update({a.txn_ref: a for a in PaymentAttempt.objects.filter(txn_ref__in=chunk)})
    stamp = f"{day:%Y%m%d}"

    def record(kind: str, key: str, ref: str, **fields) -> None:
        if discrepancy_record(kind=kind, key=key, txn_ref=ref, **fields) is not None:
            result.count(kind)

    for line in lines:
        ref = line["txn_ref"]
        seen[ref] = seen.get(ref, 0) + 1
        if seen[ref] > 1:
            record(DiscrepancyKind.DUPLICATE, f"{stamp}:{seen[ref]}", ref, attempt=attempts.get(ref), detail=line)
            continue
        attempt = attempts.get(ref)
        if attempt is None:
            record(DiscrepancyKind.PAID_NOT_RECORDED, f"{stamp}:{line['transaction_no']}", ref, detail=line)
            continue
        if attempt.state == AttemptState.SUCCEEDED and line["amount"] == attempt.amount:
            result.matched += 1
            continue
        with transaction.atomic():
            locked = PaymentAttempt.objects.select_for_update().get(pk=attempt.pk)
            was = locked.state
            applied = answer_apply(
                locked,
                GatewayAnswer(
                    source=Source.STATEMENT,
                    outcome=AttemptState.SUCCEEDED,
                    amount=line["amount"],
                    transaction_no=line["transaction_no"],
                    payload=line,
                ),
            )
            if applied.amount_mismatch:
                if applied.new_discrepancy:
                    result.count(DiscrepancyKind.AMOUNT_MISMATCH)
                continue
            # The gateway has the money and the ledger did not say so: corrected towards it.
            result.credited += int(applied.credited)
            record(
                DiscrepancyKind.PAID_NOT_RECORDED,
                f"{stamp}:{line['transaction_no']}",
                ref,
                attempt=locked,
                detail={**line, "ledger_state": was},
                resolution="Ghi nhận thành công theo sao kê (tự động)." if applied.credited else "",
                resolved_at=timezone.now() if applied.credited else None,
            )
    # Successes the ledger has for that day that the statement lacks.
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    end = start + datetime.timedelta(days=1)
    in_statement = set(seen)
    for attempt in PaymentAttempt.objects.filter(
        method=Method.VNPAY, state=AttemptState.SUCCEEDED, succeeded_at__gte=start, succeeded_at__lt=end
    ).only("pk", "txn_ref", "amount"):
        if attempt.txn_ref not in in_statement:
            record(
                DiscrepancyKind.RECORDED_NOT_PAID,
                stamp,
                attempt.txn_ref,
                attempt=attempt,
                detail={"day": stamp, "amount": attempt.amount},
            )
    return result


def statement_fetch_and_reconcile(*, day: datetime.date) -> StatementResult:
    return statement_reconcile(day=day, lines=parse_statement(adapter(Method.VNPAY).statement(day)))


def discrepancy_resolve(*, discrepancy: Discrepancy, officer, resolution: str) -> Discrepancy:
    """A finance officer closes a discrepancy, saying how (audited: who, when, how)."""
    from django.core.exceptions import ValidationError

    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError({"resolution": "Hãy ghi rõ cách đã xử lý chênh lệch."})
    if discrepancy.resolved_at is not None:
        raise ValidationError({"resolution": "Chênh lệch này đã được xử lý."})
    discrepancy.resolution = resolution[:2000]
    discrepancy.resolved_by = officer
    discrepancy.resolved_at = timezone.now()
    discrepancy.save(update_fields=["resolution", "resolved_by", "resolved_at"])
    return discrepancy
