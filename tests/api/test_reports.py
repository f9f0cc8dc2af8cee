"""The 766 indices over the API, for those who may read reports, limited to their agencies."""

import pytest

from accounts.constants import AccountKind, StaffRole
from reports.services import refresh
from tests.dossiers.staff import agency_staff, dossier_at
from tests.factories import CitizenFactory, StaffAssignmentFactory, UserFactory

from .helpers import key_client

pytestmark = pytest.mark.django_db


def test_leaders_read_their_agencies_indices():
    from django.utils import timezone

    staff = agency_staff()
    other = agency_staff()
    dossier_at(staff, "returned")
    dossier_at(other, "received")
    refresh()
    period = timezone.localdate().strftime("%Y-%m")
    leader, _ = key_client(staff.leader, ["reports:read"])
    answer = leader.get("/api/v1/reports/kpi/", {"period": period})
    assert answer.status_code == 200
    body = answer.json()
    assert [a["id"] for a in body["agencies"]] == [staff.agency.pk]
    assert body["figures"]["received"] == 1
    assert {g["code"] for g in body["evaluation"]["groups"]} >= {"tien_do", "hai_long"}
    assert leader.get("/api/v1/reports/kpi/", {"period": period, "agency": other.agency.pk}).status_code == 400
    admin = UserFactory(kind=AccountKind.OFFICER, is_staff=True)
    StaffAssignmentFactory(user=admin, agency=staff.agency, role=StaffRole.PROVINCIAL_ADMIN)
    province, _ = key_client(admin, ["reports:read"])
    assert province.get("/api/v1/reports/kpi/", {"period": period}).json()["figures"]["received"] == 2


def test_bad_periods_and_outsiders():
    staff = agency_staff()
    leader, _ = key_client(staff.leader, ["reports:read"])
    bad = leader.get("/api/v1/reports/kpi/", {"period": "2026-13", "tier": "x"})
    assert bad.status_code == 400 and set(bad.json()) == {"period", "tier"}
    assert leader.get("/api/v1/reports/kpi/").status_code == 400
    assert (
        key_client(CitizenFactory(), ["reports:read"])[0].get("/api/v1/reports/kpi/", {"period": "2026"}).status_code
        == 403
    )
    assert (
        key_client(staff.desk, ["reports:read"])[0].get("/api/v1/reports/kpi/", {"period": "2026"}).status_code == 403
    )
    assert key_client(staff.leader, ["desk:read"])[0].get("/api/v1/reports/kpi/", {"period": "2026"}).status_code == 403
