"""Payment gateway adapters (cổng thanh toán): what the ledger needs from a gateway, so
that another one (the national payment platform, research vietnam-domain.md §4.2) can be
added beside VNPay without touching the ledger, the IPN's rules or reconciliation.

``adapter(method)`` gives the adapter of an attempt's method (``PAYMENT_GATEWAYS`` maps
methods to classes). An adapter builds the redirect, asks about one transaction
(normalised as ``GatewayStatus``), refunds, and fetches the daily statement.
"""

import datetime
from abc import ABC, abstractmethod
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

from . import gateway_client, vnpay
from .constants import AttemptState, Method

GatewayError = gateway_client.GatewayError


@dataclass(frozen=True)
class GatewayStatus:
    """One transaction as the gateway knows it."""

    known: bool  # False: the gateway never saw it
    state: str | None  # AttemptState it says, or None when it cannot tell yet (not completed)
    amount: int | None
    transaction_no: str
    answered: bool = True  # False: the query itself failed; ask again later
    raw: dict | None = None


class Gateway(ABC):
    method: str

    @abstractmethod
    def redirect_url(self, attempt, *, ip_address: str, return_url: str, info: str) -> str: ...

    @abstractmethod
    def query(self, attempt) -> GatewayStatus: ...

    @abstractmethod
    def refund(self, attempt, *, by: str) -> tuple[bool, dict]: ...

    @abstractmethod
    def statement(self, day: datetime.date) -> str: ...


class VNPayGateway(Gateway):
    """VNPay 2.1.0 (``payments.vnpay``, ``payments.gateway_client``)."""

    method = Method.VNPAY

    def redirect_url(self, attempt, *, ip_address: str, return_url: str, info: str) -> str:
        request = vnpay.PaymentRequest(
            txn_ref=attempt.txn_ref,
            amount=attempt.amount,
            info=info,
            ip_address=ip_address or "127.0.0.1",
            return_url=return_url,
            created_at=attempt.created_at,
            expires_at=attempt.expires_at or attempt.created_at + datetime.timedelta(minutes=15),
        )
        params = vnpay.payment_params(request, tmn_code=settings.VNPAY_TMN_CODE, secret=settings.VNPAY_HASH_SECRET)
        return vnpay.payment_url(settings.VNPAY_PAYMENT_URL, params)

    def query(self, attempt) -> GatewayStatus:
        answer = gateway_client.querydr(txn_ref=attempt.txn_ref, created_at=attempt.created_at)
        code = answer.get("vnp_ResponseCode")
        if code == "91":
            return GatewayStatus(known=False, state=None, amount=None, transaction_no="", raw=answer)
        if code != "00":
            return GatewayStatus(known=True, state=None, amount=None, transaction_no="", answered=False, raw=answer)
        raw = str(answer.get("vnp_Amount") or "")
        amount = int(raw) // 100 if raw.isdigit() and int(raw) % 100 == 0 else None
        status = answer.get("vnp_TransactionStatus", "")
        state = {
            vnpay.TXN_SUCCESS: AttemptState.SUCCEEDED,
            vnpay.TXN_REVERSED: AttemptState.NEEDS_REVIEW,
            vnpay.TXN_SUSPECTED_FRAUD: AttemptState.NEEDS_REVIEW,
            "01": None,  # not completed: still on the gateway's page, or left it
        }.get(status, AttemptState.FAILED)
        return GatewayStatus(
            known=True,
            state=state,
            amount=amount,
            transaction_no=str(answer.get("vnp_TransactionNo") or ""),
            raw=answer,
        )

    def refund(self, attempt, *, by: str) -> tuple[bool, dict]:
        answer = gateway_client.refund(
            txn_ref=attempt.txn_ref,
            amount=attempt.amount,
            transaction_no=attempt.gateway_transaction_no,
            created_at=attempt.created_at,
            by=by,
        )
        return answer.get("vnp_ResponseCode") == "00", answer

    def statement(self, day: datetime.date) -> str:
        return gateway_client.statement(day)


def adapter(method: str = Method.VNPAY) -> Gateway:
    paths = getattr(settings, "PAYMENT_GATEWAYS", {Method.VNPAY: "payments.gateways.VNPayGateway"})
    if method not in paths:
        raise GatewayError(f"không có cổng thanh toán cho hình thức “{method}”")
    return import_string(paths[method])()
