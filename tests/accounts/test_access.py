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


def test_where_an_officer_works_is_decided_in_accounts_access_only():
    """``OfficerScope`` (the agencies and departments an officer serves, from which every query
    of the officers' side starts) lived in ``desk``; its one home is ``accounts.access``. The
    desk reads the same class and function; no other module defines its own."""
    import pathlib

    from desk import selectors as desk_selectors

    assert desk_selectors.OfficerScope is access.OfficerScope
    assert desk_selectors.officer_scope is access.officer_scope
    root = pathlib.Path(__file__).resolve().parents[2]
    skipped = {"tests", "var", "staticfiles", "node_modules", "locale", "static", "templates", "docs"}
    homes = [
        path.relative_to(root).as_posix()
        for app in sorted(root.iterdir())
        if app.is_dir() and not app.name.startswith(".") and app.name not in skipped
        for path in sorted(app.rglob("*.py"))
        if "class OfficerScope" in (text := path.read_text(encoding="utf-8")) or "def officer_scope(" in text
    ]
    assert homes == ["accounts/access.py"]


def test_an_officer_scope_holds_their_agencies_roles_and_departments():
    agency, other, retired = AgencyFactory(), AgencyFactory(), AgencyFactory()
    officer = UserFactory(kind=AccountKind.OFFICER)
    StaffAssignmentFactory(user=officer, agency=agency, role=StaffRole.SPECIALIST, department="Phòng Hộ tịch")
    StaffAssignmentFactory(user=officer, agency=other, role=StaffRole.ONE_STOP_OFFICER, department="Bộ phận một cửa")
    StaffAssignmentFactory(user=officer, agency=retired, role=StaffRole.AGENCY_LEADER, active=False)

    scope = access.officer_scope(officer)
    assert scope.agency_ids == sorted([agency.pk, other.pk]) and not scope.is_empty
    assert scope.agencies_with(StaffRole.ONE_STOP_OFFICER) == [other.pk]
    assert scope.department_pairs(StaffRole.SPECIALIST) == [(agency.pk, "Phòng Hộ tịch")]  # a desk has none
    assert access.officer_scope(CitizenFactory()).is_empty
