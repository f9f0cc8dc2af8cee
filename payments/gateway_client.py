"""Calls from the portal to VNPay's API (``VNPAY_API_URL``): the transaction query
(querydr), and the daily statement (``VNPAY_STATEMENT_URL``). Both signed and checked as
research §1.7 describes; errors raise ``GatewayError``."""

import datetime
import json
import secrets
import urllib.error
import urllib.request

from django.conf import settings
from django.utils import timezone

from . import vnpay


class GatewayError(Exception):
    pass


def _post(body: dict) -> dict:
    request = urllib.request.Request(
        settings.VNPAY_API_URL,
        data=json.dumps(body).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    timeout = float(settings.VNPAY_API_TIMEOUT)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310  # nosec B310 # VNPay's API URL from settings, never from a request
            return json.loads(response.read().decode("utf-8"))
    except (urllib.error.URLError, OSError, ValueError) as exc:
        if isinstance(exc, TimeoutError) or isinstance(getattr(exc, "reason", None), TimeoutError):
            raise GatewayError(
                f"cổng thanh toán không trả lời sau {timeout:g} giây, chưa rõ kết quả; hãy thử lại sau ít phút"
            ) from exc
        raise GatewayError(f"không gọi được cổng thanh toán: {exc}") from exc


def querydr(*, txn_ref: str, created_at: datetime.datetime, ip_address: str = "127.0.0.1") -> dict:
    """What the gateway knows of one transaction (its answer, signature checked)."""
    body = {
        "vnp_RequestId": secrets.token_hex(8),
        "vnp_Version": vnpay.VERSION,
        "vnp_Command": "querydr",
        "vnp_TmnCode": settings.VNPAY_TMN_CODE,
        "vnp_TxnRef": txn_ref,
        "vnp_OrderInfo": f"Tra cuu giao dich {txn_ref}",
        "vnp_TransactionDate": vnpay.vnp_time(created_at),
        "vnp_CreateDate": vnpay.vnp_time(timezone.now()),
        "vnp_IpAddr": ip_address,
    }
    body["vnp_SecureHash"] = vnpay.pipe_sign(body, vnpay.QUERYDR_REQUEST_FIELDS, settings.VNPAY_HASH_SECRET)
    answer = _post(body)
    if answer.get("vnp_ResponseCode") in ("00",) and not vnpay.pipe_verify(
        answer, vnpay.QUERYDR_RESPONSE_FIELDS, settings.VNPAY_HASH_SECRET
    ):
        raise GatewayError("chữ ký câu trả lời của cổng thanh toán không đúng")
    return answer


def statement(day: datetime.date) -> str:
    """The gateway's statement of ``day`` (CSV: txn_ref, transaction_no, amount, status, pay_date)."""
    url = f"{settings.VNPAY_STATEMENT_URL}?date={day:%Y%m%d}"
    try:
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310  # nosec B310 # VNPay's statement URL from settings, never from a request
            return response.read().decode("utf-8")
    except (urllib.error.URLError, OSError) as exc:
        raise GatewayError(f"không tải được sao kê: {exc}") from exc


def refund(
    *, txn_ref: str, amount: int, transaction_no: str, created_at: datetime.datetime, by: str, full: bool = True
) -> dict:
    """Ask the gateway to refund ``amount`` VND of a payment (its answer, signature checked)."""
    body = {
        "vnp_RequestId": secrets.token_hex(8),
        "vnp_Version": vnpay.VERSION,
        "vnp_Command": "refund",
        "vnp_TmnCode": settings.VNPAY_TMN_CODE,
        "vnp_TransactionType": "02" if full else "03",
        "vnp_TxnRef": txn_ref,
        "vnp_Amount": str(amount * 100),
        "vnp_TransactionNo": transaction_no or "0",
        "vnp_TransactionDate": vnpay.vnp_time(created_at),
        "vnp_CreateBy": by[:250] or "portal",
        "vnp_CreateDate": vnpay.vnp_time(timezone.now()),
        "vnp_IpAddr": "127.0.0.1",
        "vnp_OrderInfo": f"Hoan tien giao dich {txn_ref}",
    }
    body["vnp_SecureHash"] = vnpay.pipe_sign(body, vnpay.REFUND_REQUEST_FIELDS, settings.VNPAY_HASH_SECRET)
    answer = _post(body)
    if answer.get("vnp_ResponseCode") == "00" and not vnpay.pipe_verify(
        answer, vnpay.REFUND_RESPONSE_FIELDS, settings.VNPAY_HASH_SECRET
    ):
        raise GatewayError("chữ ký câu trả lời của cổng thanh toán không đúng")
    return answer
