"""Who administers which agency and its officers: one rule (accounts.access) that the agency
administration pages, their services and the header's link share."""

import pytest

from accounts import access
from accounts.constants import AccountKind, StaffRole
from procedures import services as catalog
from procedures.models import ProcedureAgency
from tests.dossiers.staff import agency_staff, version_for
from tests.factories import AdminFactory, AgencyFactory, StaffAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def _provincial_admin():
    admin = AdminFactory(is_superuser=False)
    StaffAssignmentFactory(user=admin, agency=AgencyFactory(), role=StaffRole.PROVINCIAL_ADMIN)
    return admin


def test_an_agency_admin_administers_their_own_agency_only_not_its_sub_units():
    staff = agency_staff()
    child = AgencyFactory(parent=staff.agency)
    other = AgencyFactory()
    assert access.administers_agency(staff.admin, staff.agency.pk)
    assert not access.administers_agency(staff.admin, child.pk)
    assert not access.administers_agency(staff.admin, other.pk)
    assert access.administered_agency_ids(staff.admin) == [staff.agency.pk]
    for officer in (staff.desk, staff.specialist, staff.department_leader, staff.leader):
        assert not access.administers_agency(officer, staff.agency.pk)
        assert access.administered_agency_ids(officer) == [] and not access.administers_any_agency(officer)
    # An inactive assignment or a locked account administers nothing.
    staff.admin.assignments.update(active=False)
    assert not access.administers_agency(staff.admin, staff.agency.pk)


def test_the_provincial_admin_administers_every_agency():
    admin = _provincial_admin()
    assert access.administered_agency_ids(admin) is None and access.administers_any_agency(admin)
    assert access.administers_agency(admin, AgencyFactory().pk)
    # Without the admin flag the provincial-admin assignment opens nothing (is_provincial_admin).
    half = UserFactory(kind=AccountKind.OFFICER)
    StaffAssignmentFactory(user=half, agency=AgencyFactory(), role=StaffRole.PROVINCIAL_ADMIN)
    assert not access.administers_any_agency(half)


def test_roles_an_admin_gives():
    staff = agency_staff()
    four = [
        StaffRole.ONE_STOP_OFFICER,
        StaffRole.SPECIALIST,
        StaffRole.DEPARTMENT_LEADER,
        StaffRole.AGENCY_LEADER,
    ]
    assert access.assignable_roles(staff.admin, staff.agency.pk) == four
    assert access.assignable_roles(_provincial_admin(), staff.agency.pk) == [*four, StaffRole.AGENCY_ADMIN]
    assert access.assignable_roles(staff.admin, AgencyFactory().pk) == []
    assert access.assignable_roles(staff.leader, staff.agency.pk) == []


def test_whose_account_an_admin_changes():
    staff = agency_staff()
    other = agency_staff()
    agency = staff.agency.pk
    assert access.manages_officer(staff.admin, staff.desk, agency)
    assert not access.manages_officer(staff.admin, staff.admin, agency)  # not their own
    assert not access.manages_officer(staff.admin, other.desk, agency)  # not of this agency
    assert not access.manages_officer(staff.admin, other.desk, other.agency.pk)
    second_admin = UserFactory(kind=AccountKind.OFFICER)
    StaffAssignmentFactory(user=second_admin, agency=staff.agency, role=StaffRole.AGENCY_ADMIN)
    assert not access.manages_officer(staff.admin, second_admin, agency)  # a role they cannot give
    shared = UserFactory(kind=AccountKind.OFFICER)
    StaffAssignmentFactory(user=shared, agency=staff.agency, role=StaffRole.SPECIALIST)
    StaffAssignmentFactory(user=shared, agency=other.agency, role=StaffRole.SPECIALIST)
    assert not access.manages_officer(staff.admin, shared, agency)  # serves another agency too
    province = _provincial_admin()
    assert access.manages_officer(province, second_admin, agency) and access.manages_officer(province, shared, agency)
    assert not access.manages_officer(province, province, agency)
    assert not access.manages_officer(province, AdminFactory(), agency)  # a superuser
    # Locked by the provincial admin with its roles kept: not the agency admin's to reopen.
    staff.desk.is_active = False
    staff.desk.save(update_fields=["is_active"])
    assert not access.manages_officer(staff.admin, staff.desk, agency)
    assert access.manages_officer(province, staff.desk, agency)
    staff.desk.assignments.update(active=False)  # left the agency: given a role again, reopened
    assert access.manages_officer(staff.admin, staff.desk, agency)


def test_who_changes_a_procedures_fees():
    staff = agency_staff()
    version = version_for(staff.agency, level=3)
    assert access.changes_procedure_fees(staff.admin, staff.agency.pk, version)
    assert not access.changes_procedure_fees(staff.leader, staff.agency.pk, version)
    draft = catalog.version_create_draft(procedure=version.procedure)
    ProcedureAgency.objects.create(version=draft, agency=AgencyFactory())
    assert not access.changes_procedure_fees(staff.admin, staff.agency.pk, draft)  # shared with another agency
    assert access.changes_procedure_fees(_provincial_admin(), staff.agency.pk, draft)
