"""Who is an officer, and who is a provincial admin (quản trị hệ thống cấp tỉnh): the one
rule each that the admin site, the report pages, the login redirect and the second factor
share."""

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
