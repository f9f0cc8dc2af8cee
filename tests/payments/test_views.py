"""The citizen's payment page, the return page, the receipt; bad input and other people."""

import io
import unicodedata

import pytest
from django.urls import reverse
from pypdf import PdfReader

from dossiers import processing
from payments import services, vnpay
from payments.constants import AttemptState
from payments.models import PaymentAttempt, Receipt
from procedures.constants import FeeKind
from tests.dossiers.staff import agency_staff, dossier_at, submitted_dossier, version_for
from tests.factories import CitizenFactory

pytestmark = pytest.mark.django_db
SECRET = "DEMOSECRETDEMOSECRETDEMOSECRET12"
FEES = [(FeeKind.LEVY, "LP1", "Lệ phí cấp phiếu", 200_000, 100_000), (FeeKind.CHARGE, "P1", "Phí", 8_000, None)]


@pytest.fixture
def staff():
    return agency_staff()


@pytest.fixture
def level4(staff):
    version = version_for(staff.agency, level=4, fees=FEES)
    return submitted_dossier(staff.agency, version=version)


def signed(attempt, code="00", status="00"):
    params = {
        "vnp_Amount": str(attempt.amount * 100),
        "vnp_ResponseCode": code,
        "vnp_TransactionStatus": status,
        "vnp_TmnCode": "DEMO0001",
        "vnp_TxnRef": attempt.txn_ref,
        "vnp_TransactionNo": "777",
        "vnp_PayDate": "20261201093500",
    }
    params["vnp_SecureHash"] = vnpay.sign(params, SECRET)
    return params


def test_the_dossier_page_offers_the_fee_and_the_pay_page_sends_to_the_gateway(client, level4):
    client.force_login(level4.owner)
    page = client.get(reverse("dossiers:detail", args=[level4.public_id])).content.decode()
    assert 'id="payment-due"' in page and "108.000 đ" in page
    pay_url = reverse("payments:pay", args=[level4.public_id])
    body = client.get(pay_url).content.decode()
    assert "Lệ phí cấp phiếu" in body and "Giảm 100.000 đ khi nộp trực tuyến" in body and "108.000 đ" in body
    response = client.post(pay_url)
    assert response.status_code == 302
    assert response["Location"].startswith("http://127.0.0.1:8099/paymentv2/vpcpay.html?vnp_Version=2.1.0")
    attempt = PaymentAttempt.objects.get(dossier=level4)
    assert (attempt.amount, attempt.state, attempt.payer) == (108_000, AttemptState.PENDING, level4.owner)
    assert [line["code"] for line in attempt.lines] == ["LP1", "P1"]
    query = dict(p.split("=", 1) for p in response["Location"].split("?", 1)[1].split("&"))
    assert query["vnp_Amount"] == "10800000" and query["vnp_TxnRef"] == attempt.txn_ref


def test_nothing_to_pay_and_other_peoples_dossiers(client, staff, level4):
    level3 = submitted_dossier(staff.agency)  # level 3: no online payment
    client.force_login(level3.owner)
    response = client.get(reverse("payments:pay", args=[level3.public_id]), follow=True)
    assert "không có khoản phí, lệ phí nào cần nộp trực tuyến" in response.content.decode()
    assert client.post(reverse("payments:pay", args=[level3.public_id])).status_code == 302
    assert not PaymentAttempt.objects.filter(dossier=level3).exists()
    assert client.get(reverse("payments:pay", args=[level4.public_id])).status_code == 404  # not theirs
    assert client.post(reverse("payments:pay", args=[level4.public_id])).status_code == 404
    client.logout()
    assert client.get(reverse("payments:pay", args=[level4.public_id])).status_code == 302  # to the login


def test_paid_once_nothing_more_is_due(client, level4):
    attempt = services.attempt_create(dossier=level4, amount=108_000)
    services.attempt_redirect(attempt=attempt, ip_address="", return_url="http://x/", info="x")
    services.vnpay_ipn(signed(attempt))
    client.force_login(level4.owner)
    page = client.get(reverse("dossiers:detail", args=[level4.public_id])).content.decode()
    assert 'id="payment-due"' not in page and "Biên lai" in page


def test_the_return_page_shows_what_the_ledger_says(client, level4):
    attempt = services.attempt_create(dossier=level4, amount=108_000)
    services.attempt_redirect(attempt=attempt, ip_address="", return_url="http://x/", info="x")
    url = reverse("payments:vnpay_return")
    client.force_login(level4.owner)
    waiting = client.get(url, signed(attempt))
    body = waiting.content.decode()
    assert "Đang chờ xác nhận thanh toán" in body and 'http-equiv="refresh"' in body
    assert PaymentAttempt.objects.get(pk=attempt.pk).state == AttemptState.PENDING  # the return changes nothing
    services.vnpay_ipn(signed(attempt))
    done = client.get(url, signed(attempt)).content.decode()
    assert "Thanh toán thành công" in done and reverse("payments:receipt", args=[attempt.txn_ref]) in done
    tampered = {**signed(attempt), "vnp_Amount": "1"}
    assert client.get(url, tampered).status_code == 400
    unknown = signed(attempt)
    unknown["vnp_TxnRef"] = "TTNONE"
    unknown["vnp_SecureHash"] = vnpay.sign(unknown, SECRET)
    assert client.get(url, unknown).status_code == 404


def test_a_cancelled_payment_can_be_tried_again(client, level4):
    attempt = services.attempt_create(dossier=level4, amount=108_000)
    services.attempt_redirect(attempt=attempt, ip_address="", return_url="http://x/", info="x")
    services.vnpay_ipn(signed(attempt, code="24", status="02"))
    client.force_login(level4.owner)
    body = client.get(reverse("payments:vnpay_return"), signed(attempt, code="24", status="02")).content.decode()
    assert "Chưa thanh toán được" in body and "Thanh toán lại" in body


def _text(data: bytes) -> str:
    text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


def test_the_receipt_pdf_says_the_amount_in_words_and_only_its_owner_gets_it(client, level4):
    attempt = services.attempt_create(
        dossier=level4, amount=108_000, lines=[{"kind": "le_phi", "name": "Lệ phí cấp phiếu", "due": 100_000,
                                                "exempt": False}, {"kind": "phi", "name": "Phí", "due": 8_000,
                                                                   "exempt": False}],
    )  # fmt: skip
    services.attempt_redirect(attempt=attempt, ip_address="", return_url="http://x/", info="x")
    services.vnpay_ipn(signed(attempt))
    url = reverse("payments:receipt", args=[attempt.txn_ref])
    client.force_login(level4.owner)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _text(b"".join(response.streaming_content))
    assert "BIÊN LAI THU PHÍ, LỆ PHÍ" in text and level4.applicant_name in text and level4.code in text
    assert "108.000 đ" in text and "Một trăm linh tám nghìn đồng" in text and "777" in text
    assert "Lệ phí cấp phiếu" in text
    client.get(url)
    assert Receipt.objects.filter(attempt=attempt).count() == 1  # made once
    client.force_login(CitizenFactory())
    assert client.get(url).status_code == 404


def test_no_receipt_before_the_payment_succeeds(client, level4):
    attempt = services.attempt_create(dossier=level4, amount=108_000)
    client.force_login(level4.owner)
    assert client.get(reverse("payments:receipt", args=[attempt.txn_ref])).status_code == 404
    assert client.get(reverse("payments:receipt", args=["TT-NOT-A-REF"])).status_code == 404


def test_a_fee_asked_for_during_processing(client, staff):
    version = version_for(staff.agency, level=4, fees=FEES)
    from procedures.models import ProcedureVersion

    ProcedureVersion.objects.filter(pk=version.pk).update(fee_collection="after")
    dossier = dossier_at(staff, "specialist", version=ProcedureVersion.objects.get(pk=version.pk))
    client.force_login(dossier.owner)
    assert client.get(reverse("payments:pay", args=[dossier.public_id])).status_code == 302  # not asked yet
    processing.dossier_act(dossier=dossier, action="request_payment", actor=staff.specialist)
    assert client.get(reverse("payments:pay", args=[dossier.public_id])).status_code == 200
