"""The IPN: the only call that marks a fee paid. Every reply code, and thousands of random
call sequences (duplicates, reorderings, tampered signatures, wrong amounts, unknown
references): each attempt is credited at most once and every move follows the graph."""

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from dossiers import processing
from payments import services, states, vnpay
from payments.constants import AttemptState, DiscrepancyKind, Source
from payments.models import AttemptChange, Discrepancy, PaymentAttempt
from tests.dossiers.staff import agency_staff, submitted_dossier

pytestmark = pytest.mark.django_db

SECRET = "DEMOSECRETDEMOSECRETDEMOSECRET12"


@pytest.fixture
def dossier():
    return submitted_dossier(agency_staff().agency)


def ipn_params(attempt, *, code="00", status="00", amount=None, txn_ref=None, tmn="DEMO0001", no="14226112"):
    params = {
        "vnp_Amount": str((attempt.amount if amount is None else amount) * 100),
        "vnp_BankCode": "NCB",
        "vnp_BankTranNo": "VNP" + no,
        "vnp_CardType": "ATM",
        "vnp_OrderInfo": "Nop le phi ho so",
        "vnp_PayDate": "20261201093500",
        "vnp_ResponseCode": code,
        "vnp_TmnCode": tmn,
        "vnp_TransactionNo": no,
        "vnp_TransactionStatus": status,
        "vnp_TxnRef": txn_ref or attempt.txn_ref,
    }
    params["vnp_SecureHash"] = vnpay.sign(params, SECRET)
    return params


def pending(dossier, amount=100_000) -> PaymentAttempt:
    attempt = services.attempt_create(dossier=dossier, amount=amount)
    with transaction.atomic():
        services.attempt_move(attempt, AttemptState.PENDING, source=Source.PORTAL)
    return attempt


def test_a_successful_payment_is_credited_once(client, dossier):
    attempt = pending(dossier)
    url = reverse("payments:vnpay_ipn")
    first = client.get(url, ipn_params(attempt))
    assert first.status_code == 200 and first.json() == {"RspCode": "00", "Message": "Confirm Success"}
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.SUCCEEDED and attempt.succeeded_at is not None
    assert (attempt.gateway_transaction_no, attempt.bank_code) == ("14226112", "NCB")
    assert client.get(url, ipn_params(attempt)).json() == {"RspCode": "02", "Message": "Order already confirmed"}
    assert AttemptChange.objects.filter(attempt=attempt, to_state=AttemptState.SUCCEEDED).count() == 1
    change = AttemptChange.objects.get(attempt=attempt, to_state=AttemptState.SUCCEEDED)
    assert change.source == Source.IPN and change.payload["vnp_TransactionNo"] == "14226112"
    assert "vnp_SecureHash" not in change.payload


@pytest.mark.parametrize(
    ("code", "status", "state"),
    [
        ("24", "02", AttemptState.CANCELLED),
        ("51", "02", AttemptState.FAILED),
        ("11", "02", AttemptState.EXPIRED),
        ("07", "07", AttemptState.NEEDS_REVIEW),
        ("00", "04", AttemptState.NEEDS_REVIEW),
    ],
)
def test_failures_are_recorded_and_confirmed_with_00(dossier, code, status, state):
    attempt = pending(dossier)
    assert services.vnpay_ipn(ipn_params(attempt, code=code, status=status)).reply["RspCode"] == "00"
    attempt.refresh_from_db()
    assert attempt.state == state and attempt.response_code == code
    assert Discrepancy.objects.filter(attempt=attempt).exists() == (state == AttemptState.NEEDS_REVIEW)


def test_a_lost_ipn_after_a_failure_report_still_credits_what_the_gateway_confirms(dossier):
    attempt = pending(dossier)
    services.vnpay_ipn(ipn_params(attempt, code="24", status="02"))
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.CANCELLED
    # The graph allows the correction towards a gateway-confirmed success (reconciliation uses it).
    assert states.allowed(AttemptState.CANCELLED, AttemptState.SUCCEEDED)
    assert not states.allowed(AttemptState.SUCCEEDED, AttemptState.FAILED)


def test_bad_calls_get_their_codes(client, dossier):
    attempt = pending(dossier)
    url = reverse("payments:vnpay_ipn")
    tampered = {**ipn_params(attempt), "vnp_Amount": "1"}
    assert client.get(url, tampered).json()["RspCode"] == "97"
    assert client.get(url, {k: v for k, v in ipn_params(attempt).items() if k != "vnp_SecureHash"}).json() == {
        "RspCode": "97",
        "Message": "Invalid signature",
    }
    assert client.get(url, ipn_params(attempt, tmn="OTHER001")).json()["RspCode"] == "97"
    assert client.get(url, ipn_params(attempt, txn_ref="TT-NOT-OURS")).json() == {
        "RspCode": "01",
        "Message": "Order not found",
    }
    assert client.get(url).json()["RspCode"] == "97"
    assert client.post(url, ipn_params(attempt)).status_code == 405
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.PENDING and not attempt.changes.filter(source=Source.IPN).exists()


def test_a_wrong_amount_is_a_discrepancy_to_refund_not_a_payment(dossier):
    attempt = pending(dossier, amount=100_000)
    reply = services.vnpay_ipn(ipn_params(attempt, amount=10_000))
    assert reply.reply == {"RspCode": "04", "Message": "Invalid amount"}
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.NEEDS_REVIEW  # money was taken: someone must look
    (found,) = Discrepancy.objects.filter(kind=DiscrepancyKind.AMOUNT_MISMATCH)
    assert (found.detail["expected"], found.detail["received"]) == (100_000, 10_000)
    services.vnpay_ipn(ipn_params(attempt, amount=10_000))  # VNPay calls again
    assert Discrepancy.objects.filter(kind=DiscrepancyKind.AMOUNT_MISMATCH).count() == 1
    assert not AttemptChange.objects.filter(attempt=attempt, to_state=AttemptState.SUCCEEDED).exists()


def test_an_unexpected_error_answers_99(dossier, monkeypatch):
    attempt = pending(dossier)

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "attempt_move", broken)
    assert services.vnpay_ipn(ipn_params(attempt)).reply == {"RspCode": "99", "Message": "Unknown error"}


def test_amounts_must_be_positive_whole_dong(dossier):
    from django.core.exceptions import ValidationError

    for bad in (0, -1, 10.5, "100000", True):
        with pytest.raises(ValidationError):
            services.attempt_create(dossier=dossier, amount=bad)


CALLS = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=2),  # which attempt
        st.sampled_from(["ok", "ok", "cancel", "fail", "review", "tampered", "amount", "unknown", "wrong_tmn"]),
    ),
    min_size=1,
    max_size=25,
)


@hsettings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(calls=CALLS)
def test_random_ipn_sequences_credit_each_attempt_at_most_once(dossier, calls):
    with transaction.atomic():
        attempts = [pending(dossier, amount=50_000 * (i + 1)) for i in range(3)]
        for index, kind in calls:
            attempt = attempts[index]
            if kind == "ok":
                params = ipn_params(attempt)
            elif kind == "cancel":
                params = ipn_params(attempt, code="24", status="02", no="0")
            elif kind == "fail":
                params = ipn_params(attempt, code="51", status="02")
            elif kind == "review":
                params = ipn_params(attempt, code="07", status="07")
            elif kind == "tampered":
                params = {**ipn_params(attempt), "vnp_TransactionStatus": "01"}
            elif kind == "amount":
                params = ipn_params(attempt, amount=attempt.amount + 1)
            elif kind == "unknown":
                params = ipn_params(attempt, txn_ref="TTUNKNOWN" + attempt.txn_ref[-4:])
            else:
                params = ipn_params(attempt, tmn="WRONG001")
            before = PaymentAttempt.objects.get(pk=attempt.pk).state
            code = services.vnpay_ipn(params).reply["RspCode"]
            after = PaymentAttempt.objects.get(pk=attempt.pk).state
            if kind in ("tampered", "wrong_tmn"):
                assert code == "97" and after == before
            elif kind == "unknown":
                assert code == "01" and after == before
            elif kind == "amount":
                assert code == "04"
            elif before in states.SETTLED:
                assert code == "02" and after == before
            else:
                assert code == "00" and after != before
        for attempt in attempts:
            changes = list(AttemptChange.objects.filter(attempt=attempt).order_by("pk"))
            assert sum(c.to_state == AttemptState.SUCCEEDED for c in changes) <= 1
            state = AttemptState.CREATED
            for change in changes:  # an unbroken walk through the graph
                assert change.from_state == state and states.allowed(change.from_state, change.to_state)
                state = change.to_state
            assert state == PaymentAttempt.objects.get(pk=attempt.pk).state
        transaction.set_rollback(True)


def test_two_ipns_at_once_credit_once(own_connections):
    """VNPay's retry racing its first call: the attempt's row lock (on SQLite the write lock
    taken at BEGIN IMMEDIATE) lets one win."""
    import threading

    from django.db import connections

    attempt = pending(submitted_dossier(agency_staff().agency))
    params = ipn_params(attempt)
    barrier = threading.Barrier(4)
    replies = []

    def call():
        barrier.wait()
        try:
            replies.append(services.vnpay_ipn(params).reply["RspCode"])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=call) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(replies) == ["00", "02", "02", "02"]
    assert AttemptChange.objects.filter(attempt=attempt, to_state=AttemptState.SUCCEEDED).count() == 1


def test_paying_a_dossier_waiting_for_its_fee_resumes_processing(committed_events):
    from dossiers.constants import Status
    from dossiers.models import StatusChange
    from notifications.constants import Event
    from notifications.models import Notification
    from tests.dossiers.staff import dossier_at

    staff = agency_staff()
    dossier = dossier_at(staff, "specialist")
    committed_events(processing.dossier_act, dossier=dossier, action="request_payment", actor=staff.specialist)
    attempt = pending(dossier)
    reply = committed_events(services.vnpay_ipn, ipn_params(attempt))
    assert reply.reply["RspCode"] == "00" and reply.credited
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    change = StatusChange.objects.filter(dossier=dossier).order_by("-pk").first()
    assert change.action == "payment_confirmed" and change.actor is None and attempt.txn_ref in change.note
    assert Notification.objects.filter(dossier=dossier, event=Event.PAYMENT_CONFIRMED, state="sent").exists()
    # VNPay's retry: 02, and nothing moves again.
    assert services.vnpay_ipn(ipn_params(attempt)).reply["RspCode"] == "02"
    assert StatusChange.objects.filter(dossier=dossier, action="payment_confirmed").count() == 1


def test_a_fee_paid_before_receipt_leaves_the_dossier_where_it_is(dossier):
    attempt = pending(dossier)
    assert services.vnpay_ipn(ipn_params(attempt)).credited
    dossier.refresh_from_db()
    assert dossier.status == 1


def test_a_fee_paid_before_receipt_is_told_to_the_citizen_once(dossier, committed_events):
    from notifications.constants import Channel, Event
    from notifications.models import Notification

    attempt = pending(dossier)
    committed_events(services.vnpay_ipn, ipn_params(attempt))
    committed_events(services.vnpay_ipn, ipn_params(attempt))  # VNPay's retry
    told = Notification.objects.filter(dossier=dossier, event=Event.PAYMENT_CONFIRMED)
    assert {n.channel for n in told} == {Channel.IN_APP, Channel.EMAIL, Channel.SMS} and told.count() == 3
    notice = told.get(channel=Channel.IN_APP)
    assert notice.state == "sent" and f"Đã xác nhận nộp phí, lệ phí của hồ sơ {dossier.code}." == notice.body
