"""Queries about dossiers for citizens and the public."""

from django.db.models import Prefetch, QuerySet

from .constants import Status
from .models import DocumentPage, Dossier, DossierDocument, StatusChange, StoredFile


def dossiers_of(user) -> QuerySet[Dossier]:
    """ "Hồ sơ của tôi": the user's dossiers, newest first."""
    return (
        Dossier.objects.filter(owner=user)
        .select_related("procedure_version__procedure", "agency")
        .order_by("-updated_at")
    )


def dossier_of_owner(public_id, user) -> Dossier | None:
    return (
        Dossier.objects.filter(public_id=public_id, owner=user)
        .select_related("procedure_version__procedure", "agency", "case")
        .prefetch_related(
            Prefetch("documents", queryset=DossierDocument.objects.select_related("stored_file", "required_document")),
            Prefetch("documents__pages", queryset=DocumentPage.objects.order_by("order", "pk")),
            Prefetch("history", queryset=StatusChange.objects.order_by("at", "pk")),
        )
        .first()
    )


def dossier_track(code: str, last_digits: str) -> Dossier | None:
    """Public tracking (tra cứu): the code plus the last four digits of the owner's ID
    number or phone. Anything that does not match both gives None, the same answer as
    an unknown code, so codes cannot be enumerated."""
    code = (code or "").strip().upper()
    digits = (last_digits or "").strip()
    if len(digits) != 4 or not digits.isdigit() or not code or len(code) > 40:
        return None
    dossier = (
        Dossier.objects.filter(code=code)
        .exclude(status=Status.DRAFT)
        .select_related("procedure_version__procedure", "agency")
        .only(
            "pk",
            "code",
            "status",
            "submitted_at",
            "due_at",
            "applicant_id_number",
            "applicant_phone",
            "procedure_version__name",
            "procedure_version__procedure__national_code",
            "agency__name",
        )
        .first()
    )
    if dossier is None:
        return None
    id_tail = dossier.applicant_id_number[-4:]
    phone_tail = "".join(c for c in dossier.applicant_phone if c.isdigit())[-4:]
    if digits not in {id_tail, phone_tail} - {""}:
        return None
    return dossier


def public_timeline(dossier: Dossier) -> list[StatusChange]:
    return list(dossier.history.order_by("at", "pk").only("to_status", "at"))


def wallet_of(user) -> QuerySet[StoredFile]:
    return StoredFile.objects.filter(owner=user).order_by("-created_at")
