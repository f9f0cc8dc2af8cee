"""Fees are enforced (payments.fees.paid_before, read by the state machine's holds): "thu
trước" holds the receipt until paid at the counter or online, nothing is handed over unpaid,
an exemption with its reason releases the hold, and Mẫu 01 prints what the calculator says."""

import pytest
from django.urls import reverse

from dossiers import processing, workflow
from dossiers.constants import Status
from payments import fees
from payments.models import FeeExemption
from payments.services import counter_payment_record, fee_exemption_record
from procedures.constants import FeeCollection, FeeKind
from tests.dossiers import files
from tests.dossiers.staff import agency_staff, dossier_at, submitted_dossier, version_for

pytestmark = pytest.mark.django_db
FEES = [(FeeKind.LEVY, "LP1", "Lệ phí cấp bản sao", 15_000, None)]


@pytest.fixture
def staff():
    return agency_staff()


def _version(staff, *, level: int, collection: str, lines=FEES):
    version = version_for(staff.agency, level=level, fees=lines)
    type(version).objects.filter(pk=version.pk).update(fee_collection=collection)
    version.refresh_from_db()
    return version


def _resolved(staff, version):
    """A dossier of ``version`` taken to status 9 by the real workflow, unpaid."""
    dossier = dossier_at(staff, "issuing", version=version)
    processing.dossier_act(
        dossier=dossier,
        action="record_result",
        actor=staff.desk,
        data={"number": "1/KQ", "issued_on": dossier.received_at.date(), "summary": "Bản sao"},
        upload=files.pdf(),
    )
    dossier.refresh_from_db()
    return dossier


def test_a_level_4_fee_before_receipt_holds_the_receipt_until_paid(client, staff):
    version = _version(staff, level=4, collection=FeeCollection.BEFORE)
    dossier = submitted_dossier(staff.agency, version=version)
    with pytest.raises(workflow.TransitionError, match="thu phí, lệ phí trước khi tiếp nhận: hồ sơ còn 15.000"):
        processing.dossier_act(dossier=dossier, action="receive", actor=staff.desk)
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED
    client.force_login(staff.desk)
    page = client.get(reverse("desk:dossier", args=[dossier.code])).content.decode()
    assert 'id="held-receive"' in page and 'disabled aria-describedby="held-receive"' in page
    assert "Thu trước (nộp khi nộp hồ sơ, trước khi tiếp nhận)" in page and 'id="tt-collect_fee"' in page
    refused = client.post(reverse("desk:act", args=[dossier.code, "receive"]))
    assert refused.status_code == 409 and "15.000 đồng chưa nộp" in refused.content.decode()
    client.force_login(dossier.owner)
    mine = client.get(reverse("dossiers:detail", args=[dossier.public_id])).content.decode()
    assert "Phí, lệ phí cần nộp: 15.000 đ" in mine and "cơ quan tiếp nhận hồ sơ sau khi bạn nộp đủ" in mine
    counter_payment_record(dossier=dossier, officer=staff.desk, amount="15000", receipt_number="BL-1")
    processing.dossier_act(dossier=dossier, action="receive", actor=staff.desk)
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED


def test_a_partly_online_fee_before_receipt_is_taken_before_the_hand_over(staff):
    version = _version(staff, level=3, collection=FeeCollection.BEFORE)
    dossier = submitted_dossier(staff.agency, version=version)
    assert not fees.paid_before(dossier, fees.RECEIPT)  # cannot be paid online: not held
    assert fees.collection_text(fees.dossier_fees(dossier), dossier).startswith("Thu trước, nộp tại bộ phận một cửa")
    resolved = _resolved(staff, version)
    with pytest.raises(workflow.TransitionError, match="Chưa trả kết quả được: hồ sơ còn 15.000 đồng"):
        processing.dossier_act(
            dossier=resolved,
            action="return_result",
            actor=staff.desk,
            data={"method": "counter", "receiver_name": "An"},
        )


def test_a_fee_after_is_never_handed_over_unpaid_and_the_counter_pays_it(client, staff):
    version = _version(staff, level=4, collection=FeeCollection.AFTER)
    dossier = _resolved(staff, version)
    client.force_login(staff.desk)
    page = client.get(reverse("desk:dossier", args=[dossier.code])).content.decode()
    assert 'id="held-return_result"' in page and "Còn phải nộp: <strong>15.000 đ</strong>" in page
    refused = client.post(
        reverse("desk:act", args=[dossier.code, "return_result"]), {"method": "counter", "receiver_name": "An"}
    )
    assert refused.status_code == 409
    dossier.refresh_from_db()
    assert dossier.status == Status.RESOLVED
    paid = client.post(
        reverse("desk:collect_fee", args=[dossier.code]), {"amount": "15000", "method": "cash", "receipt_number": "7"}
    )
    assert paid.status_code == 302
    done = client.post(
        reverse("desk:act", args=[dossier.code, "return_result"]), {"method": "counter", "receiver_name": "An"}
    )
    assert done.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED


def test_an_exemption_releases_the_hold(staff):
    version = _version(staff, level=4, collection=FeeCollection.BEFORE)
    dossier = submitted_dossier(staff.agency, version=version)
    fee_exemption_record(
        dossier=dossier, officer=staff.desk, fee_ids=[version.fees.get().pk], reason="Người có công, giấy xác nhận"
    )
    assert FeeExemption.objects.filter(dossier=dossier).count() == 1
    assert fees.collection_text(fees.dossier_fees(dossier), dossier) == "Được miễn phí, lệ phí"
    processing.dossier_act(dossier=dossier, action="receive", actor=staff.desk)
    assert dossier.status == Status.RECEIVED


def test_no_fee_holds_nothing(staff):
    version = _version(staff, level=4, collection=FeeCollection.BEFORE, lines=[])
    dossier = submitted_dossier(staff.agency, version=version)
    assert all(not a.held_reason(dossier) for a in workflow.ACTIONS.values())
    assert fees.collection_text(fees.dossier_fees(dossier), dossier) == "Không thu phí, lệ phí"


def test_the_api_tells_why_an_action_is_held(client, staff):
    version = _version(staff, level=4, collection=FeeCollection.BEFORE)
    dossier = submitted_dossier(staff.agency, version=version)
    client.force_login(staff.desk)
    body = client.get(f"/api/v1/desk/dossiers/{dossier.code}/").json()
    receive = next(a for a in body["actions"] if a["name"] == "receive")
    assert "15.000 đồng chưa nộp" in receive["held_reason"]
    refused = client.post(f"/api/v1/desk/dossiers/{dossier.code}/actions/receive/", {}, content_type="application/json")
    assert refused.status_code == 409


def test_a_counter_intake_of_a_fee_before_receipt_takes_the_fee_first(staff):
    from payments.models import PaymentAttempt
    from tests.dossiers.test_processing import WALK_IN, fill

    version = _version(staff, level=3, collection=FeeCollection.BEFORE)
    dossier, _ = processing.intake_start(
        officer=staff.desk, agency=staff.agency, version=version, case=None, citizen=WALK_IN, channel=1
    )
    fill(dossier, staff.desk)
    with pytest.raises(Exception) as exc:
        processing.intake_complete(dossier=dossier, officer=staff.desk)
    assert set(exc.value.message_dict) == {"fee_method"}
    with pytest.raises(Exception) as exc:
        processing.intake_complete(dossier=dossier, officer=staff.desk, fee={"method": "cash", "receipt_number": ""})
    assert set(exc.value.message_dict) == {"fee_receipt_number"}
    with pytest.raises(Exception) as exc:
        processing.intake_complete(dossier=dossier, officer=staff.desk, fee={"method": "exempt"})
    assert set(exc.value.message_dict) == {"fee_exemption_reason"}
    dossier.refresh_from_db()
    assert dossier.status == Status.DRAFT and not PaymentAttempt.objects.filter(dossier=dossier).exists()
    done = processing.intake_complete(
        dossier=dossier, officer=staff.desk, fee={"method": "card", "receipt_number": "POS-0099"}
    )
    assert done.status == Status.RECEIVED
    attempt = PaymentAttempt.objects.get(dossier=dossier)
    assert (attempt.amount, attempt.method, attempt.counter_receipt_number) == (15_000, "card", "POS-0099")
