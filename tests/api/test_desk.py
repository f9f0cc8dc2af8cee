"""Officers through the API: their queues, a dossier with the actions they may take, acting
(with the state machine's answers: 400 by field, 403, 409); other agencies stay out."""

import pytest

from dossiers.constants import Status, Step
from tests.dossiers import files
from tests.dossiers.staff import DEPARTMENT, agency_staff, dossier_at
from tests.factories import CitizenFactory

from .helpers import key_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return agency_staff()


def test_the_desk_officer_receives_and_routes_a_dossier(staff):
    dossier = dossier_at(staff, "submitted")
    api, _ = key_client(staff.desk, ["desk:read", "desk:act"])
    queues = {q["key"]: q for q in api.get("/api/v1/desk/queues/").json()}
    assert queues["cho-tiep-nhan"]["count"] == 1 and queues["tat-ca"]["count"] is None
    page = api.get("/api/v1/desk/queues/cho-tiep-nhan/").json()
    assert [r["code"] for r in page["results"]] == [dossier.code] and page["has_next"] is False
    shown = api.get(f"/api/v1/desk/dossiers/{dossier.code}/").json()
    assert "receive" in [a["name"] for a in shown["actions"]]
    received = api.post(f"/api/v1/desk/dossiers/{dossier.code}/actions/receive/", {}, format="json")
    assert received.status_code == 200 and received.json()["status"] == Status.RECEIVED
    again = api.post(f"/api/v1/desk/dossiers/{dossier.code}/actions/receive/", {}, format="json")
    assert again.status_code == 409 and "Không thể" in again.json()["detail"]
    no_department = api.post(f"/api/v1/desk/dossiers/{dossier.code}/actions/assign/", {"data": {}}, format="json")
    assert no_department.status_code == 400 and "department" in no_department.json()
    routed = api.post(
        f"/api/v1/desk/dossiers/{dossier.code}/actions/assign/",
        {"data": {"department": DEPARTMENT, "handler": str(staff.specialist.pk)}, "note": "Chuyển xử lý"},
        format="json",
    )
    assert routed.status_code == 200
    assert routed.json()["step"] == Step.SPECIALIST and routed.json()["handler"] == staff.specialist.full_name
    assert routed.json()["history"][-1]["note"] == "Chuyển xử lý"


def test_the_result_document_goes_up_as_multipart(staff):
    dossier = dossier_at(staff, "issuing")
    api, _ = key_client(staff.desk, ["desk:read", "desk:act"])
    url = f"/api/v1/desk/dossiers/{dossier.code}/actions/record_result/"
    data = '{"number": "15/TP-HT", "issued_on": "2026-11-20", "summary": "Trích lục khai sinh"}'
    missing = api.post(url, {"data": data})
    assert missing.status_code == 400 and "file" in missing.json()
    bad_json = api.post(url, {"data": "{oops", "file": files.pdf()})
    assert bad_json.status_code == 400 and bad_json.json() == {"data": ["Trường data phải là một đối tượng JSON."]}
    done = api.post(url, {"data": data, "file": files.pdf()}, HTTP_IDEMPOTENCY_KEY="kq-1")
    assert done.status_code == 200 and done.json()["status"] == Status.RESOLVED


def test_roles_and_agencies_are_the_pages_own(staff):
    dossier = dossier_at(staff, "submitted")
    specialist, _ = key_client(staff.specialist)
    refused = specialist.post(f"/api/v1/desk/dossiers/{dossier.code}/actions/receive/", {}, format="json")
    assert refused.status_code == 403
    outsider = agency_staff()
    other, _ = key_client(outsider.desk)
    assert other.get(f"/api/v1/desk/dossiers/{dossier.code}/").status_code == 404
    assert other.post(f"/api/v1/desk/dossiers/{dossier.code}/actions/receive/", {}, format="json").status_code == 404
    assert dossier.code not in str(other.get("/api/v1/desk/queues/tat-ca/").json())
    citizen, _ = key_client(CitizenFactory())
    assert citizen.get("/api/v1/desk/queues/").status_code == 403
    assert specialist.get("/api/v1/desk/queues/cho-tiep-nhan/").status_code == 404  # not a specialist's queue
    assert specialist.get("/api/v1/desk/queues/khong-co/").status_code == 404
    owner_action = key_client(staff.desk)[0].post(
        f"/api/v1/desk/dossiers/{dossier.code}/actions/withdraw/", {}, format="json"
    )
    assert owner_action.status_code == 404


def test_queue_filters_are_checked(staff):
    api, _ = key_client(staff.desk)
    bad = api.get(
        "/api/v1/desk/queues/tat-ca/",
        {"channel": "9", "status": "0", "date_from": "2026-13-01", "page": "x"},
    )
    assert bad.status_code == 400 and set(bad.json()) == {"channel", "status", "date_from", "page"}
    reversed_dates = api.get("/api/v1/desk/queues/tat-ca/", {"date_from": "2026-11-10", "date_to": "2026-11-01"})
    assert reversed_dates.status_code == 400 and "date_to" in reversed_dates.json()


def test_officer_scopes(staff):
    dossier = dossier_at(staff, "submitted")
    reader, _ = key_client(staff.desk, ["desk:read"])
    assert reader.get(f"/api/v1/desk/dossiers/{dossier.code}/").status_code == 200
    denied = reader.post(f"/api/v1/desk/dossiers/{dossier.code}/actions/receive/", {}, format="json")
    assert denied.status_code == 403 and "desk:act" in denied.json()["detail"]
    actor, _ = key_client(staff.desk, ["desk:act"])
    assert actor.get("/api/v1/desk/queues/").status_code == 403
