"""Cash at the counter, recorded by the one-stop officer in the same ledger; bad input."""

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
    response = client.post(reverse("desk:collect_fee", args=[dossier.code]), {"amount": "50.000"})
    assert response.status_code == 302
    attempt = PaymentAttempt.objects.get(dossier=dossier)
    assert (attempt.method, attempt.state, attempt.amount, attempt.recorded_by) == (
        Method.CASH,
        AttemptState.SUCCEEDED,
        50_000,
        staff.desk,
    )
    assert {c.source for c in attempt.changes.all()} == {Source.OFFICER}
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    page = client.get(reverse("desk:dossier", args=[dossier.code])).content.decode()
    assert "Đã nộp 50.000 đ – Tiền mặt tại quầy" in page and 'id="tt-collect_fee"' not in page
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
    response = client.post(reverse("desk:collect_fee", args=[dossier.code]), {"amount": typed})
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body and 'aria-describedby="err-collect_fee-amount"' in body
    assert f'name="amount" inputmode="numeric" value="{typed}"' in body
    assert not PaymentAttempt.objects.filter(dossier=dossier).exists()


def test_only_the_agencys_desk_collects(client, staff):
    version = version_for(staff.agency, level=3, fees=FEES)
    dossier = submitted_dossier(staff.agency, version=version)
    client.force_login(staff.specialist)
    assert client.post(reverse("desk:collect_fee", args=[dossier.code]), {"amount": "50000"}).status_code == 403
    other = agency_staff()
    client.force_login(other.desk)
    assert client.post(reverse("desk:collect_fee", args=[dossier.code]), {"amount": "50000"}).status_code == 404
    assert not PaymentAttempt.objects.filter(dossier=dossier).exists()
    client.force_login(other.desk)
    assert client.get(reverse("desk:collect_fee", args=[dossier.code])).status_code == 405


def test_nothing_left_to_collect(client, staff):
    version = version_for(staff.agency, level=3, fees=[])
    dossier = submitted_dossier(staff.agency, version=version)
    client.force_login(staff.desk)
    response = client.post(reverse("desk:collect_fee", args=[dossier.code]), {"amount": "1000"})
    assert response.status_code == 400 and "không còn khoản phí" in response.content.decode()
