"""The sandbox gateway over real HTTP: the portal's signed redirect, the tester's choice,
the IPN back to the portal (live server), the return redirect, querydr, refund and the
daily statement."""

import datetime
import http.client
import json
import urllib.parse
import urllib.request

import pytest
from django.conf import settings

from payments import services, vnpay
from payments.constants import AttemptState
from payments.models import PaymentAttempt
from tests.dossiers.staff import agency_staff, submitted_dossier
from tests.payments.sandbox import running_sandbox

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sandbox(live_server, tmp_path, settings):
    with running_sandbox(live_server, tmp_path, settings, ipn_attempts=3) as gateway:
        yield gateway


@pytest.fixture
def attempt_url(live_server):
    dossier = submitted_dossier(agency_staff().agency)

    def make(amount=100_000):
        attempt = services.attempt_create(dossier=dossier, amount=amount)
        url = services.attempt_redirect(
            attempt=attempt,
            ip_address="127.0.0.1",
            return_url=f"{live_server.url}/payments/vnpay/return/",
            info=f"Nộp lệ phí hồ sơ {dossier.code}",
        )
        return attempt, url

    return make


def choose(gateway, attempt, choice: str) -> str:
    """Press one of the payment page's buttons; the Location it redirects the browser to."""
    split = urllib.parse.urlsplit(gateway.base)
    conn = http.client.HTTPConnection(split.hostname, split.port, timeout=30)
    body = urllib.parse.urlencode({"txn_ref": attempt.txn_ref, "choice": choice})
    conn.request("POST", "/paymentv2/confirm", body, {"Content-Type": "application/x-www-form-urlencoded"})
    response = conn.getresponse()
    assert response.status == 302
    return response.getheader("Location")


def state(attempt) -> str:
    return PaymentAttempt.objects.get(pk=attempt.pk).state


def test_a_successful_payment_end_to_end(sandbox, attempt_url):
    attempt, url = attempt_url(150_000)
    assert state(attempt) == AttemptState.PENDING
    page = urllib.request.urlopen(url, timeout=10).read().decode()
    assert attempt.txn_ref in page and "150.000 đ" in page and "Nop le phi ho so" in page
    location = choose(sandbox, attempt, "success")
    assert state(attempt) == AttemptState.SUCCEEDED
    assert sandbox.transactions[attempt.txn_ref].ipn_replies == ["00"]
    back = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))
    assert "/payments/vnpay/return/?" in location
    assert vnpay.verify(back, settings.VNPAY_HASH_SECRET) and back["vnp_ResponseCode"] == "00"
    day = back["vnp_PayDate"][:8]
    statement = urllib.request.urlopen(f"{sandbox.base}/statement?date={day}", timeout=10).read().decode()
    assert f"{attempt.txn_ref},{back['vnp_TransactionNo']},150000,00," in statement


@pytest.mark.parametrize(
    ("choice", "expected"), [("cancel", AttemptState.CANCELLED), ("insufficient", AttemptState.FAILED)]
)
def test_cancel_and_failure_are_recorded(sandbox, attempt_url, choice, expected):
    attempt, url = attempt_url()
    urllib.request.urlopen(url, timeout=10).read()
    choose(sandbox, attempt, choice)
    assert state(attempt) == expected
    assert sandbox.transactions[attempt.txn_ref].ipn_replies == ["00"]


def test_a_duplicated_ipn_is_answered_already_confirmed(sandbox, attempt_url):
    attempt, url = attempt_url()
    urllib.request.urlopen(url, timeout=10).read()
    choose(sandbox, attempt, "double_ipn")
    assert sandbox.transactions[attempt.txn_ref].ipn_replies == ["00", "02"]
    assert PaymentAttempt.objects.get(pk=attempt.pk).changes.filter(to_state=AttemptState.SUCCEEDED).count() == 1


def test_a_late_ipn_credits_after_the_return(sandbox, attempt_url):
    attempt, url = attempt_url()
    urllib.request.urlopen(url, timeout=10).read()
    choose(sandbox, attempt, "late_ipn")
    assert state(attempt) == AttemptState.PENDING  # the citizen is back before VNPay tells us
    assert sandbox.pending_deliveries == 1
    # Until the portal has answered the IPN: done with its transaction and what follows the
    # commit (the receipt, the notifications), so nothing writes after the test.
    assert sandbox.wait_for_deliveries(timeout=20)
    assert sandbox.transactions[attempt.txn_ref].ipn_replies == ["00"]
    assert state(attempt) == AttemptState.SUCCEEDED


def test_a_lost_ipn_leaves_the_attempt_pending_and_querydr_tells_the_truth(sandbox, attempt_url):
    attempt, url = attempt_url()
    urllib.request.urlopen(url, timeout=10).read()
    choose(sandbox, attempt, "lost_ipn")
    assert state(attempt) == AttemptState.PENDING
    secret = settings.VNPAY_HASH_SECRET
    query = {
        "vnp_RequestId": "Q1",
        "vnp_Version": "2.1.0",
        "vnp_Command": "querydr",
        "vnp_TmnCode": settings.VNPAY_TMN_CODE,
        "vnp_TxnRef": attempt.txn_ref,
        "vnp_OrderInfo": "Tra cuu",
        "vnp_TransactionDate": vnpay.vnp_time(attempt.created_at),
        "vnp_CreateDate": vnpay.vnp_time(datetime.datetime.now(datetime.UTC)),
        "vnp_IpAddr": "127.0.0.1",
    }
    query["vnp_SecureHash"] = vnpay.pipe_sign(query, vnpay.QUERYDR_REQUEST_FIELDS, secret)
    answer = _api(sandbox, query)
    assert answer["vnp_ResponseCode"] == "00" and answer["vnp_TransactionStatus"] == "00"
    assert answer["vnp_Amount"] == str(attempt.amount * 100)
    assert vnpay.pipe_verify(answer, vnpay.QUERYDR_RESPONSE_FIELDS, secret)
    assert _api(sandbox, {**query, "vnp_SecureHash": "0" * 128})["vnp_ResponseCode"] == "97"
    unknown = {**query, "vnp_TxnRef": "TTNONE"}
    unknown["vnp_SecureHash"] = vnpay.pipe_sign(unknown, vnpay.QUERYDR_REQUEST_FIELDS, secret)
    assert _api(sandbox, unknown)["vnp_ResponseCode"] == "91"


def test_refund_of_a_successful_payment(sandbox, attempt_url):
    attempt, url = attempt_url(100_000)
    urllib.request.urlopen(url, timeout=10).read()
    choose(sandbox, attempt, "success")
    secret = settings.VNPAY_HASH_SECRET
    refund = {
        "vnp_RequestId": "R1",
        "vnp_Version": "2.1.0",
        "vnp_Command": "refund",
        "vnp_TmnCode": settings.VNPAY_TMN_CODE,
        "vnp_TransactionType": "03",
        "vnp_TxnRef": attempt.txn_ref,
        "vnp_Amount": str(40_000 * 100),
        "vnp_TransactionNo": sandbox.transactions[attempt.txn_ref].transaction_no,
        "vnp_TransactionDate": vnpay.vnp_time(attempt.created_at),
        "vnp_CreateBy": "ketoan",
        "vnp_CreateDate": vnpay.vnp_time(datetime.datetime.now(datetime.UTC)),
        "vnp_IpAddr": "127.0.0.1",
        "vnp_OrderInfo": "Hoan tien thu thua",
    }
    refund["vnp_SecureHash"] = vnpay.pipe_sign(refund, vnpay.REFUND_REQUEST_FIELDS, secret)
    answer = _api(sandbox, refund)
    assert answer["vnp_ResponseCode"] == "00" and vnpay.pipe_verify(answer, vnpay.REFUND_RESPONSE_FIELDS, secret)
    too_much = {**refund, "vnp_RequestId": "R2", "vnp_Amount": str(70_000 * 100)}
    too_much["vnp_SecureHash"] = vnpay.pipe_sign(too_much, vnpay.REFUND_REQUEST_FIELDS, secret)
    assert _api(sandbox, too_much)["vnp_ResponseCode"] == "03"  # more than what is left


def test_a_tampered_redirect_is_refused_by_the_gateway(sandbox, attempt_url):
    _, url = attempt_url()
    tampered = url.replace("vnp_Amount=10000000", "vnp_Amount=100")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(tampered, timeout=10)
    assert refused.value.code == 400


def _api(gateway, body: dict) -> dict:
    request = urllib.request.Request(
        f"{gateway.base}/merchant_webapi/api/transaction",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    return json.loads(urllib.request.urlopen(request, timeout=10).read().decode())


def test_the_sandbox_refuses_bad_calls(sandbox, attempt_url):
    attempt, url = attempt_url()
    urllib.request.urlopen(url, timeout=10).read()
    split = urllib.parse.urlsplit(sandbox.base)
    for body in ({"txn_ref": attempt.txn_ref, "choice": "free money"}, {"txn_ref": "TTUNKNOWN", "choice": "success"}):
        conn = http.client.HTTPConnection(split.hostname, split.port, timeout=10)
        conn.request("POST", "/paymentv2/confirm", urllib.parse.urlencode(body),
                     {"Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
        assert conn.getresponse().status == 400
    request = urllib.request.Request(f"{sandbox.base}/merchant_webapi/api/transaction", data=b"not json", method="POST")
    answer = json.loads(urllib.request.urlopen(request, timeout=10).read().decode())
    assert answer["vnp_ResponseCode"] == "03"
    assert state(attempt) == AttemptState.PENDING
