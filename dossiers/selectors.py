"""Queries about dossiers for citizens and the public."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from .constants import PUBLIC_LABELS, Status
from .models import DocumentPage, Dossier, DossierDocument, StatusChange, StoredFile


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


def dossier_track(code: str, last_digits: str) -> TrackedDossier | None:
    """Public tracking (tra cứu): the code plus the last four digits of the owner's ID
    number or phone. Anything that does not match both gives None, the same answer as
    an unknown code, so codes cannot be enumerated."""
    code = (code or "").strip().upper()
    digits = (last_digits or "").strip()
    if len(digits) != 4 or not digits.isdigit() or not code or len(code) > 40:
        return None
    # Drafts have no code, so a code never finds one.
    row = (
        Dossier.objects.filter(code=code)
        .values(
            "pk",
            "code",
            "status",
            "submitted_at",
            "due_at",
            "applicant_id_number",
            "applicant_phone",
            "procedure_version__name",
            "agency__name",
        )
        .first()
    )
    if row is None:
        return None
    id_tail = row["applicant_id_number"][-4:]
    phone_tail = "".join(c for c in row["applicant_phone"] if c.isdigit())[-4:]
    if digits not in {id_tail, phone_tail} - {""}:
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


def public_timeline(dossier: Dossier | TrackedDossier) -> list[StatusChange]:
    return list(
        StatusChange.objects.filter(dossier_id=dossier.pk).order_by("at", "pk").only("dossier_id", "to_status", "at")
    )


def wallet_of(user) -> QuerySet[StoredFile]:
    return StoredFile.objects.filter(owner=user).order_by("-created_at")
