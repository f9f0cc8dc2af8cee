"""Actions that change the catalog: drafts, publishing, which version is in force.

Every caller (admin, importers, Celery beat, later the API) goes through these.
"""

import datetime
import time

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, OuterRef, Q, Subquery
from django.utils import timezone

from .constants import AgencyRole, VersionStatus
from .models import (
    Case,
    Fee,
    FormField,
    LegalBasis,
    Procedure,
    ProcedureAgency,
    ProcedureVersion,
)


def version_next_number(procedure: Procedure) -> int:
    top = procedure.versions.aggregate(top=Max("number"))["top"]
    return (top or 0) + 1


@transaction.atomic
def version_create_draft(*, procedure: Procedure, source: ProcedureVersion | None = None) -> ProcedureVersion:
    """Open a draft for ``procedure``, copied from ``source`` (or its latest version).

    A procedure has at most one draft; asking again returns the open one.
    """
    existing = procedure.versions.filter(status=VersionStatus.DRAFT).first()
    if existing:
        return existing
    source = source or procedure.versions.order_by("-number").first()
    if source is None:
        raise ValidationError("Thủ tục chưa có phiên bản nào để sao chép.")
    return _copy_version(source, number=version_next_number(procedure))


def _copy_version(source: ProcedureVersion, *, number: int) -> ProcedureVersion:
    draft = ProcedureVersion.objects.get(pk=source.pk)
    field_ids = list(source.fields.values_list("pk", flat=True))
    draft.pk = None
    draft.id = None
    draft._state.adding = True
    draft.number = number
    draft.status = VersionStatus.DRAFT
    draft.effective_from = None
    draft.published_at = None
    draft.published_by = None
    draft.is_current = False
    draft.based_on = source
    draft.save()
    draft.fields.set(field_ids)

    case_map: dict[int, Case] = {}
    for case in source.cases.all():
        old_pk = case.pk
        case.pk = None
        case.version = draft
        case.save()
        case_map[old_pk] = case
    for doc in source.documents.all():
        doc.pk = None
        doc.version = draft
        doc.case = case_map.get(doc.case_id) if doc.case_id else None
        doc.save()
    for model in (Fee, LegalBasis, ProcedureAgency, FormField):
        for row in model.objects.filter(version=source):
            row.pk = None
            row.version = draft
            row.save()
    return draft


def version_missing_parts(version: ProcedureVersion) -> list[str]:
    """What the record lacks to be complete under ND 63/2010 Art. 8(2) a–g."""
    missing = []
    if not version.name.strip():
        missing.append("tên thủ tục")
    if not version.step_list:
        missing.append("trình tự thực hiện")
    if not (version.channel_counter or version.channel_post or version.channel_online):
        missing.append("cách thức thực hiện")
    if not version.documents.exists():
        missing.append("thành phần hồ sơ")
    if version.time_limit is None and not version.time_limit_note.strip():
        missing.append("thời hạn giải quyết")
    if not version.applicants.strip():
        missing.append("đối tượng thực hiện")
    if not version.agency_roles.filter(role__in=[AgencyRole.IMPLEMENTING, AgencyRole.COMPETENT]).exists():
        missing.append("cơ quan thực hiện")
    if not (version.at_ministry or version.at_province or version.at_district or version.at_commune):
        missing.append("cấp thực hiện")
    return missing


def version_refresh_max_level(version: ProcedureVersion) -> int:
    levels = [version.service_level]
    levels += [lvl for lvl in version.agency_roles.values_list("service_level", flat=True) if lvl]
    return max(levels)


@transaction.atomic
def version_publish(
    *,
    version: ProcedureVersion,
    effective_from: datetime.date,
    user=None,
    today: datetime.date | None = None,
) -> ProcedureVersion:
    """Publish a draft (công bố) with its effective date; it is immutable afterwards."""
    version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.DRAFT:
        raise ValidationError("Chỉ bản nháp mới được công bố.")
    if effective_from is None:
        raise ValidationError({"effective_from": "Hãy nhập ngày hiệu lực."})
    missing = version_missing_parts(version)
    if missing:
        raise ValidationError("Hồ sơ thủ tục còn thiếu: " + ", ".join(missing) + ".")
    latest = (
        version.procedure.versions.filter(status=VersionStatus.PUBLISHED)
        .exclude(pk=version.pk)
        .aggregate(latest=Max("effective_from"))["latest"]
    )
    if latest and effective_from < latest:
        raise ValidationError(
            {
                "effective_from": "Ngày hiệu lực không được trước ngày hiệu lực của phiên bản đã công bố "
                f"gần nhất ({latest:%d/%m/%Y})."
            }
        )
    ProcedureVersion.objects.filter(pk=version.pk).update(
        status=VersionStatus.PUBLISHED,
        effective_from=effective_from,
        published_at=timezone.now(),
        published_by=user,
        max_service_level=version_refresh_max_level(version),
    )
    procedure_refresh_current(procedure=version.procedure, today=today)
    version.refresh_from_db()
    return version


def catalog_changed() -> None:
    """What the public catalog shows may have changed: the cached whole public pages
    (search, home; ``procedures.views``) are not served again. Renewed at once, for the
    rest of this transaction, and again after the commit, so that a page another process
    cached from the old rows in between is not kept either."""
    from .selectors import CATALOG_GENERATION_KEY

    def renew() -> None:
        cache.set(CATALOG_GENERATION_KEY, time.time_ns(), None)

    renew()
    transaction.on_commit(renew)


def procedure_refresh_current(*, procedure: Procedure, today: datetime.date | None = None) -> None:
    """Mark the published version in force on ``today`` as current."""
    today = today or timezone.localdate()
    in_force = (
        procedure.versions.filter(status=VersionStatus.PUBLISHED, effective_from__lte=today)
        .order_by("-effective_from", "-number")
        .values_list("pk", flat=True)
        .first()
    )
    with transaction.atomic():
        procedure.versions.filter(is_current=True).exclude(pk=in_force).update(is_current=False)
        if in_force:
            ProcedureVersion.objects.filter(pk=in_force).update(is_current=True)
        catalog_changed()


def catalog_refresh_current(*, today: datetime.date | None = None) -> int:
    """Switch every procedure whose in-force version differs from its current one.

    Run daily by Celery beat (``procedures.tasks.activate_due_versions``) so that a
    version published with a future effective date takes over on that date.
    Returns the number of procedures switched.
    """
    today = today or timezone.localdate()
    in_force = ProcedureVersion.objects.filter(
        procedure=OuterRef("pk"), status=VersionStatus.PUBLISHED, effective_from__lte=today
    ).order_by("-effective_from", "-number")
    current = ProcedureVersion.objects.filter(procedure=OuterRef("pk"), is_current=True)
    stale = (
        Procedure.objects.annotate(
            in_force_pk=Subquery(in_force.values("pk")[:1]),
            current_pk=Subquery(current.values("pk")[:1]),
        )
        .filter(in_force_pk__isnull=False)
        # No current version yet (a first version published for a later day) is stale too:
        # "in force ≠ current" alone is unknown, not true, when current is NULL.
        .filter(Q(current_pk__isnull=True) | ~Q(in_force_pk=F("current_pk")))
    )
    switched = 0
    for procedure in stale:
        procedure_refresh_current(procedure=procedure, today=today)
        switched += 1
    return switched
