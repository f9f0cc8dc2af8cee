"""Changes to the payments ledger: creating attempts, moving them through the state graph
(``payments.states``) with an audit row, and applying what the gateway says (the IPN).

The IPN (``vnpay_ipn``) is the only thing that marks an online payment succeeded. It runs
in one transaction with the attempt locked, so duplicated or concurrent calls for one
attempt credit it once; it answers VNPay's ``RspCode`` exactly as the protocol defines.
"""

import datetime
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from portal.text import thousands

from . import states, vnpay
from .constants import COUNTER_METHODS, AttemptState, Method, Source
from .models import AttemptChange, FeeExemption, PaymentAttempt

logger = logging.getLogger(__name__)


def new_txn_ref(now: datetime.datetime | None = None) -> str:
    """``TT`` + GMT+7 date and time + 8 random characters: never repeated within a day,
    as VNPay requires, and not guessable."""
    now = now or timezone.now()
    return f"TT{vnpay.vnp_time(now)[2:]}{secrets.token_hex(4).upper()}"


def attempt_create(
    *, dossier, amount: int, method: str = Method.VNPAY, payer=None, lines: list | None = None, minutes: int = 15
) -> PaymentAttempt:
    """A new attempt for ``amount`` VND (a positive whole number)."""
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise ValidationError({"amount": "Số tiền phải là số nguyên dương (đồng)."})
    now = timezone.now()
    return PaymentAttempt.objects.create(
        txn_ref=new_txn_ref(now),
        dossier=dossier,
        payer=payer,
        method=method,
        amount=amount,
        lines=lines or [],
        expires_at=now + datetime.timedelta(minutes=minutes),
    )


class MoveRefused(Exception):
    """The state graph does not allow this move."""


def attempt_move(
    attempt: PaymentAttempt, to_state: str, *, source: str, actor=None, note: str = "", payload: dict | None = None
) -> AttemptChange:
    """Move a locked attempt to ``to_state`` with its audit row (call inside a transaction,
    on an attempt read ``select_for_update``)."""
    if not states.allowed(attempt.state, to_state):
        raise MoveRefused(f"{attempt.state} → {to_state}")
    change = AttemptChange.objects.create(
        attempt=attempt,
        from_state=attempt.state,
        to_state=to_state,
        source=source,
        actor=actor,
        note=note,
        payload=payload or {},
    )
    attempt.state = to_state
    fields = ["state", "updated_at"]
    if to_state == AttemptState.SUCCEEDED:
        attempt.succeeded_at = timezone.now()
        fields.append("succeeded_at")
    attempt.save(update_fields=fields)
    return change


def attempt_redirect(*, attempt: PaymentAttempt, ip_address: str, return_url: str, info: str) -> str:
    """The URL that sends the citizen to the attempt's gateway (created → pending)."""
    from .gateways import adapter

    url = adapter(attempt.method).redirect_url(attempt, ip_address=ip_address, return_url=return_url, info=info)
    with transaction.atomic():
        locked = PaymentAttempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.state == AttemptState.CREATED:
            attempt_move(locked, AttemptState.PENDING, source=Source.PORTAL)
    return url


def payment_start(*, dossier, due, payer, ip_address: str, return_url: str) -> tuple[PaymentAttempt, str]:
    """The citizen pays what is ``due`` on ``dossier`` online (``selectors.payment_due``):
    a new attempt for the amount with its fee lines, and the gateway URL to send them to.
    One path for the payment page and the API. An earlier attempt that may still take the
    money is settled or waited for first (``reconciliation.dossier_open_attempts_settle``),
    under the dossier's lock, so a retry after a gateway that timed out never pays twice."""
    from dossiers.models import Dossier

    from . import reconciliation, selectors

    if reconciliation.dossier_open_attempts_settle(dossier=dossier):  # committed: a credit stays
        due = selectors.payment_due(Dossier.objects.get(pk=dossier.pk))
        if due is None:
            raise ValidationError("Cổng thanh toán đã xác nhận lần thanh toán trước; hồ sơ không còn khoản phải nộp.")
    with transaction.atomic():
        Dossier.objects.select_for_update().filter(pk=dossier.pk).first()
        reconciliation.dossier_open_attempts_settle(dossier=dossier)  # again under the lock: a double click
        attempt = attempt_create(
            dossier=dossier, amount=due.amount, payer=payer, lines=[line.as_dict() for line in due.fees.lines]
        )
    url = attempt_redirect(
        attempt=attempt,
        ip_address=ip_address or "127.0.0.1",
        return_url=return_url,
        info=f"Nộp phí, lệ phí hồ sơ {dossier.code}",
    )
    return attempt, url


@dataclass(frozen=True)
class IpnOutcome:
    reply: dict
    attempt_id: int | None = None
    credited: bool = False  # this call turned the attempt succeeded


def _outcome_state(result: vnpay.GatewayResult) -> str:
    if result.succeeded:
        return AttemptState.SUCCEEDED
    if result.needs_review:
        return AttemptState.NEEDS_REVIEW
    if result.response_code == vnpay.CANCELLED:
        return AttemptState.CANCELLED
    if result.response_code == vnpay.EXPIRED:
        return AttemptState.EXPIRED
    return AttemptState.FAILED


def vnpay_ipn(params: dict[str, str]) -> IpnOutcome:
    """Apply one IPN call from VNPay; the reply to send back.

    Order of checks as VNPay's demo: signature (97) → attempt (01) → amount (04) →
    already settled (02) → record success or failure (00); anything unexpected is 99. What
    the answer does to the ledger is ``ledger.answer_apply``, as for the query and the
    statement."""
    from .ledger import GatewayAnswer, answer_apply

    try:
        if not vnpay.verify(params, settings.VNPAY_HASH_SECRET):
            return IpnOutcome(vnpay.ipn_reply("97"))
        result = vnpay.read_result(params)
        if result.tmn_code != settings.VNPAY_TMN_CODE:
            return IpnOutcome(vnpay.ipn_reply("97"))
        with transaction.atomic():
            attempt = PaymentAttempt.objects.select_for_update().filter(txn_ref=result.txn_ref).first()
            if attempt is None:
                return IpnOutcome(vnpay.ipn_reply("01"))
            answer = GatewayAnswer(
                source=Source.IPN,
                outcome=_outcome_state(result),
                amount=result.amount,
                transaction_no=result.transaction_no,
                bank_code=result.bank_code,
                response_code=result.response_code,
                transaction_status=result.transaction_status,
                payload={k: v for k, v in params.items() if k != "vnp_SecureHash"},
            )
            if result.amount != attempt.amount:
                answer_apply(attempt, answer)  # recorded for refund, never ignored
                return IpnOutcome(vnpay.ipn_reply("04"), attempt.pk)
            if attempt.state in states.SETTLED:
                return IpnOutcome(vnpay.ipn_reply("02"), attempt.pk)
            applied = answer_apply(attempt, answer)
            return IpnOutcome(vnpay.ipn_reply("00"), attempt.pk, credited=applied.credited)
    except Exception:  # noqa: BLE001 - the protocol's answer to anything unexpected is 99
        logger.exception("VNPay IPN failed")
        return IpnOutcome(vnpay.ipn_reply("99"))


def dossier_credit(attempt: PaymentAttempt) -> bool:
    """A succeeded attempt pays its dossier: one waiting for the fee (status 6) goes back to
    processing with the clock resumed, in the same transaction, by the portal itself. A fee
    paid before receipt (thu trước), or a part of what is owed, needs no move: the ledger
    shows it paid."""
    from dossiers import workflow
    from dossiers.constants import Status
    from dossiers.models import Dossier

    from .events import payment_recorded

    dossier = Dossier.objects.select_for_update().get(pk=attempt.dossier_id)
    if dossier.status != Status.AWAITING_PAYMENT or workflow.ACTIONS["payment_confirmed"].held_reason(dossier):
        # Not waiting for the fee, or still owing part of it: the ledger shows what was paid.
        payment_recorded.send(sender=PaymentAttempt, attempt=attempt)
        return False
    workflow.dossier_transition(
        dossier=dossier,
        action="payment_confirmed",
        actor=workflow.SYSTEM,
        note=f"Đã nộp {thousands(attempt.amount)} đồng trực tuyến, mã giao dịch {attempt.txn_ref}",
    )
    return True


def counter_payment_record(
    *,
    dossier,
    officer,
    amount,
    method: str = Method.CASH,
    receipt_number: str = "",
    now: datetime.datetime | None = None,
) -> PaymentAttempt:
    """A one-stop officer takes the fee at the counter (thu tại quầy), in cash or by card,
    against the agency's receipt (biên lai) whose number is recorded: one attempt in the
    same ledger, succeeded at once, with the officer as its actor; a dossier waiting for its
    fee goes back to processing. ``amount`` as typed; it must be whole đồng, more than
    nothing and no more than is due. Every refusal at once, each at its field."""
    from accounts.access import is_one_stop_officer
    from dossiers import workflow
    from dossiers.constants import Status

    from .selectors import counter_due

    if not is_one_stop_officer(officer, dossier.agency_id):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("Chỉ cán bộ một cửa của cơ quan thu phí, lệ phí tại quầy.")
    due = counter_due(dossier)
    if due is None:
        raise ValidationError({"amount": "Hồ sơ không còn khoản phí, lệ phí nào phải nộp."})
    errors = {}
    raw = str(amount if amount is not None else "").strip().replace(".", "").replace(" ", "")
    value = int(raw) if raw.isdigit() else 0
    if value <= 0:
        errors["amount"] = "Hãy nhập số tiền đã thu, là số nguyên dương (đồng), ví dụ 100000."
    elif value > due.amount:
        errors["amount"] = f"Số tiền vượt quá số phải nộp ({thousands(due.amount)} đồng)."
    if method not in COUNTER_METHODS:
        errors["method"] = "Hãy chọn hình thức thu: tiền mặt hoặc thẻ."
    receipt_number = str(receipt_number or "").strip()
    if not receipt_number:
        errors["receipt_number"] = "Hãy nhập số biên lai thu phí, lệ phí đã giao cho người nộp."
    elif len(receipt_number) > 50:
        errors["receipt_number"] = "Số biên lai tối đa 50 ký tự."
    if errors:
        raise ValidationError(errors)
    label = Method(method).label
    with transaction.atomic():
        attempt = attempt_create(
            dossier=dossier,
            amount=value,
            method=method,
            payer=dossier.owner,
            lines=[line.as_dict() for line in due.fees.lines],
        )
        attempt.recorded_by = officer
        attempt.counter_receipt_number = receipt_number
        attempt.save(update_fields=["recorded_by", "counter_receipt_number"])
        attempt_move(attempt, AttemptState.PENDING, source=Source.OFFICER, actor=officer)
        attempt_move(
            attempt,
            AttemptState.SUCCEEDED,
            source=Source.OFFICER,
            actor=officer,
            note=f"{label}, biên lai {receipt_number}",
        )
        if dossier.status == Status.AWAITING_PAYMENT and value == due.amount:
            workflow.dossier_transition(
                dossier=dossier,
                action="payment_confirmed",
                actor=officer,
                note=f"Thu {thousands(value)} đồng ({label.lower()}), biên lai số {receipt_number}",
                now=now,
            )
        else:
            from .events import payment_recorded

            payment_recorded.send(sender=PaymentAttempt, attempt=attempt)
    return attempt


def fee_exemption_record(*, dossier, officer, fee_ids, reason: str) -> list[FeeExemption]:
    """The desk records that the applicant is exempt from some fee lines of this dossier
    (miễn phí, lệ phí), with the reason (the legal ground and the paper seen). Only lines of
    the dossier's version that are still owed; a dossier waiting for its fee whose remaining
    fee is now nothing goes back to processing."""
    from django.core.exceptions import PermissionDenied

    from accounts.access import is_one_stop_officer
    from dossiers import workflow
    from dossiers.constants import Status

    from .selectors import counter_due, outstanding

    if not is_one_stop_officer(officer, dossier.agency_id):
        raise PermissionDenied("Chỉ cán bộ một cửa của cơ quan ghi nhận miễn phí, lệ phí.")
    due = counter_due(dossier)
    if due is None:
        raise ValidationError({"fees": "Hồ sơ không còn khoản phí, lệ phí nào phải nộp."})
    owed = {line.fee_id for line in due.fees.lines if line.due > 0}
    chosen = {int(v) for v in (fee_ids or []) if str(v).strip().isdigit()}
    errors = {}
    if not chosen:
        errors["fees"] = "Hãy chọn khoản phí, lệ phí được miễn."
    elif not chosen <= owed:
        errors["fees"] = "Khoản được chọn không thuộc các khoản hồ sơ còn phải nộp."
    reason = str(reason or "").strip()
    if not reason:
        errors["reason"] = "Hãy ghi rõ lý do miễn (căn cứ và giấy tờ chứng minh)."
    elif len(reason) > 2000:
        errors["reason"] = f"Lý do tối đa 2000 ký tự; nội dung này có {len(reason)} ký tự."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        from dossiers.models import Dossier

        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        rows = [
            FeeExemption.objects.get_or_create(
                dossier=locked, fee_id=fee_id, defaults={"reason": reason, "recorded_by": officer}
            )[0]
            for fee_id in sorted(chosen)
        ]
        if locked.status == Status.AWAITING_PAYMENT and outstanding(locked) is None:
            workflow.dossier_transition(
                dossier=locked, action="payment_confirmed", actor=officer, note=f"Được miễn phí, lệ phí: {reason}"
            )
            dossier.status = locked.status
    return rows


class RefundRefused(Exception):
    """The refund could not be made (not refundable here, or the gateway said no)."""


def refund_full(*, attempt: PaymentAttempt, officer, reason: str) -> PaymentAttempt:
    """Give back the whole amount of an online payment (hoàn tiền) through the gateway:
    a finance officer's decision, with the reason, audited; the attempt becomes refunded
    only when the gateway says it is done. The row stays locked during the call, so two
    officers cannot refund one payment twice."""
    from .gateways import GatewayError, adapter

    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Hãy ghi rõ lý do hoàn tiền."})
    with transaction.atomic():
        locked = PaymentAttempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.method in (Method.CASH, Method.TRANSFER):
            raise RefundRefused("Chỉ hoàn tiền qua cổng thanh toán cho khoản nộp trực tuyến.")
        if not states.allowed(locked.state, AttemptState.REFUNDED):
            raise RefundRefused(
                f"Giao dịch {locked.txn_ref} đang “{locked.get_state_display()}”, không hoàn tiền được."
            )
        try:
            done, answer = adapter(locked.method).refund(locked, by=getattr(officer, "username", "") or "portal")
        except GatewayError as exc:
            raise RefundRefused(str(exc)) from exc
        if not done:
            raise RefundRefused(f"Cổng thanh toán từ chối hoàn tiền (mã {answer.get('vnp_ResponseCode')}).")
        attempt_move(locked, AttemptState.REFUNDED, source=Source.OFFICER, actor=officer, note=reason, payload=answer)
    return locked
