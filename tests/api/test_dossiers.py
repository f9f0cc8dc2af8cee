"""A citizen files through the API: draft, answers, a phone photo, submit, follow it; the
Idempotency-Key; bad input by field; nobody reaches someone else's dossier."""

import uuid

import pytest

from dossiers.constants import Status
from dossiers.models import Dossier
from tests.dossiers import files
from tests.dossiers.staff import agency_staff, dossier_at, version_for
from tests.factories import CitizenFactory

from .helpers import key_client, session_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    staff = agency_staff()
    version = version_for(staff.agency)
    return staff, version


def _start(api, version, agency, **extra):
    return api.post(
        "/api/v1/dossiers/",
        {"procedure": version.procedure.national_code, "agency": agency.pk},
        format="json",
        **extra,
    )


def test_a_citizen_files_a_dossier_through_the_api(setting):
    staff, version = setting
    citizen = CitizenFactory()
    api, _ = key_client(citizen)
    created = _start(api, version, staff.agency)
    assert created.status_code == 201
    body = created.json()
    assert body["status"] == 0 and body["code"] is None and created["Location"].endswith(f"{body['id']}/")
    assert "f_noi_dung" in body["missing"]
    url = f"/api/v1/dossiers/{body['id']}/"
    patched = api.patch(
        url,
        {"applicant": {"applicant_address": "Thôn 3, xã Hoằng Tiến"}, "answers": {"noi_dung": "Cấp bản sao"}},
        format="json",
    )
    assert patched.status_code == 200 and patched.json()["answers"]["noi_dung"] == "Cấp bản sao"
    # Submitting with a document missing: 400, what is missing by field, nothing lost.
    early = api.post(f"{url}submit/")
    assert early.status_code == 400 and any(k.startswith("doc_") for k in early.json())
    document = next(d for d in patched.json()["documents"] if d["required"])
    upload = api.post(f"{url}documents/{document['id']}/files/", {"files": [files.photo(), files.photo()]})
    assert upload.status_code == 201
    shown = next(d for d in upload.json()["documents"] if d["id"] == document["id"])
    assert shown["attached"] and shown["pages"] == 2
    submitted = api.post(f"{url}submit/")
    assert submitted.status_code == 200
    done = submitted.json()
    assert done["status"] == Status.SUBMITTED and done["code"] and done["timeline"][0]["label"]
    assert api.post(f"{url}submit/").json()["code"] == done["code"]  # submitting twice: one code
    listing = api.get("/api/v1/dossiers/").json()
    assert [row["code"] for row in listing["results"]] == [done["code"]]
    # Tracking, as anyone, with the last four digits of the ID number.
    from rest_framework.test import APIClient

    tracked = APIClient().get("/api/v1/tracking/", {"code": done["code"], "last_digits": citizen.national_id[-4:]})
    assert tracked.status_code == 200 and tracked.json()["status"] == Status.SUBMITTED
    assert "applicant_name" not in tracked.json()
    wrong = APIClient().get("/api/v1/tracking/", {"code": done["code"], "last_digits": "0000"})
    assert wrong.status_code == 404
    bad = APIClient().get("/api/v1/tracking/", {"code": done["code"], "last_digits": "12a"})
    assert bad.status_code == 400 and bad.json()["last_digits"] == ["Hãy nhập đúng 4 chữ số."]
    # Withdrawing needs a reason.
    refused = api.post(f"{url}withdraw/", {"reason": " "}, format="json")
    assert refused.status_code == 400 and "note" in refused.json()
    assert api.post(f"{url}withdraw/", {"reason": "Nộp nhầm"}, format="json").json()["status"] == Status.WITHDRAWN


def test_bad_input_is_answered_by_field(setting):
    staff, version = setting
    api = session_client(CitizenFactory())
    bad = api.post("/api/v1/dossiers/", {"procedure": "x", "agency": "y"}, format="json")
    assert bad.status_code == 400
    assert bad.json() == {"procedure": ["Mã thủ tục có dạng 1.001193."], "agency": ["Phải là một số nguyên."]}
    unknown = api.post("/api/v1/dossiers/", {"procedure": "9.999999", "agency": staff.agency.pk}, format="json")
    assert unknown.status_code == 400 and unknown.json() == {"procedure": ["Không tìm thấy thủ tục."]}
    other_agency = agency_staff().agency
    wrong = _start(api, version, other_agency)
    assert wrong.status_code == 400 and "không tiếp nhận hồ sơ trực tuyến" in wrong.json()["agency"][0]
    not_json = api.post("/api/v1/dossiers/", "{oops", content_type="application/json")
    assert not_json.status_code == 400
    body = _start(api, version, staff.agency).json()
    url = f"/api/v1/dossiers/{body['id']}/"
    assert api.patch(url, {"answers": ["a"]}, format="json").status_code == 400
    long = api.patch(url, {"applicant": {"applicant_name": "x" * 201}}, format="json")
    assert long.status_code == 400 and long.json()["applicant"]["applicant_name"] == ["Tối đa 200 ký tự."]
    document = next(d for d in body["documents"] if d["required"])
    empty = api.post(f"{url}documents/{document['id']}/files/", {})
    assert empty.status_code == 400 and "files" in empty.json()
    exe = api.post(f"{url}documents/{document['id']}/files/", {"files": [files.executable_named_pdf()]})
    assert exe.status_code == 400
    assert api.post(f"{url}documents/999999/files/", {"files": [files.photo()]}).status_code == 404
    assert api.post(f"{url}payments/").status_code == 400  # nothing to pay


def test_the_same_idempotency_key_gives_the_first_answer(setting):
    staff, version = setting
    api, _ = key_client(CitizenFactory())
    first = _start(api, version, staff.agency, HTTP_IDEMPOTENCY_KEY="tao-ho-so-1")
    again = _start(api, version, staff.agency, HTTP_IDEMPOTENCY_KEY="tao-ho-so-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert again["Location"] == first["Location"]
    assert Dossier.objects.count() == 1
    other = api.post(
        "/api/v1/dossiers/",
        {"procedure": version.procedure.national_code, "agency": staff.agency.pk, "case": None},
        format="json",
        HTTP_IDEMPOTENCY_KEY="tao-ho-so-1",
    )
    assert other.status_code == 409 and "yêu cầu khác" in other.json()["detail"]
    bad_key = _start(api, version, staff.agency, HTTP_IDEMPOTENCY_KEY="có dấu")
    assert bad_key.status_code == 400 and "Idempotency-Key" in bad_key.json()
    # Keys belong to their caller: another citizen's same key is a new request.
    other_api, _ = key_client(CitizenFactory())
    assert _start(other_api, version, staff.agency, HTTP_IDEMPOTENCY_KEY="tao-ho-so-1").status_code == 201
    assert Dossier.objects.count() == 2
    # A refused request leaves the key free for the corrected one.
    refused = api.post("/api/v1/dossiers/", {"procedure": "x"}, format="json", HTTP_IDEMPOTENCY_KEY="k2")
    assert refused.status_code == 400
    assert (
        api.post("/api/v1/dossiers/", {"procedure": "x"}, format="json", HTTP_IDEMPOTENCY_KEY="k2").status_code == 400
    )


def test_uploads_with_the_same_key_attach_once(setting):
    staff, version = setting
    api, _ = key_client(CitizenFactory())
    body = _start(api, version, staff.agency).json()
    document = next(d for d in body["documents"] if d["required"])
    url = f"/api/v1/dossiers/{body['id']}/documents/{document['id']}/files/"
    photo = files.photo()
    first = api.post(url, {"files": [photo]}, HTTP_IDEMPOTENCY_KEY="anh-1")
    photo.seek(0)
    again = api.post(url, {"files": [photo]}, HTTP_IDEMPOTENCY_KEY="anh-1")
    assert first.status_code == again.status_code == 201
    assert next(d for d in again.json()["documents"] if d["id"] == document["id"])["pages"] == 1
    different = api.post(url, {"files": [files.png()]}, HTTP_IDEMPOTENCY_KEY="anh-1")
    assert different.status_code == 409


def test_nobody_reaches_another_citizens_dossier(setting):
    staff, version = setting
    owner_dossier = dossier_at(staff, "supplement")
    stranger = CitizenFactory()
    for api in (key_client(stranger)[0], session_client(stranger), key_client(staff.desk)[0]):
        base = f"/api/v1/dossiers/{owner_dossier.public_id}/"
        assert api.get(base).status_code == 404
        assert api.patch(base, {"answers": {"noi_dung": "x"}}, format="json").status_code == 404
        assert api.post(f"{base}submit/").status_code == 404
        assert api.post(f"{base}supplement/").status_code == 404
        assert api.post(f"{base}withdraw/", {"reason": "x"}, format="json").status_code == 404
        assert api.post(f"{base}payments/").status_code == 404
        doc = owner_dossier.documents.first().required_document_id
        assert api.post(f"{base}documents/{doc}/files/", {"files": [files.photo()]}).status_code == 404
        assert owner_dossier.code not in str(api.get("/api/v1/dossiers/").json())
    assert key_client(stranger)[0].get(f"/api/v1/dossiers/{uuid.uuid4()}/").status_code == 404


def test_the_owner_answers_a_supplement_request(setting):
    staff, _ = setting
    dossier = dossier_at(staff, "supplement")
    api, _ = key_client(dossier.owner)
    url = f"/api/v1/dossiers/{dossier.public_id}/"
    shown = api.get(url).json()
    assert shown["status"] == Status.SUPPLEMENT_REQUESTED and shown["supplement"]["items"] == "Bản sao Giấy khai sinh"
    answered = api.post(f"{url}supplement/")
    assert answered.status_code == 200 and answered.json()["status"] == Status.PROCESSING
    again = api.post(f"{url}supplement/")
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("method", "path", "scope"),
    [
        ("get", "/api/v1/dossiers/", "dossiers:read"),
        ("post", "/api/v1/dossiers/", "dossiers:write"),
        ("get", "/api/v1/dossiers/{id}/", "dossiers:read"),
        ("patch", "/api/v1/dossiers/{id}/", "dossiers:write"),
        ("post", "/api/v1/dossiers/{id}/submit/", "dossiers:write"),
        ("post", "/api/v1/dossiers/{id}/supplement/", "dossiers:write"),
        ("post", "/api/v1/dossiers/{id}/withdraw/", "dossiers:write"),
        ("post", "/api/v1/dossiers/{id}/payments/", "payments:write"),
        ("post", "/api/v1/dossiers/{id}/documents/1/files/", "dossiers:write"),
    ],
)
def test_each_operation_needs_its_scope(setting, method, path, scope):
    from api.constants import SCOPES

    citizen = CitizenFactory()
    dossier_id = uuid.uuid4()
    without, _ = key_client(citizen, [s for s in SCOPES if s != scope])
    denied = getattr(without, method)(path.format(id=dossier_id), {}, format="json")
    assert denied.status_code == 403 and scope in denied.json()["detail"]
    with_scope, _ = key_client(citizen, [scope])
    assert getattr(with_scope, method)(path.format(id=dossier_id), {}, format="json").status_code != 403


def test_a_level_4_fee_is_paid_through_the_api():
    from urllib.parse import parse_qs, urlparse

    from payments.models import PaymentAttempt
    from procedures.constants import FeeKind

    staff = agency_staff()
    fees = [(FeeKind.LEVY, "LP1", "Lệ phí cấp phiếu", 200_000, 100_000)]
    from tests.dossiers.staff import submitted_dossier

    dossier = submitted_dossier(staff.agency, version=version_for(staff.agency, level=4, fees=fees))
    api, _ = key_client(dossier.owner, ["dossiers:read", "payments:write"])
    shown = api.get(f"/api/v1/dossiers/{dossier.public_id}/").json()
    assert shown["payment_due"]["amount"] == 100_000  # the online amount
    started = api.post(f"/api/v1/dossiers/{dossier.public_id}/payments/", HTTP_IDEMPOTENCY_KEY="tra-phi-1")
    assert started.status_code == 201
    body = started.json()
    query = parse_qs(urlparse(body["redirect_url"]).query)
    assert query["vnp_TxnRef"] == [body["txn_ref"]] and query["vnp_Amount"] == ["10000000"]
    again = api.post(f"/api/v1/dossiers/{dossier.public_id}/payments/", HTTP_IDEMPOTENCY_KEY="tra-phi-1")
    assert again.json() == body and PaymentAttempt.objects.filter(dossier=dossier).count() == 1
