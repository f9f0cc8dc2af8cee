"""Queries of the agency administration pages (quản trị đơn vị)."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from accounts import access
from accounts.models import StaffAssignment, User
from dossiers.models import CalendarDay
from portal.text import fold
from procedures.constants import VersionStatus
from procedures.models import Agency, Procedure, ProcedureAgency, ProcedureVersion


def administered_agencies(user) -> QuerySet[Agency]:
    """The agencies ``user`` administers (every agency for the provincial admin)."""
    ids = access.administered_agency_ids(user)
    agencies = Agency.objects.order_by("tier", "name")
    return agencies if ids is None else agencies.filter(pk__in=ids)


def agency_for_admin(user, agency_id: int) -> Agency:
    """The agency, if ``user`` administers it; else 404 (another agency does not exist for them)."""
    if not access.administers_agency(user, agency_id):
        raise Http404
    try:
        return Agency.objects.get(pk=agency_id)
    except Agency.DoesNotExist:
        raise Http404 from None


def agency_officers(agency: Agency) -> list[User]:
    """Everyone with a role at the agency, now or before, by name; ``agency_roles`` holds
    their assignments there."""
    here = StaffAssignment.objects.filter(agency=agency).order_by("role")
    officers = (
        User.objects.filter(assignments__agency=agency)
        .distinct()
        .prefetch_related(Prefetch("assignments", queryset=here, to_attr="agency_roles"))
    )
    # In the alphabet's order: "Đỗ" with the D's, not after Z as the database sorts it.
    return sorted(officers, key=lambda u: (fold(u.full_name), u.username))


def officer_of_agency(agency: Agency, user_id: int) -> User:
    """An officer who has (or had) a role at the agency; 404 for anyone else, so an officer
    of another agency cannot be reached by changing the address."""
    here = StaffAssignment.objects.filter(agency=agency).order_by("role")
    officer = (
        User.objects.filter(pk=user_id, assignments__agency=agency)
        .prefetch_related(Prefetch("assignments", queryset=here, to_attr="agency_roles"))
        .first()
    )
    if officer is None:
        raise Http404
    return officer


def agency_departments(agency: Agency) -> list[str]:
    """Departments already named at the agency (offered when typing one)."""
    return sorted(
        set(StaffAssignment.objects.filter(agency=agency).exclude(department="").values_list("department", flat=True))
    )


@dataclass(frozen=True)
class AgencyProcedure:
    """A procedure the agency performs, as its admin sees it."""

    version: ProcedureVersion  # in force
    level: int  # the agency's level in the version in force
    has_draft: bool


def agency_procedures(agency: Agency) -> list[AgencyProcedure]:
    """The procedures in force that the agency takes part in, by code."""
    drafts = ProcedureVersion.objects.filter(procedure=OuterRef("procedure"), status=VersionStatus.DRAFT)
    versions = (
        ProcedureVersion.objects.filter(is_current=True, agency_roles__agency=agency)
        .distinct()
        .annotate(has_draft=Exists(drafts))
        .select_related("procedure")
        .prefetch_related(
            Prefetch("agency_roles", queryset=ProcedureAgency.objects.filter(agency=agency), to_attr="here"),
            "fees",
        )
        .order_by("procedure__national_code")
    )
    return [
        AgencyProcedure(
            version=v,
            level=max((row.service_level or v.service_level) for row in v.here),
            has_draft=v.has_draft,
        )
        for v in versions
    ]


def agency_procedure(agency: Agency, code: str) -> Procedure:
    """A procedure whose version in force or draft names the agency; 404 otherwise."""
    procedure = Procedure.objects.filter(national_code=code).first()
    named = Q(is_current=True) | Q(status=VersionStatus.DRAFT)
    if procedure is None or not procedure.versions.filter(named, agency_roles__agency=agency).exists():
        raise Http404
    return procedure


def calendar_days(today: datetime.date) -> list[CalendarDay]:
    """The province's holidays and make-up working days of this year and the next."""
    return list(CalendarDay.objects.filter(date__year__in=[today.year, today.year + 1]).order_by("date"))
