"""VNPay payment gateway, API 2.1.0: the signed redirect, and checking what VNPay sends
back (return URL and IPN). Research: payments-reliability-performance.md §1.

The signature (``vnp_SecureHash``) is HMAC-SHA512, keyed by the merchant's secret, over
every ``vnp_*`` parameter except the hash itself (and the legacy ``vnp_SecureHashType``),
empty values left out, sorted by name, each ``name=value`` form-encoded (space → ``+``,
UTF-8 percent-escapes, byte for byte as PHP's ``urlencode``: ``form_encode``) and joined
with ``&``; lowercase hex. Order info is sent as plain ASCII (``order_info``), which also keeps
PHP-, Python- and JS-style encoders in agreement.
"""

import datetime
import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote_plus
from zoneinfo import ZoneInfo

VERSION = "2.1.0"
GMT7 = ZoneInfo("Asia/Ho_Chi_Minh")
HASH_FIELDS_EXCLUDED = ("vnp_SecureHash", "vnp_SecureHashType")
ORDER_INFO_MAX = 255

# vnp_ResponseCode → what it means for the attempt (research §1.6).
SUCCESS = "00"
SUSPECTED_FRAUD = "07"  # money taken, the merchant must approve: needs review
CANCELLED = "24"
EXPIRED = "11"
# vnp_TransactionStatus
TXN_SUCCESS = "00"
TXN_REVERSED = "04"  # the citizen was debited but the transaction failed at VNPay: needs review
TXN_SUSPECTED_FRAUD = "07"

# The IPN reply (research §1.5), exactly as VNPay's demo code words it.
IPN_REPLIES = {
    "00": "Confirm Success",
    "01": "Order not found",
    "02": "Order already confirmed",
    "04": "Invalid amount",
    "97": "Invalid signature",
    "99": "Unknown error",
}


def form_encode(text: str) -> str:
    """Form encoding byte for byte as VNPay's reference code does it (PHP ``urlencode``):
    letters, digits and ``-_.`` as they are, a space as ``+``, every other byte of the UTF-8
    text as ``%XX``. Python's ``quote_plus`` leaves ``~`` as it is; PHP (and Java's
    ``URLEncoder``) write ``%7E``, so a genuine notification whose data held a ``~`` failed its
    signature check (issue 19). Tested against vectors PHP made (tests/payments/vectors)."""
    return quote_plus(text, safe="").replace("~", "%7E")


def signing_data(params: dict[str, str]) -> str:
    """The string that is signed: sorted ``vnp_*`` pairs, form-encoded, joined by ``&``."""
    items = sorted(
        (key, str(value))
        for key, value in params.items()
        if key.startswith("vnp_") and key not in HASH_FIELDS_EXCLUDED and value not in (None, "")
    )
    return "&".join(f"{form_encode(key)}={form_encode(value)}" for key, value in items)


def sign(params: dict[str, str], secret: str) -> str:
    return hmac.new(secret.encode("utf-8"), signing_data(params).encode("utf-8"), hashlib.sha512).hexdigest()


def verify(params: dict[str, str], secret: str) -> bool:
    """Whether ``params`` (decoded query parameters) carry a valid signature; constant time."""
    received = str(params.get("vnp_SecureHash") or "").lower()
    if not received or not re.fullmatch(r"[0-9a-f]{128}", received):
        return False
    return hmac.compare_digest(received, sign(params, secret))


def order_info(text: str) -> str:
    """Vietnamese text as VNPay wants it: without diacritics, letters, digits, spaces and
    ``.-_:`` only ("Nộp lệ phí hồ sơ 000.00.03.H56-261201-0007" → "Nop le phi ho so 000.00.03.H56-261201-0007")."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    text = re.sub(r"[^A-Za-z0-9 .\-_:]", " ", text)
    return " ".join(text.split())[:ORDER_INFO_MAX]


def vnp_time(moment: datetime.datetime) -> str:
    """``yyyyMMddHHmmss`` in GMT+7."""
    return moment.astimezone(GMT7).strftime("%Y%m%d%H%M%S")


def parse_vnp_time(text: str) -> datetime.datetime | None:
    try:
        return datetime.datetime.strptime(text, "%Y%m%d%H%M%S").replace(tzinfo=GMT7)
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class PaymentRequest:
    """What the citizen's browser is sent to VNPay with."""

    txn_ref: str
    amount: int  # VND
    info: str
    ip_address: str
    return_url: str
    created_at: datetime.datetime
    expires_at: datetime.datetime
    locale: str = "vn"
    bank_code: str = ""
    order_type: str = "other"


def payment_params(request: PaymentRequest, *, tmn_code: str, secret: str) -> dict[str, str]:
    """Every parameter of the redirect, ``vnp_SecureHash`` included."""
    if request.amount <= 0:
        raise ValueError("amount must be positive")
    params = {
        "vnp_Version": VERSION,
        "vnp_Command": "pay",
        "vnp_TmnCode": tmn_code,
        "vnp_Amount": str(request.amount * 100),
        "vnp_CurrCode": "VND",
        "vnp_TxnRef": request.txn_ref,
        "vnp_OrderInfo": order_info(request.info),
        "vnp_OrderType": request.order_type,
        "vnp_Locale": request.locale,
        "vnp_ReturnUrl": request.return_url,
        "vnp_IpAddr": request.ip_address,
        "vnp_CreateDate": vnp_time(request.created_at),
        "vnp_ExpireDate": vnp_time(request.expires_at),
    }
    if request.bank_code:
        params["vnp_BankCode"] = request.bank_code
    params["vnp_SecureHash"] = sign(params, secret)
    return params


def payment_url(base_url: str, params: dict[str, str]) -> str:
    """The redirect URL: the same form encoding as the signed string (``form_encode``)."""
    return f"{base_url}?" + "&".join(f"{form_encode(k)}={form_encode(str(v))}" for k, v in params.items())


@dataclass(frozen=True)
class GatewayResult:
    """What a signed return/IPN call says about one attempt."""

    txn_ref: str
    amount: int | None  # VND; None when vnp_Amount is not a whole number of đồng ×100
    response_code: str
    transaction_status: str
    transaction_no: str
    bank_code: str
    paid_at: datetime.datetime | None
    tmn_code: str

    @property
    def succeeded(self) -> bool:
        return self.response_code == SUCCESS and self.transaction_status == TXN_SUCCESS

    @property
    def needs_review(self) -> bool:
        """Money may have left the citizen's account although the payment did not succeed."""
        return self.response_code == SUSPECTED_FRAUD or self.transaction_status in (TXN_REVERSED, TXN_SUSPECTED_FRAUD)


def read_result(params: dict[str, str]) -> GatewayResult:
    raw = str(params.get("vnp_Amount") or "")
    amount = int(raw) // 100 if raw.isdigit() and int(raw) % 100 == 0 else None
    return GatewayResult(
        txn_ref=str(params.get("vnp_TxnRef") or ""),
        amount=amount,
        response_code=str(params.get("vnp_ResponseCode") or ""),
        transaction_status=str(params.get("vnp_TransactionStatus") or ""),
        transaction_no=str(params.get("vnp_TransactionNo") or ""),
        bank_code=str(params.get("vnp_BankCode") or ""),
        paid_at=parse_vnp_time(str(params.get("vnp_PayDate") or "")),
        tmn_code=str(params.get("vnp_TmnCode") or ""),
    )


def ipn_reply(code: str) -> dict[str, str]:
    return {"RspCode": code, "Message": IPN_REPLIES[code]}


# --- Transaction query and refund API (research §1.7–1.8): JSON, pipe-joined hashes --------

QUERYDR_REQUEST_FIELDS = (
    "vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TxnRef", "vnp_TransactionDate",
    "vnp_CreateDate", "vnp_IpAddr", "vnp_OrderInfo",
)  # fmt: skip
QUERYDR_RESPONSE_FIELDS = (
    "vnp_ResponseId", "vnp_Command", "vnp_ResponseCode", "vnp_Message", "vnp_TmnCode", "vnp_TxnRef", "vnp_Amount",
    "vnp_BankCode", "vnp_PayDate", "vnp_TransactionNo", "vnp_TransactionType", "vnp_TransactionStatus",
    "vnp_OrderInfo", "vnp_PromotionCode", "vnp_PromotionAmount",
)  # fmt: skip
REFUND_REQUEST_FIELDS = (
    "vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TransactionType", "vnp_TxnRef", "vnp_Amount",
    "vnp_TransactionNo", "vnp_TransactionDate", "vnp_CreateBy", "vnp_CreateDate", "vnp_IpAddr", "vnp_OrderInfo",
)  # fmt: skip
REFUND_RESPONSE_FIELDS = QUERYDR_RESPONSE_FIELDS[:13]


def pipe_sign(body: dict, fields: tuple[str, ...], secret: str) -> str:
    """HMAC-SHA512 over the values of ``fields`` in that order, joined by ``|`` (missing → "")."""
    data = "|".join(str(body.get(name) if body.get(name) is not None else "") for name in fields)
    return hmac.new(secret.encode("utf-8"), data.encode("utf-8"), hashlib.sha512).hexdigest()


def pipe_verify(body: dict, fields: tuple[str, ...], secret: str) -> bool:
    received = str(body.get("vnp_SecureHash") or "").lower()
    return bool(received) and hmac.compare_digest(received, pipe_sign(body, fields, secret))
