"""Who is an officer, and who is a provincial admin (quản trị hệ thống cấp tỉnh): the one
rule each that the admin site, the report pages, the login redirect and the second factor
share; who administers which agency and its officers (quản trị đơn vị), for the agency
administration pages (``administration/``) and the header's link; where an officer works
(``OfficerScope``), from which every query of the officers' side starts."""

from dataclasses import dataclass

from .constants import AccountKind, StaffRole


def is_officer(user) -> bool:
    """An officer's account (by kind), or any account with an active staff assignment."""
    return user.kind == AccountKind.OFFICER or user.assignments.filter(active=True).exists()


def is_provincial_admin(user) -> bool:
    """A superuser, or a staff account with an active provincial-admin assignment. The
    admin-site flag alone (``is_staff``, which the demo's officers also hold) opens nothing."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.is_staff and user.assignments.filter(role=StaffRole.PROVINCIAL_ADMIN, active=True).exists()


def is_one_stop_officer(user, agency_id: int) -> bool:
    """A one-stop officer (cán bộ một cửa) of the agency: who takes in paper dossiers there,
    takes fees at its counter and records the applicants' paper rating slips."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.assignments.filter(active=True, agency_id=agency_id, role=StaffRole.ONE_STOP_OFFICER).exists()


# Roles an agency admin gives to the officers of their agency (phân quyền cán bộ); the
# agency-admin role is given by the provincial admin, the provincial-admin role by a superuser
# in the admin site (DECISIONS §35).
AGENCY_STAFF_ROLES = (
    StaffRole.ONE_STOP_OFFICER,
    StaffRole.SPECIALIST,
    StaffRole.DEPARTMENT_LEADER,
    StaffRole.AGENCY_LEADER,
)


def administers_agency(user, agency_id: int | None) -> bool:
    """Who administers an agency (quản trị đơn vị): the provincial admin every agency; an
    agency admin (an active agency-admin assignment) their own agency only, not its sub-units,
    which have their own admins."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active or not agency_id:
        return False
    if is_provincial_admin(user):
        return True
    return user.assignments.filter(active=True, agency_id=agency_id, role=StaffRole.AGENCY_ADMIN).exists()


def administered_agency_ids(user) -> list[int] | None:
    """The agencies ``user`` administers: None for every agency (the provincial admin), else
    the ids of their own (empty for everybody else)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    if is_provincial_admin(user):
        return None
    return sorted(user.assignments.filter(active=True, role=StaffRole.AGENCY_ADMIN).values_list("agency_id", flat=True))


def administers_any_agency(user) -> bool:
    """Whether the agency administration pages open for ``user`` (the header's link)."""
    return administered_agency_ids(user) != []


def assignable_roles(user, agency_id: int) -> list[str]:
    """The roles ``user`` may give or take at the agency: the four officers' roles, and the
    agency-admin role for the provincial admin; never the provincial-admin role."""
    if not administers_agency(user, agency_id):
        return []
    roles = list(AGENCY_STAFF_ROLES)
    if is_provincial_admin(user):
        roles.append(StaffRole.AGENCY_ADMIN)
    return roles


def manages_officer(user, officer, agency_id: int) -> bool:
    """Whether ``user`` may change ``officer``'s account, roles and lock at the agency: the
    officer serves the agency, is not ``user`` (nobody changes their own roles), holds no role
    ``user`` could not give (a superuser, a provincial or an agency admin for an agency admin),
    serves no agency ``user`` does not administer (the account is shared by them), and, for an
    agency admin, was not locked by the provincial admin (locked with roles kept; an officer
    who left, every role taken, is given a role again to reopen the account)."""
    if officer is None or officer.pk == getattr(user, "pk", None) or not administers_agency(user, agency_id):
        return False
    rows = list(officer.assignments.values_list("agency_id", "role", "active"))
    if not any(agency == agency_id for agency, _, _ in rows):
        return False
    if officer.is_superuser:
        return False
    if not officer.is_active and any(active for _, _, active in rows) and not is_provincial_admin(user):
        return False  # locked by the provincial admin, roles kept: not reopened by an agency admin
    allowed = set(assignable_roles(user, agency_id))
    if any(active and role not in allowed for _, role, active in rows):
        return False
    administered = administered_agency_ids(user)
    return administered is None or all(agency in administered for agency, _, active in rows if active)


def changes_procedure_fees(user, agency_id: int, version) -> bool:
    """A procedure's fees are the procedure's, the same at every agency that performs it: an
    agency admin changes them (in a draft) only for a procedure their agency alone performs;
    the provincial admin for every procedure."""
    if not administers_agency(user, agency_id):
        return False
    if is_provincial_admin(user):
        return True
    return set(version.agency_roles.values_list("agency_id", flat=True)) == {agency_id}


@dataclass(frozen=True)
class OfficerScope:
    """Where an officer works: agencies by role, and their departments. Every query of the
    officers' side starts from it (``desk.selectors``: queues, the dossier page, intake; the
    desk API; the officers' feedback pages), so an officer sees only the dossiers of the
    agencies they serve."""

    user_id: int
    roles: dict[int, frozenset[str]]  # agency id → roles there
    departments: dict[int, frozenset[str]]  # agency id → departments there
    # The assignments themselves: (agency id, role, department, agency name), for the
    # page header and for ``dossiers.selectors.actor_context`` without asking again.
    assignments: tuple[tuple[int, str, str, str], ...] = ()

    @property
    def agency_ids(self) -> list[int]:
        return sorted(self.roles)

    def agencies_with(self, *roles: str) -> list[int]:
        return sorted(a for a, r in self.roles.items() if r & set(roles))

    def has_any(self, *roles: str) -> bool:
        return any(r & set(roles) for r in self.roles.values())

    def department_pairs(self, *roles: str) -> list[tuple[int, str]]:
        pairs = []
        for agency, depts in self.departments.items():
            if self.roles.get(agency, frozenset()) & set(roles):
                pairs.extend((agency, d) for d in depts)
        return pairs

    @property
    def is_empty(self) -> bool:
        return not self.roles

    def assignment_rows(self) -> list[tuple[int, str, str]]:
        """(agency id, role, department) of each assignment, as ``actor_context`` takes them."""
        return [(agency, role, department) for agency, role, department, _ in self.assignments]

    def labelled_assignments(self) -> list[dict[str, str]]:
        """For the page header: role label, agency name, department."""
        return [
            {"role": StaffRole(role).label, "agency": name, "department": department}
            for _, role, department, name in self.assignments
        ]


def officer_scope(user) -> OfficerScope:
    """Where ``user`` works (phạm vi của cán bộ), in one query: their active assignments."""
    from .models import StaffAssignment

    roles: dict[int, set[str]] = {}
    departments: dict[int, set[str]] = {}
    rows: list[tuple[int, str, str, str]] = []
    if user is not None and user.is_authenticated:
        rows = list(
            StaffAssignment.objects.filter(user=user, active=True)
            .order_by("pk")
            .values_list("agency_id", "role", "department", "agency__name")
        )
        for agency_id, role, department, _ in rows:
            roles.setdefault(agency_id, set()).add(role)
            if department and role in (StaffRole.SPECIALIST, StaffRole.DEPARTMENT_LEADER):
                departments.setdefault(agency_id, set()).add(department)
    return OfficerScope(
        user_id=getattr(user, "pk", 0) or 0,
        roles={k: frozenset(v) for k, v in roles.items()},
        departments={k: frozenset(v) for k, v in departments.items()},
        assignments=tuple(rows),
    )
