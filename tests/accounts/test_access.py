"""Who is an officer, who reads reports: one rule each (accounts.access, reports.access),
which the page header, the login redirect, the second factor and the report pages share."""

import pytest

from accounts import access
from accounts.constants import AccountKind, StaffRole
from reports.access import reads_reports, report_agencies
from tests.factories import AgencyFactory, CitizenFactory, StaffAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_account_with_a_staff_assignment_is_an_officer_everywhere(client):
    """A citizen's account given a role in an agency: the header's "Trang cán bộ" link and the
    second factor agree (the model said citizen by kind, the access rule officer)."""
    person = CitizenFactory()
    assert not person.is_officer and not access.is_officer(person)
    StaffAssignmentFactory(user=person, agency=AgencyFactory(), role=StaffRole.ONE_STOP_OFFICER)
    person = type(person).objects.get(pk=person.pk)
    assert person.is_officer and access.is_officer(person)
    client.force_login(person)
    assert "Trang cán bộ" in client.get("/").content.decode()


def test_the_report_link_shows_exactly_when_the_report_pages_open(client):
    """A provincial-admin assignment without admin rights (is_staff): the pages refuse, so the
    header offers no "Báo cáo" (it offered it, then the page answered 403)."""
    agency = AgencyFactory()
    half_admin = UserFactory(kind=AccountKind.OFFICER, is_staff=False)
    StaffAssignmentFactory(user=half_admin, agency=agency, role=StaffRole.PROVINCIAL_ADMIN)
    leader = UserFactory(kind=AccountKind.OFFICER)
    StaffAssignmentFactory(user=leader, agency=agency, role=StaffRole.AGENCY_LEADER)
    desk = UserFactory(kind=AccountKind.OFFICER)
    StaffAssignmentFactory(user=desk, agency=agency, role=StaffRole.ONE_STOP_OFFICER)

    for user, opens in ((half_admin, False), (leader, True), (desk, False)):
        assert reads_reports(user) is opens and (report_agencies(user) != []) is opens
        client.force_login(user)
        assert ('href="/bao-cao/"' in client.get("/").content.decode()) is opens, user
        assert client.get("/bao-cao/").status_code == (200 if opens else 403), user
