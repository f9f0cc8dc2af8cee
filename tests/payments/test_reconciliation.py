"""Reconciliation: attempts whose IPN was lost found by the transaction query, and the
daily statement matched line by line; every mismatch recorded and resolvable."""

import datetime
import urllib.request

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from payments import reconciliation, services
from payments.constants import AttemptState, DiscrepancyKind, Source
from payments.models import Discrepancy, PaymentAttempt
from tests.dossiers.staff import agency_staff, submitted_dossier
from tests.payments.sandbox import running_sandbox
from tests.payments.test_sandbox import choose

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sandbox(live_server, tmp_path, settings):
    with running_sandbox(live_server, tmp_path, settings, ipn_attempts=2) as gateway:
        yield gateway


@pytest.fixture
def start(live_server):
    dossier = submitted_dossier(agency_staff().agency)

    def make(amount=100_000, visit=True):
        attempt = services.attempt_create(dossier=dossier, amount=amount)
        url = services.attempt_redirect(
            attempt=attempt, ip_address="127.0.0.1", return_url=f"{live_server.url}/payments/vnpay/return/", info="x"
        )
        if visit:
            urllib.request.urlopen(url, timeout=10).read()
        return attempt

    return make


def state(attempt):
    return PaymentAttempt.objects.get(pk=attempt.pk).state


def test_a_lost_ipn_is_found_by_the_transaction_query(sandbox, start):
    paid, abandoned, never = start(), start(), start(visit=False)
    choose(sandbox, paid, "lost_ipn")
    assert state(paid) == AttemptState.PENDING
    assert reconciliation.pending_reconcile() == {}  # too early: the IPN may still come
    later = timezone.now() + datetime.timedelta(minutes=16)
    tally = reconciliation.pending_reconcile(now=later)
    assert state(paid) == AttemptState.SUCCEEDED
    change = PaymentAttempt.objects.get(pk=paid.pk).changes.get(to_state=AttemptState.SUCCEEDED)
    assert change.source == Source.QUERY
    assert state(abandoned) == AttemptState.EXPIRED  # on the gateway's page, never finished, past its time
    assert state(never) == AttemptState.EXPIRED  # the gateway never saw it
    assert tally == {AttemptState.SUCCEEDED: 1, AttemptState.EXPIRED: 2}
    assert reconciliation.pending_reconcile(now=later) == {}


def test_the_gateway_down_leaves_attempts_to_ask_again(start, settings):
    attempt = start(visit=False)
    settings.VNPAY_API_URL = "http://127.0.0.1:9/none"
    later = timezone.now() + datetime.timedelta(minutes=16)
    assert reconciliation.pending_reconcile(now=later) == {"error": 1}
    assert state(attempt) == AttemptState.PENDING


def test_the_daily_statement_against_the_ledger(sandbox, start):
    ok, lost, cancelled_here = start(), start(), start()
    choose(sandbox, ok, "success")
    choose(sandbox, lost, "lost_ipn")
    choose(sandbox, cancelled_here, "success")
    # The ledger wrongly says cancelled (an IPN that lied, say): the statement corrects it.
    PaymentAttempt.objects.filter(pk=cancelled_here.pk).update(state=AttemptState.CANCELLED)
    recorded_only = start(visit=False)
    services.attempt_move(
        PaymentAttempt.objects.get(pk=recorded_only.pk), AttemptState.SUCCEEDED, source=Source.IPN
    )  # a success the gateway has no line for
    day = timezone.localtime(timezone.now()).date()
    text = urllib.request.urlopen(f"{sandbox.base}/statement?date={day:%Y%m%d}", timeout=10).read().decode()
    lines = reconciliation.parse_statement(text)
    lines.append(dict(lines[0]))  # a line twice
    lines.append({"txn_ref": "TTSTRANGER", "transaction_no": "9", "amount": 5000, "status": "00", "pay_date": ""})
    lines.append({**lines[0], "txn_ref": ok.txn_ref, "amount": 1})  # (a third copy, wrong amount: duplicate first)

    result = reconciliation.statement_reconcile(day=day, lines=lines)
    assert result.lines == 6 and result.matched == 1 and result.credited == 2
    assert state(lost) == AttemptState.SUCCEEDED and state(cancelled_here) == AttemptState.SUCCEEDED
    kinds = sorted(Discrepancy.objects.values_list("kind", flat=True))
    assert kinds == sorted(
        [
            DiscrepancyKind.PAID_NOT_RECORDED,  # lost IPN, credited and resolved
            DiscrepancyKind.PAID_NOT_RECORDED,  # the ledger said cancelled, credited and resolved
            DiscrepancyKind.PAID_NOT_RECORDED,  # a stranger's reference
            DiscrepancyKind.DUPLICATE,
            DiscrepancyKind.DUPLICATE,
            DiscrepancyKind.RECORDED_NOT_PAID,
        ]
    )
    open_ones = Discrepancy.objects.filter(resolved_at__isnull=True)
    assert open_ones.count() == 4
    # The same statement read again (a retried task, a day fetched twice) finds nothing new.
    again = reconciliation.statement_reconcile(day=day, lines=lines)
    assert again.discrepancies == {} and again.credited == 0 and again.matched == 3
    assert Discrepancy.objects.count() == 6


def test_a_different_amount_in_the_statement(start):
    attempt = start(visit=False)
    day = timezone.localdate()
    line = {"txn_ref": attempt.txn_ref, "transaction_no": "1", "amount": 99_000, "status": "00", "pay_date": ""}
    result = reconciliation.statement_reconcile(day=day, lines=[line])
    assert result.discrepancies == {DiscrepancyKind.AMOUNT_MISMATCH: 1}
    # Not credited: under review, as the IPN leaves a payment whose amount differs.
    assert state(attempt) == AttemptState.NEEDS_REVIEW
    assert reconciliation.statement_reconcile(day=day, lines=[line]).discrepancies == {}
    assert Discrepancy.objects.filter(kind=DiscrepancyKind.AMOUNT_MISMATCH).count() == 1


def test_one_finding_heard_by_the_ipn_then_the_statement_is_recorded_once(start, settings):
    """The IPN and the statement apply a gateway's answer through one function
    (payments.ledger.answer_apply): the same different amount is one discrepancy."""
    from payments import vnpay

    attempt = start(visit=False)
    params = {
        "vnp_TmnCode": settings.VNPAY_TMN_CODE,
        "vnp_TxnRef": attempt.txn_ref,
        "vnp_Amount": str(99_000 * 100),
        "vnp_ResponseCode": "00",
        "vnp_TransactionStatus": "00",
        "vnp_TransactionNo": "14000777",
        "vnp_BankCode": "NCB",
        "vnp_PayDate": "20261207100000",
    }
    params["vnp_SecureHash"] = vnpay.sign(params, settings.VNPAY_HASH_SECRET)
    assert services.vnpay_ipn(params).reply["RspCode"] == "04"
    assert services.vnpay_ipn(params).reply["RspCode"] == "04"  # repeated by the gateway
    line = {"txn_ref": attempt.txn_ref, "transaction_no": "14000777", "amount": 99_000, "status": "00", "pay_date": ""}
    reconciliation.statement_reconcile(day=timezone.localdate(), lines=[line])
    assert Discrepancy.objects.filter(kind=DiscrepancyKind.AMOUNT_MISMATCH).count() == 1
    assert state(attempt) == AttemptState.NEEDS_REVIEW


def test_resolving_a_discrepancy_needs_a_note_and_is_recorded(start, django_user_model):
    attempt = start(visit=False)
    found = Discrepancy.objects.create(kind=DiscrepancyKind.AMOUNT_MISMATCH, attempt=attempt, txn_ref=attempt.txn_ref)
    officer = django_user_model.objects.create_user(username="ketoan", password="x")
    with pytest.raises(ValidationError):
        reconciliation.discrepancy_resolve(discrepancy=found, officer=officer, resolution="  ")
    reconciliation.discrepancy_resolve(discrepancy=found, officer=officer, resolution="Đã hoàn 1.000 đ cho người nộp")
    found.refresh_from_db()
    assert found.resolved_by == officer and found.resolved_at and "hoàn" in found.resolution
    with pytest.raises(ValidationError):
        reconciliation.discrepancy_resolve(discrepancy=found, officer=officer, resolution="lần nữa")


def test_a_broken_statement_line_is_a_discrepancy_not_a_crash(start):
    lines = reconciliation.parse_statement("txn_ref,transaction_no,amount,status,pay_date\n,1,abc,00,\n")
    result = reconciliation.statement_reconcile(day=timezone.localdate(), lines=lines)
    assert result.discrepancies == {DiscrepancyKind.PAID_NOT_RECORDED: 1}


def test_a_full_refund_through_the_gateway(sandbox, start, django_user_model):
    attempt = start()
    choose(sandbox, attempt, "success")
    officer = django_user_model.objects.create_user(username="ketoan2", password="x")
    with pytest.raises(ValidationError):
        services.refund_full(attempt=attempt, officer=officer, reason="")
    refunded = services.refund_full(attempt=attempt, officer=officer, reason="Nộp nhầm hồ sơ")
    assert refunded.state == AttemptState.REFUNDED
    change = refunded.changes.get(to_state=AttemptState.REFUNDED)
    assert (change.actor, change.note, change.source) == (officer, "Nộp nhầm hồ sơ", Source.OFFICER)
    assert sandbox.transactions[attempt.txn_ref].refunded == attempt.amount
    with pytest.raises(services.RefundRefused):  # not twice
        services.refund_full(attempt=refunded, officer=officer, reason="lần nữa")
    pending = start(visit=False)
    with pytest.raises(services.RefundRefused):  # nothing was paid
        services.refund_full(attempt=pending, officer=officer, reason="x")


def test_refunds_from_the_admin_say_what_happened(sandbox, start, admin_client):
    from django.urls import reverse

    paid, pending = start(), start(visit=False)
    choose(sandbox, paid, "success")
    response = admin_client.post(
        reverse("admin:payments_paymentattempt_changelist"),
        {"action": "refund_selected", "_selected_action": [paid.pk, pending.pk]},
        follow=True,
    )
    body = response.content.decode()
    assert f"{paid.txn_ref}: đã hoàn 100.000 đồng." in body
    assert f"{pending.txn_ref}: Giao dịch {pending.txn_ref} đang" in body
    assert state(paid) == AttemptState.REFUNDED and state(pending) == AttemptState.PENDING
    page = admin_client.get(reverse("admin:payments_paymentattempt_change", args=[paid.pk])).content.decode()
    assert "Hoàn tiền theo quyết định của kế toán" in page  # the audit rows are shown
