"""Query counts of the main pages and API operations (counts, not timings): each stays
within its budget, and does not grow when the agency has more dossiers (no query per row).
A page that needs more must say why here (docs/BENCHMARKS.md has the timings)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.constants import AccountKind, StaffRole
from reports.services import refresh
from tests.dossiers.staff import agency_staff, dossier_at
from tests.factories import CitizenFactory, StaffAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db

# page → most queries it may run (measured 2026-12-01, plus one)
BUDGET = {
    "home": 3,
    "catalog search": 4,
    "procedure page": 2,  # the body is cached per version
    "tracking": 3,
    "my dossiers": 5,
    "my dossier": 13,  # + who opened it (privacy.selectors.dossier_accesses)
    # + the access record (privacy.services.access_record), + the header's "Quản trị đơn vị"
    # link (accounts.access.administers_any_agency)
    # + the work calendar, read once: "Sắp đến hạn" runs to the next working day's close
    "officer queue": 11,
    "officer dossier": 19,  # + the access record, + the header's "Quản trị đơn vị" link
    "kpi": 12,
    "api catalog list": 3,
    "api procedure": 9,
    "api my dossier": 8,
    "api officer queue": 4,  # + the access record
}


def _count(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


def _pages(staff, dossier, admin):
    web, api = {}, {}
    from django.test import Client

    anyone = Client()
    code = dossier.procedure_version.procedure.national_code
    web["home"] = (anyone, "/", {})
    web["catalog search"] = (anyone, "/thu-tuc/", {"q": "thu tuc"})
    web["procedure page"] = (anyone, f"/thu-tuc/{code}/", {})
    web["tracking"] = (anyone, "/tra-cuu/", {"ma": dossier.code, "so": dossier.applicant_id_number[-4:]})
    owner = Client()
    owner.force_login(dossier.owner)
    web["my dossiers"] = (owner, "/ho-so/", {})
    web["my dossier"] = (owner, f"/ho-so/{dossier.public_id}/", {})
    desk = Client()
    desk.force_login(staff.desk)
    web["officer queue"] = (desk, "/can-bo/", {"hang": "tat-ca"})
    web["officer dossier"] = (desk, f"/can-bo/ho-so/{dossier.code}/", {})
    leader = Client()
    leader.force_login(admin)
    from django.utils import timezone

    web["kpi"] = (leader, "/bao-cao/", {"ky": timezone.localdate().strftime("%Y-%m")})
    api_anyone = APIClient()
    api["api catalog list"] = (api_anyone, "/api/v1/procedures/", {})
    api["api procedure"] = (api_anyone, f"/api/v1/procedures/{code}/", {})
    api_owner = APIClient()
    api_owner.force_authenticate(dossier.owner)
    api["api my dossier"] = (api_owner, f"/api/v1/dossiers/{dossier.public_id}/", {})
    api_desk = APIClient()
    api_desk.force_authenticate(staff.desk)
    api["api officer queue"] = (api_desk, "/api/v1/desk/queues/tat-ca/", {})
    return {**web, **api}


def test_main_pages_stay_within_their_query_budget_as_the_data_grows():
    staff = agency_staff()
    admin = UserFactory(kind=AccountKind.OFFICER, is_staff=True)
    StaffAssignmentFactory(user=admin, agency=staff.agency, role=StaffRole.PROVINCIAL_ADMIN)
    dossier = dossier_at(staff, "returned", citizen=CitizenFactory())
    refresh()
    pages = _pages(staff, dossier, admin)
    for client, url, params in pages.values():  # warm the caches (catalog options, counts)
        client.get(url, params)
    small = {name: _count(client, url, **params) for name, (client, url, params) in pages.items()}
    for point in ("submitted", "received", "specialist", "supplement", "returned", "returned"):
        dossier_at(staff, point, citizen=dossier.owner)
    refresh()
    for client, url, params in pages.values():
        client.get(url, params)
    large = {name: _count(client, url, **params) for name, (client, url, params) in pages.items()}
    for name, budget in BUDGET.items():
        assert small[name] <= budget, f"{name}: {small[name]} queries (budget {budget})"
        assert large[name] == small[name], f"{name}: {small[name]} queries with 1 dossier, {large[name]} with 7"
    assert set(BUDGET) == set(pages)
