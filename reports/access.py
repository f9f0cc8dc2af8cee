"""Who sees which report figures: provincial admins the whole province; an agency's leaders
and admins their own agencies; everybody else nothing (the public transparency page is
separate and open)."""

from accounts.access import is_provincial_admin
from accounts.constants import StaffRole

REPORT_ROLES = (StaffRole.AGENCY_LEADER, StaffRole.AGENCY_ADMIN)


def report_agencies(user) -> list[int] | None:
    """``None``: every agency; a list: only these (empty: no access)."""
    if not user.is_authenticated:
        return []
    if is_provincial_admin(user):
        return None
    return sorted(set(user.assignments.filter(role__in=REPORT_ROLES, active=True).values_list("agency_id", flat=True)))


def reads_reports(user) -> bool:
    """Whether the report pages open for ``user`` (the header's "Báo cáo" link): the same
    rule as the pages themselves (the header once offered the link to a provincial-admin
    assignment without admin rights, which the pages then refused)."""
    return report_agencies(user) != []
