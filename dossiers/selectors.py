"""Queries about dossiers for citizens and the public."""

import datetime
from dataclasses import dataclass

from django.db import connection
from django.db.models import Prefetch, QuerySet, Sum
from django.utils import timezone

from accounts.constants import StaffRole
from accounts.models import StaffAssignment
from procedures.models import Agency, ProcedureVersion

from .constants import PUBLIC_LABELS, Status
from .models import DocumentPage, Dossier, DossierDocument, StatusChange, StoredFile


def officer_handles(user, dossier: Dossier) -> bool:
    """Whether ``user`` is an officer serving the dossier's agency, or the agency it is
    transferred to (liên thông): the one rule for officers' access to a dossier, used by
    the officer pages, the state machine and file serving. Superusers may look."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    agencies = [dossier.agency_id] + ([dossier.transfer_agency_id] if dossier.transfer_agency_id else [])
    return user.assignments.filter(active=True, agency_id__in=agencies).exists()


@dataclass(frozen=True)
class ActorContext:
    """Who is acting on one dossier: owner or not, their roles in its agency, the
    departments they belong to there, and their roles in the agency holding a transfer."""

    user: object
    user_id: int | None
    is_owner: bool
    roles: frozenset[str]
    departments: frozenset[str]
    transfer_roles: frozenset[str]


def actor_context(user, dossier: Dossier, assignments=None) -> ActorContext:
    """The actor's active assignments in the dossier's agencies: one query, or none when
    the caller already holds all of the user's active assignments as (agency id, role,
    department) rows (the officers' pages do)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ActorContext(None, None, False, frozenset(), frozenset(), frozenset())
    is_owner = dossier.owner_id is not None and dossier.owner_id == user.pk
    agencies = {dossier.agency_id, dossier.transfer_agency_id} - {None}
    if assignments is None:
        rows = list(
            StaffAssignment.objects.filter(user=user, active=True, agency_id__in=agencies).values_list(
                "agency_id", "role", "department"
            )
        )
    else:
        rows = [row for row in assignments if row[0] in agencies]
    own = [(role, dept) for agency, role, dept in rows if agency == dossier.agency_id]
    return ActorContext(
        user=user,
        user_id=user.pk,
        is_owner=is_owner,
        roles=frozenset(role for role, _ in own),
        departments=frozenset(dept for _, dept in own if dept),
        transfer_roles=frozenset(role for agency, role, _ in rows if agency == dossier.transfer_agency_id),
    )


PROCESSING_DEPARTMENT_ROLES = (StaffRole.SPECIALIST, StaffRole.DEPARTMENT_LEADER)


def agency_departments(agency_id: int) -> list[str]:
    """The departments (phòng, ban) of an agency that process dossiers: those with a
    specialist or a department leader assigned."""
    return sorted(
        set(
            StaffAssignment.objects.filter(agency_id=agency_id, active=True, role__in=PROCESSING_DEPARTMENT_ROLES)
            .exclude(department="")
            .values_list("department", flat=True)
        )
    )


def agency_specialists(agency_id: int, department: str | None = None) -> list:
    """Specialists of an agency (of one department if given), by name."""
    qs = StaffAssignment.objects.filter(agency_id=agency_id, active=True, role=StaffRole.SPECIALIST)
    if department is not None:
        qs = qs.filter(department=department)
    return [a.user for a in qs.select_related("user").order_by("user__full_name", "user__pk")]


def dossiers_of(user) -> QuerySet[Dossier]:
    """ "Hồ sơ của tôi": the user's dossiers, newest first."""
    return (
        Dossier.objects.filter(owner=user)
        .select_related("procedure_version__procedure", "agency")
        .order_by("-updated_at")
    )


def dossier_of_owner(public_id, user, *, full: bool = True) -> Dossier | None:
    """The user's dossier, or None (someone else's dossier is simply not found).

    ``full`` also loads its documents, pages and history for display."""
    qs = Dossier.objects.filter(public_id=public_id, owner=user).select_related(
        "procedure_version__procedure", "agency", "case"
    )
    if not full:
        return qs.first()
    return qs.prefetch_related(
        Prefetch("documents", queryset=DossierDocument.objects.select_related("stored_file", "required_document")),
        Prefetch("documents__pages", queryset=DocumentPage.objects.order_by("order", "pk")),
        Prefetch("history", queryset=StatusChange.objects.order_by("at", "pk")),
    ).first()


@dataclass(frozen=True)
class TrackedDossier:
    """What the public tracking page may show: no names, ID numbers or documents."""

    pk: int
    code: str
    status: int
    submitted_at: datetime.datetime | None
    due_at: datetime.datetime | None
    procedure_name: str
    agency_name: str

    @property
    def public_status(self) -> str:
        return PUBLIC_LABELS[Status(self.status)]


def dossier_track(code: str, last_digits: str, *, verified: bool = False) -> TrackedDossier | None:
    """Public tracking (tra cứu): the code plus the last four digits of the owner's ID
    number or phone (or ``verified``: the owner's link, ``dossiers.tracking``). Anything
    that does not match gives None, the same answer as an unknown code, so codes cannot be
    enumerated. The limits on guessing are ``dossiers.tracking``'s."""
    code = (code or "").strip().upper()
    digits = (last_digits or "").strip()
    if not code or len(code) > 40 or (not verified and (len(digits) != 4 or not digits.isdigit())):
        return None
    # Drafts have no code, so a code never finds one. Plain SQL: this is the busiest
    # public look-up and the ORM's query building cost more than the query (1.9 vs 0.3 ms).
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT d.id, d.code, d.status, d.submitted_at, d.due_at, d.applicant_id_number,
                   d.applicant_phone, v.name, a.name
            FROM {Dossier._meta.db_table} d
            JOIN {ProcedureVersion._meta.db_table} v ON v.id = d.procedure_version_id
            JOIN {Agency._meta.db_table} a ON a.id = d.agency_id
            WHERE d.code = %s
            """,  # nosec B608 # table names come from the models; the code is a bound parameter
            [code],
        )
        found = cursor.fetchone()
    if found is None:
        return None
    row = dict(
        zip(
            (
                "pk",
                "code",
                "status",
                "submitted_at",
                "due_at",
                "applicant_id_number",
                "applicant_phone",
                "procedure_version__name",
                "agency__name",
            ),
            found,
            strict=True,
        )
    )
    for name in ("submitted_at", "due_at"):
        row[name] = _aware(row[name])
    id_tail = row["applicant_id_number"][-4:]
    phone_tail = "".join(c for c in row["applicant_phone"] if c.isdigit())[-4:]
    if not verified and digits not in {id_tail, phone_tail} - {""}:
        return None
    return TrackedDossier(
        pk=row["pk"],
        code=row["code"],
        status=row["status"],
        submitted_at=row["submitted_at"],
        due_at=row["due_at"],
        procedure_name=row["procedure_version__name"],
        agency_name=row["agency__name"],
    )


@dataclass(frozen=True)
class TimelineStep:
    at: datetime.datetime
    public_label: str


def public_timeline(dossier: Dossier | TrackedDossier) -> list[TimelineStep]:
    """The dossier's history as the public sees it: when, and the public label; the inner
    steps that share a label (assigned, proposed, approved: "Đang giải quyết") are one
    row, from the first of them."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT at, to_status FROM {StatusChange._meta.db_table} WHERE dossier_id = %s ORDER BY at, id",  # nosec B608 # the table name comes from the model; the id is a bound parameter
            [dossier.pk],
        )
        rows = cursor.fetchall()
    steps: list[TimelineStep] = []
    for at, status in rows:
        label = PUBLIC_LABELS[Status(status)]
        if not steps or steps[-1].public_label != label:
            steps.append(TimelineStep(_aware(at), label))
    return steps


def _aware(value) -> datetime.datetime | None:
    """Raw SQL gives naive UTC datetimes (as text on SQLite); the ORM would convert."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value


def wallet_of(user) -> QuerySet[StoredFile]:
    return StoredFile.objects.filter(owner=user).order_by("-created_at")


def account_upload_bytes(owner_id: int | None) -> int:
    """What one account's uploads take on disk: its wallet's uploads and the photo pages of
    its dossiers (results issued by agencies do not count), against
    ``settings.ACCOUNT_UPLOAD_MAX_BYTES``."""
    if owner_id is None:
        return 0
    from .models import DocumentPage

    files = StoredFile.objects.filter(owner_id=owner_id, kind=StoredFile.Kind.UPLOAD).aggregate(n=Sum("size"))["n"] or 0
    pages = DocumentPage.objects.filter(document__dossier__owner_id=owner_id).aggregate(n=Sum("size"))["n"] or 0
    return int(files) + int(pages)


def result_of(dossier: Dossier):
    """The dossier's result once recorded (the citizen downloads it), or None."""
    from .models import Result

    return Result.objects.filter(dossier=dossier).select_related("stored_file").first()


def end_reason(dossier: Dossier) -> str:
    """Why the agency refused or stopped the dossier (the note of that step), for the citizen."""
    if dossier.status not in (Status.REFUSED, Status.STOPPED):
        return ""
    last = [c for c in dossier.history.all() if c.to_status == dossier.status]
    return last[-1].note if last else ""
