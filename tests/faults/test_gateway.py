"""The payment gateway timing out: a socket that accepts connections and never answers
stands for VNPay's API (querydr, refund), with the portal's timeout at 1 s; the citizen's
browser "times out" on the gateway's page after paying (the IPN lost, the return never seen).

Already covered: ``tests/payments/test_reconciliation.py`` (the gateway refusing
connections leaves attempts to ask again; a lost IPN found by the query).

The citizen who comes back and presses "pay" again is told, in Vietnamese, to wait: no
second attempt is made while the first may still take the money; once the gateway answers
again the first is found paid and credited. Nothing is charged, credited or refunded twice.
"""

import datetime
import socket
import time
import urllib.request

import pytest
from django.urls import reverse
from django.utils import timezone

from dossiers import processing
from dossiers.constants import Status
from dossiers.models import StatusChange
from payments import reconciliation
from payments import services as payment_services
from payments.constants import AttemptState
from payments.models import AttemptChange, PaymentAttempt
from procedures.models import ProcedureVersion
from tests.dossiers.staff import agency_staff, dossier_at, version_for
from tests.payments.test_sandbox import choose
from tests.payments.test_views import FEES

pytestmark = [pytest.mark.faults, pytest.mark.django_db]


@pytest.fixture
def silent_api():
    """Accepts connections (the kernel's backlog) and never reads or answers a byte."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/merchant_webapi/api/transaction"
    listener.close()


def test_the_gateway_timing_out_never_charges_or_credits_twice(client, slow_sandbox, silent_api, settings):
    began = time.monotonic()
    settings.VNPAY_API_TIMEOUT = 1.0
    sandbox_api = settings.VNPAY_API_URL
    staff = agency_staff()
    version = version_for(staff.agency, level=4, fees=FEES)
    ProcedureVersion.objects.filter(pk=version.pk).update(fee_collection="after")
    dossier = dossier_at(staff, "specialist", version=ProcedureVersion.objects.get(pk=version.pk))
    processing.dossier_act(dossier=dossier, action="request_payment", actor=staff.specialist)
    client.force_login(dossier.owner)
    pay = reverse("payments:pay", args=[dossier.public_id])
    tries = 0

    # The citizen pays; the gateway takes the money but the IPN is lost and the browser
    # never comes back (the gateway's page timed out for them).
    response = client.post(pay)
    tries += 1
    assert response.status_code == 302 and response["Location"].startswith(slow_sandbox.base)
    urllib.request.urlopen(response["Location"], timeout=10).read()
    attempt = PaymentAttempt.objects.get(dossier=dossier)
    choose(slow_sandbox, attempt, "lost_ipn")

    # Back on the portal at once, "pay" again: told to wait, no second attempt.
    response = client.post(pay)
    tries += 1
    body = response.content.decode()
    assert response.status_code == 409 and 'id="pay-error"' in body
    assert f"Giao dịch {attempt.txn_ref} đang chờ cổng thanh toán xác nhận" in body and "đừng thanh toán lại" in body

    # Later: the attempt has expired, and the gateway's API does not answer within 1 s.
    PaymentAttempt.objects.filter(pk=attempt.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=20),
        expires_at=timezone.now() - datetime.timedelta(minutes=5),
    )
    settings.VNPAY_API_URL = silent_api
    started = time.monotonic()
    assert reconciliation.pending_reconcile() == {"error": 1}  # the beat's run: asks again next time
    assert time.monotonic() - started < 3  # held no longer than the timeout
    response = client.post(pay)
    tries += 1
    body = response.content.decode()
    assert response.status_code == 409 and "Để không bị trừ tiền hai lần, hãy thử lại sau ít phút." in body
    assert PaymentAttempt.objects.filter(dossier=dossier).count() == 1
    assert PaymentAttempt.objects.get(pk=attempt.pk).state == AttemptState.PENDING

    # The gateway answers again: the next "pay" finds the first attempt paid and credits it.
    settings.VNPAY_API_URL = sandbox_api
    response = client.post(pay)
    tries += 1
    assert response.status_code == 409
    assert "Cổng thanh toán đã xác nhận lần thanh toán trước" in response.content.decode()
    attempt.refresh_from_db()
    dossier.refresh_from_db()
    assert attempt.state == AttemptState.SUCCEEDED and dossier.status == Status.PROCESSING
    assert client.get(pay).status_code == 302  # nothing left to pay
    assert reconciliation.pending_reconcile(now=timezone.now() + datetime.timedelta(hours=1)) == {}

    # A refund while the API is silent: refused with a clear message, nothing moved.
    settings.VNPAY_API_URL = silent_api
    officer = staff.admin
    with pytest.raises(payment_services.RefundRefused) as refused:
        payment_services.refund_full(attempt=attempt, officer=officer, reason="Nộp nhầm")
    assert "cổng thanh toán không trả lời sau 1 giây, chưa rõ kết quả" in str(refused.value)
    assert PaymentAttempt.objects.get(pk=attempt.pk).state == AttemptState.SUCCEEDED
    assert slow_sandbox.transactions[attempt.txn_ref].refunded == 0

    charged = sum(1 for t in slow_sandbox.transactions.values() if t.status == "00")
    credits = AttemptChange.objects.filter(attempt__dossier=dossier, to_state=AttemptState.SUCCEEDED).count()
    confirmations = StatusChange.objects.filter(dossier=dossier, action="payment_confirmed").count()
    print(
        f"\nGateway timing out: {tries} presses of 'pay' (1 went to the gateway), 1 querydr and 1 refund timed "
        f"out at 1 s; attempts {PaymentAttempt.objects.filter(dossier=dossier).count()}, charged {charged}, "
        f"credited {credits}, dossier confirmed {confirmations}, refunded 0; {time.monotonic() - began:.1f} s"
    )
    assert (charged, credits, confirmations) == (1, 1, 1)  # nothing twice, nothing lost
