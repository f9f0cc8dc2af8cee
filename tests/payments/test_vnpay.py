"""The VNPay 2.1.0 signature against vectors computed independently of our code: the
signed strings below were written out by hand from the documented algorithm (sorted
``vnp_*`` pairs, form-encoded, joined by ``&``) and their HMAC-SHA512 computed with
OpenSSL's command line (``printf '%s' "$DATA" | openssl dgst -sha512 -hmac "$SECRET"``)."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from payments import vnpay

SECRET = "DEMOSECRETDEMOSECRETDEMOSECRET12"

# The example request of VNPay's documentation (research §1.2), hash recomputed with our secret.
DOCS_EXAMPLE = {
    "vnp_Amount": "1806000",
    "vnp_Command": "pay",
    "vnp_CreateDate": "20210801153333",
    "vnp_CurrCode": "VND",
    "vnp_IpAddr": "127.0.0.1",
    "vnp_Locale": "vn",
    "vnp_OrderInfo": "Thanh toan don hang :5",
    "vnp_OrderType": "other",
    "vnp_ReturnUrl": "https://domainmerchant.vn/ReturnUrl",
    "vnp_TmnCode": "DEMOV210",
    "vnp_TxnRef": "5",
    "vnp_Version": "2.1.0",
}
DOCS_DATA = (
    "vnp_Amount=1806000&vnp_Command=pay&vnp_CreateDate=20210801153333&vnp_CurrCode=VND&vnp_IpAddr=127.0.0.1"
    "&vnp_Locale=vn&vnp_OrderInfo=Thanh+toan+don+hang+%3A5&vnp_OrderType=other"
    "&vnp_ReturnUrl=https%3A%2F%2Fdomainmerchant.vn%2FReturnUrl&vnp_TmnCode=DEMOV210&vnp_TxnRef=5&vnp_Version=2.1.0"
)
DOCS_HASH = (
    "9f5eb0d157593098fda561a8975d3dd221a0c482938ff2680f55c8d90835910d"
    "7ca9f9314e2f7c7c99d86881bd4b2fd10a1e46f0c7b3c1161353bdb23664d74e"
)

# A portal payment whose order info was built from Vietnamese text.
VIETNAMESE_INFO = "Nộp lệ phí hồ sơ 000.00.03.H56-261201-0007 (Cấp phiếu lý lịch tư pháp)"
PORTAL_DATA = (
    "vnp_Amount=10000000&vnp_Command=pay&vnp_CreateDate=20261201093200&vnp_CurrCode=VND"
    "&vnp_ExpireDate=20261201094700&vnp_IpAddr=113.161.1.20&vnp_Locale=vn"
    "&vnp_OrderInfo=Nop+le+phi+ho+so+000.00.03.H56-261201-0007+Cap+phieu+ly+lich+tu+phap&vnp_OrderType=other"
    "&vnp_ReturnUrl=http%3A%2F%2F127.0.0.1%3A8000%2Fpayments%2Fvnpay%2Freturn%2F&vnp_TmnCode=DEMO0001"
    "&vnp_TxnRef=TT261201000007A1&vnp_Version=2.1.0"
)
PORTAL_HASH = (
    "01a9b90792289307951e377401dd0d00bd54211a4c6d139c4ad1797505bba4bd"
    "43445576776d5e34de4cb77bbbf38c2086a55fcbe335a6a9641f1ef1c89d6920"
)

# UTF-8 in a value (a gateway echoing Vietnamese back): percent-escaped bytes, space as +.
UTF8_PARAMS = {
    "vnp_TxnRef": "X1",
    "vnp_Amount": "5000000",
    "vnp_OrderInfo": "Lệ phí đăng ký",
    "vnp_TmnCode": "DEMO0001",
}
UTF8_DATA = (
    "vnp_Amount=5000000&vnp_OrderInfo=L%E1%BB%87+ph%C3%AD+%C4%91%C4%83ng+k%C3%BD&vnp_TmnCode=DEMO0001&vnp_TxnRef=X1"
)
UTF8_HASH = (
    "57b045484b45f8038d75f37acb95c73b09c43ca67a84b05c96c1af7f88a615a7"
    "de46b632f6e0b885e68f7ca854e94d5c37cb42d2b9ff8c3b993332106d826747"
)

GMT7 = datetime.timezone(datetime.timedelta(hours=7))


def test_the_documentation_example():
    assert vnpay.signing_data(DOCS_EXAMPLE) == DOCS_DATA
    assert vnpay.sign(DOCS_EXAMPLE, SECRET) == DOCS_HASH


def test_a_portal_payment_built_from_vietnamese_text():
    assert vnpay.order_info(VIETNAMESE_INFO) == "Nop le phi ho so 000.00.03.H56-261201-0007 Cap phieu ly lich tu phap"
    request = vnpay.PaymentRequest(
        txn_ref="TT261201000007A1",
        amount=100_000,
        info=VIETNAMESE_INFO,
        ip_address="113.161.1.20",
        return_url="http://127.0.0.1:8000/payments/vnpay/return/",
        created_at=datetime.datetime(2026, 12, 1, 9, 32, tzinfo=GMT7),
        expires_at=datetime.datetime(2026, 12, 1, 2, 47, tzinfo=datetime.UTC),  # 09:47 GMT+7
    )
    params = vnpay.payment_params(request, tmn_code="DEMO0001", secret=SECRET)
    assert params["vnp_Amount"] == "10000000"  # amount × 100
    assert vnpay.signing_data(params) == PORTAL_DATA
    assert params["vnp_SecureHash"] == PORTAL_HASH
    url = vnpay.payment_url("https://sandbox.vnpayment.vn/paymentv2/vpcpay.html", params)
    assert url.startswith("https://sandbox.vnpayment.vn/paymentv2/vpcpay.html?vnp_Version=2.1.0&vnp_Command=pay")
    assert "vnp_OrderInfo=Nop+le+phi+ho+so+000.00.03.H56-261201-0007+Cap" in url
    assert url.endswith(f"&vnp_SecureHash={PORTAL_HASH}")


def test_utf8_values_are_percent_escaped_bytes():
    assert vnpay.signing_data(UTF8_PARAMS) == UTF8_DATA
    assert vnpay.sign(UTF8_PARAMS, SECRET) == UTF8_HASH


def test_the_hash_fields_and_empty_values_take_no_part():
    params = {**DOCS_EXAMPLE, "vnp_SecureHashType": "HmacSHA512", "vnp_BankCode": "", "other": "x"}
    assert vnpay.sign(params, SECRET) == DOCS_HASH


def test_verification_accepts_the_right_hash_in_any_case_and_nothing_else():
    assert vnpay.verify({**DOCS_EXAMPLE, "vnp_SecureHash": DOCS_HASH}, SECRET)
    assert vnpay.verify({**DOCS_EXAMPLE, "vnp_SecureHash": DOCS_HASH.upper()}, SECRET)
    assert not vnpay.verify({**DOCS_EXAMPLE, "vnp_SecureHash": DOCS_HASH}, SECRET + "x")
    assert not vnpay.verify({**DOCS_EXAMPLE, "vnp_Amount": "1806001", "vnp_SecureHash": DOCS_HASH}, SECRET)
    assert not vnpay.verify(DOCS_EXAMPLE, SECRET)  # no hash
    assert not vnpay.verify({**DOCS_EXAMPLE, "vnp_SecureHash": "zz" * 64}, SECRET)
    assert not vnpay.verify({**DOCS_EXAMPLE, "vnp_SecureHash": DOCS_HASH[:-1]}, SECRET)


@given(st.dictionaries(st.text(min_size=1, max_size=12), st.text(max_size=40), max_size=8), st.text(min_size=1))
def test_any_changed_value_breaks_the_signature(extra, value):
    params = {**DOCS_EXAMPLE, **{f"vnp_X{k}": v for k, v in extra.items()}}
    signed = {**params, "vnp_SecureHash": vnpay.sign(params, SECRET)}
    assert vnpay.verify(signed, SECRET)
    tampered = {**signed, "vnp_TxnRef": signed["vnp_TxnRef"] + value}
    assert not vnpay.verify(tampered, SECRET)


def test_reading_a_result():
    result = vnpay.read_result(
        {
            "vnp_Amount": "10000000",
            "vnp_ResponseCode": "00",
            "vnp_TransactionStatus": "00",
            "vnp_TxnRef": "TT1",
            "vnp_TransactionNo": "14226112",
            "vnp_PayDate": "20261201093500",
            "vnp_TmnCode": "DEMO0001",
        }
    )
    assert result.amount == 100_000 and result.succeeded and not result.needs_review
    assert result.paid_at == datetime.datetime(2026, 12, 1, 9, 35, tzinfo=vnpay.GMT7)
    assert vnpay.read_result({"vnp_Amount": "12345"}).amount is None  # not whole đồng
    assert vnpay.read_result({"vnp_Amount": "-100"}).amount is None
    assert vnpay.read_result({"vnp_ResponseCode": "07", "vnp_TransactionStatus": "00"}).needs_review
    assert vnpay.read_result({"vnp_ResponseCode": "00", "vnp_TransactionStatus": "04"}).needs_review
    assert not vnpay.read_result({"vnp_ResponseCode": "24", "vnp_TransactionStatus": "02"}).needs_review


def test_ipn_replies_are_worded_as_the_protocol_defines():
    assert vnpay.ipn_reply("00") == {"RspCode": "00", "Message": "Confirm Success"}
    assert vnpay.ipn_reply("97") == {"RspCode": "97", "Message": "Invalid signature"}
