"""The admin site (/quan-tri/) is the provincial admin's only, with its technical sections
(login lockouts, second-factor devices, periodic tasks, API keys, groups) grouped apart from
the business ones; the header links it for them alone, and the agency pages for admins."""

import pytest

from accounts.constants import StaffRole
from portal.admin_site import TECHNICAL_APPS, TECHNICAL_PREFIX
from tests.dossiers.staff import agency_staff
from tests.factories import AdminFactory, AgencyFactory, StaffAssignmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def provincial_admin():
    admin = AdminFactory()
    StaffAssignmentFactory(user=admin, agency=AgencyFactory(), role=StaffRole.PROVINCIAL_ADMIN)
    return admin


def test_the_index_puts_the_technical_sections_apart_after_the_business_ones(client, provincial_admin):
    client.force_login(provincial_admin)
    response = client.get("/quan-tri/")
    assert response.status_code == 200
    business = [a["app_label"] for a in response.context["business_apps"]]
    technical = [a["app_label"] for a in response.context["technical_apps"]]
    assert business[:3] == ["procedures", "dossiers", "accounts"]
    assert {"axes", "otp_totp", "otp_static", "django_celery_beat", "auth", "api"} <= set(technical)
    assert not set(business) & set(TECHNICAL_APPS)
    assert all(a["name"].startswith(TECHNICAL_PREFIX) for a in response.context["technical_apps"])
    page = response.content.decode()
    assert page.index('id="business-sections"') < page.index("Danh mục thủ tục hành chính")
    assert page.index("Danh mục thủ tục hành chính") < page.index('id="technical-sections"')
    assert page.index('id="technical-sections"') < page.index("Kỹ thuật · Khóa đăng nhập sai (Axes)")
    # The side menu of every admin page: the same order, technical last.
    side = [a["app_label"] for a in client.get("/quan-tri/procedures/agency/").context["available_apps"]]
    assert side == business + technical


def test_the_admin_site_is_for_the_provincial_admin_only(client, provincial_admin):
    staff = agency_staff()
    for officer in (staff.admin, staff.desk):
        officer.is_staff = True  # the admin-site flag alone opens nothing
        officer.save(update_fields=["is_staff"])
        client.force_login(officer)
        assert client.get("/quan-tri/")["Location"].startswith("/quan-tri/login/")
        assert client.get("/quan-tri/axes/accessattempt/")["Location"].startswith("/quan-tri/login/")
        assert 'href="/quan-tri/"' not in client.get("/").content.decode()
    client.force_login(provincial_admin)
    assert client.get("/quan-tri/").status_code == 200
    assert client.get("/quan-tri/axes/accessattempt/").status_code == 200
    header = client.get("/").content.decode()
    assert 'href="/quan-tri/"' in header and 'href="/quan-tri-don-vi/"' in header
