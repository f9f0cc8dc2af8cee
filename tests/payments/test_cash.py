"""Fees at the counter (cash or card, with the agency's receipt number) and exemptions,
recorded by the one-stop officer in the same ledger; bad input."""

import pytest
from django.urls import reverse

from dossiers import processing
from dossiers.constants import Status
from payments.constants import AttemptState, Method, Source
from payments.models import PaymentAttempt
from procedures.constants import FeeKind
from tests.dossiers.staff import agency_staff, dossier_at, submitted_dossier, version_for

pytestmark = pytest.mark.django_db
FEES = [(FeeKind.LEVY, "LP1", "Lệ phí", 50_000, None)]


@pytest.fixture
def staff():
    return agency_staff()


def test_the_desk_takes_the_fee_in_cash_and_the_dossier_moves_on(client, staff):
    version = version_for(staff.agency, level=3, fees=FEES)
    dossier = dossier_at(staff, "specialist", version=version)
    processing.dossier_act(dossier=dossier, action="request_payment", actor=staff.specialist)
    client.force_login(staff.desk)
    page = client.get(reverse("desk:dossier", args=[dossier.code])).content.decode()
    assert "Còn phải nộp: <strong>50.000 đ</strong>" in page and 'id="tt-collect_fee"' in page
    response = client.post(
        reverse("desk:collect_fee", args=[dossier.code]),
        {"amount": "50.000", "method": "cash", "receipt_number": "BL-0042"},
    )
    assert response.status_code == 302
    attempt = PaymentAttempt.objects.get(dossier=dossier)
    assert (attempt.method, attempt.state, attempt.amount, attempt.recorded_by, attempt.counter_receipt_number) == (
        Method.CASH,
        AttemptState.SUCCEEDED,
        50_000,
        staff.desk,
        "BL-0042",
    )
    assert {c.source for c in attempt.changes.all()} == {Source.OFFICER}
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    page = client.get(reverse("desk:dossier", args=[dossier.code])).content.decode()
    assert "Đã nộp 50.000 đ – Tiền mặt tại quầy, biên lai số BL-0042" in page and 'id="tt-collect_fee"' not in page
    receipt = client.get(reverse("payments:receipt", args=[attempt.txn_ref]))
    assert receipt.status_code == 200 and receipt["Content-Type"] == "application/pdf"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "số nguyên dương"),
        ("abc", "số nguyên dương"),
        ("-5", "số nguyên dương"),
        ("0", "số nguyên dương"),
        ("50.000,5", "số nguyên dương"),
        ("999999", "vượt quá số phải nộp (50.000 đồng)"),
    ],
)
def test_bad_amounts_are_refused_at_the_field_and_kept(client, staff, typed, message):
    version = version_for(staff.agency, level=3, fees=FEES)
    dossier = submitted_dossier(staff.agency, version=version)
    client.force_login(staff.desk)
    response = client.post(
        reverse("desk:collect_fee", args=[dossier.code]), {"amount": typed, "method": "cash", "receipt_number": "BL-1"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body and 'aria-describedby="err-collect_fee-amount"' in body
    assert f'name="amount" inputmode="numeric" value="{typed}"' in body
    assert not PaymentAttempt.objects.filter(dossier=dossier).exists()


def test_only_the_agencys_desk_collects(client, staff):
    version = version_for(staff.agency, level=3, fees=FEES)
    dossier = submitted_dossier(staff.agency, version=version)
    client.force_login(staff.specialist)
    good = {"amount": "50000", "method": "cash", "receipt_number": "BL-1"}
    assert client.post(reverse("desk:collect_fee", args=[dossier.code]), good).status_code == 403
    other = agency_staff()
    client.force_login(other.desk)
    assert client.post(reverse("desk:collect_fee", args=[dossier.code]), good).status_code == 404
    assert not PaymentAttempt.objects.filter(dossier=dossier).exists()
    client.force_login(other.desk)
    assert client.get(reverse("desk:collect_fee", args=[dossier.code])).status_code == 405


def test_nothing_left_to_collect(client, staff):
    version = version_for(staff.agency, level=3, fees=[])
    dossier = submitted_dossier(staff.agency, version=version)
    client.force_login(staff.desk)
    response = client.post(reverse("desk:collect_fee", args=[dossier.code]), {"amount": "1000"})
    assert response.status_code == 400 and "không còn khoản phí" in response.content.decode()


def test_the_receipt_number_and_the_way_of_paying_are_required_and_kept(client, staff):
    version = version_for(staff.agency, level=3, fees=FEES)
    dossier = submitted_dossier(staff.agency, version=version)
    client.force_login(staff.desk)
    response = client.post(
        reverse("desk:collect_fee", args=[dossier.code]), {"amount": "50000", "method": "cheque", "receipt_number": " "}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="err-collect_fee-method"' in body and "tiền mặt hoặc thẻ" in body
    assert 'id="err-collect_fee-receipt_number"' in body and "số biên lai" in body
    assert 'name="amount" inputmode="numeric" value="50000"' in body
    too_long = client.post(
        reverse("desk:collect_fee", args=[dossier.code]),
        {"amount": "50000", "method": "card", "receipt_number": "9" * 51},
    )
    assert too_long.status_code == 400 and "tối đa 50 ký tự" in too_long.content.decode()
    assert 'value="card" selected' in too_long.content.decode()
    assert not PaymentAttempt.objects.filter(dossier=dossier).exists()
    ok = client.post(
        reverse("desk:collect_fee", args=[dossier.code]),
        {"amount": "50000", "method": "card", "receipt_number": "POS-7"},
    )
    assert ok.status_code == 302
    assert PaymentAttempt.objects.get(dossier=dossier).method == Method.CARD


def test_an_exemption_needs_a_line_and_a_reason_then_the_fee_owes_nothing(client, staff):
    from payments.fees import dossier_fees
    from payments.models import FeeExemption

    version = version_for(staff.agency, level=3, fees=FEES)
    dossier = dossier_at(staff, "specialist", version=version)
    processing.dossier_act(dossier=dossier, action="request_payment", actor=staff.specialist)
    client.force_login(staff.desk)
    url = reverse("desk:exempt_fee", args=[dossier.code])
    fee_id = version.fees.get().pk
    bad = client.post(url, {"reason": "Hộ nghèo, sổ hộ nghèo số 12"})
    assert bad.status_code == 400 and 'id="err-exempt_fee-fees"' in bad.content.decode()
    assert "Hộ nghèo, sổ hộ nghèo số 12</textarea>" in bad.content.decode()  # what was typed is kept
    no_reason = client.post(url, {"fees": [fee_id], "reason": "  "})
    assert no_reason.status_code == 400 and 'id="err-exempt_fee-reason"' in no_reason.content.decode()
    foreign = client.post(url, {"fees": [fee_id + 999], "reason": "x"})
    assert foreign.status_code == 400 and "không thuộc" in foreign.content.decode()
    assert not FeeExemption.objects.exists()
    ok = client.post(url, {"fees": [fee_id], "reason": "Hộ nghèo, sổ hộ nghèo số 12"})
    assert ok.status_code == 302
    exemption = FeeExemption.objects.get(dossier=dossier)
    assert (exemption.fee_id, exemption.recorded_by) == (fee_id, staff.desk)
    dossier.refresh_from_db()
    assert dossier_fees(dossier).total == 0
    assert dossier.status == Status.PROCESSING  # nothing left to wait for
    page = client.get(reverse("desk:dossier", args=[dossier.code])).content.decode()
    assert "Miễn Lệ phí – Hộ nghèo, sổ hộ nghèo số 12" in page
    client.force_login(staff.specialist)
    assert client.post(url, {"fees": [fee_id], "reason": "x"}).status_code == 403


def test_the_desk_cannot_confirm_a_fee_that_was_not_paid(staff):
    from dossiers.workflow import TransitionError

    version = version_for(staff.agency, level=3, fees=FEES)
    dossier = dossier_at(staff, "specialist", version=version)
    processing.dossier_act(dossier=dossier, action="request_payment", actor=staff.specialist)
    with pytest.raises(TransitionError, match="50.000 đồng phí, lệ phí chưa nộp"):
        processing.dossier_act(dossier=dossier, action="payment_confirmed", actor=staff.desk)
    dossier.refresh_from_db()
    assert dossier.status == Status.AWAITING_PAYMENT
