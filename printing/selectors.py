"""Queries about issued forms (biểu mẫu) and who may see them."""

from django.db.models import QuerySet

from accounts.access import is_one_stop_officer
from dossiers.models import Dossier
from dossiers.selectors import officer_handles
from procedures.models import Agency

from .models import IssuedForm


def forms_of(dossier: Dossier) -> QuerySet[IssuedForm]:
    """The forms issued for a dossier, oldest first (to list with links)."""
    return IssuedForm.objects.filter(dossier=dossier).select_related("change").order_by("created_at", "pk")


def issued_form_get(public_id) -> IssuedForm | None:
    return (
        IssuedForm.objects.select_related("dossier__agency", "dossier__procedure_version")
        .filter(public_id=public_id)
        .first()
    )


def may_view_forms(user, dossier: Dossier) -> bool:
    """The dossier's owner and the officers handling it (``officer_handles``)."""
    if user is None or not user.is_authenticated:
        return False
    return (dossier.owner_id is not None and dossier.owner_id == user.pk) or officer_handles(user, dossier)


def dossier_for_officer(user, code: str) -> Dossier | None:
    """A dossier by its code, if ``user`` is an officer handling it; else None."""
    dossier = Dossier.objects.select_related("agency").filter(code=(code or "").strip().upper()).first()
    if dossier is None or not officer_handles(user, dossier):
        return None
    return dossier


def dossier_at_counter(user, code: str) -> Dossier | None:
    """A dossier by its code, if ``user`` is a one-stop officer (cán bộ một cửa) of the agency
    it is at: who takes in paper dossiers and hands the citizen their papers; else None."""
    dossier = (
        Dossier.objects.select_related("agency__parent", "owner", "procedure_version")
        .filter(code=(code or "").strip().upper())
        .first()
    )
    if dossier is None or not is_one_stop_officer(user, dossier.agency_id):
        return None
    return dossier


def officer_agencies(user) -> list[Agency]:
    """The agencies of the officer's active assignments (phân công), by name."""
    if user is None or not user.is_authenticated:
        return []
    return list(Agency.objects.filter(staff__user=user, staff__active=True).distinct().order_by("name"))
