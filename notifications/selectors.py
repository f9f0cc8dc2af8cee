"""Queries of the in-app list (thông báo trên Cổng), and of the officers each event tells."""

from django.db.models import QuerySet

from accounts.constants import StaffRole

from .constants import SIGNING_ACTIONS, Channel, State
from .models import Notification


def inbox(user) -> QuerySet[Notification]:
    """The user's delivered in-app notifications, newest first."""
    return (
        Notification.objects.filter(recipient=user, channel=Channel.IN_APP, state=State.SENT)
        .select_related("dossier")
        .only(
            "pk", "event", "subject", "body", "created_at", "sent_at", "read_at", "dossier__code", "dossier__public_id"
        )
        .order_by("-created_at", "-pk")
    )


def unread_count(user) -> int:
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(
        recipient=user, channel=Channel.IN_APP, state=State.SENT, read_at__isnull=True
    ).count()


# --- Who is told (officers) -------------------------------------------------------------------


def _officers(**assignment) -> list:
    """Active accounts with an active staff assignment matching ``assignment``, by name."""
    from accounts.models import User

    filters = {f"assignments__{name}": value for name, value in assignment.items()}
    return list(
        User.objects.filter(is_active=True, assignments__active=True, **filters).distinct().order_by("full_name", "pk")
    )


def one_stop_officers(agency_id: int) -> list:
    """The one-stop officers (cán bộ một cửa) of the agency: those
    ``accounts.access.is_one_stop_officer`` says yes to there."""
    return _officers(agency_id=agency_id, role=StaffRole.ONE_STOP_OFFICER)


def department_leaders(agency_id: int, department: str) -> list:
    """The heads (trưởng phòng) of one department of the agency; none for a dossier not
    given to a department yet."""
    if not department:
        return []
    return _officers(agency_id=agency_id, role=StaffRole.DEPARTMENT_LEADER, department=department)


# Who may sign is the state machine's to say; these are only the accounts it is asked about.
SIGNING_CANDIDATE_ROLES = (StaffRole.DEPARTMENT_LEADER, StaffRole.AGENCY_LEADER)


def signing_actions_open(dossier) -> list[str]:
    """The signing actions (duyệt, ký: ``SIGNING_ACTIONS``) that apply to the dossier as it
    stands, whoever takes them (``dossiers.workflow``)."""
    from dossiers.workflow import ACTIONS

    return [name for name in sorted(SIGNING_ACTIONS) if name in ACTIONS and ACTIONS[name].applies_to(dossier)]


def approvers(dossier) -> list:
    """The officers who may approve or sign the dossier now (lãnh đạo duyệt, ký): the
    leaders of its agency for whom the state machine (``dossiers.workflow.allowed_actions``)
    offers a signing action. Returns (user, the action's label) pairs."""
    from dossiers.workflow import allowed_actions

    found = []
    for user in _officers(agency_id=dossier.agency_id, role__in=SIGNING_CANDIDATE_ROLES):
        actions = [a for a in allowed_actions(dossier, user) if a.name in SIGNING_ACTIONS]
        if actions:
            found.append((user, actions[0].label))
    return found
