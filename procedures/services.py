"""Actions that change the catalog: drafts, publishing, which version is in force.

Every caller (admin, importers, Celery beat, later the API) goes through these.
"""

import datetime
import time

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max, Min, OuterRef, Q, Subquery
from django.utils import timezone

from .constants import AgencyRole, Tier, VersionStatus
from .models import (
    PUBLISHED_IMMUTABLE_MESSAGE,
    Agency,
    Case,
    Fee,
    FormField,
    LegalBasis,
    Procedure,
    ProcedureAgency,
    ProcedureVersion,
    Withdrawal,
)
from .models import Field as CatalogField


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
    withdrawal = Withdrawal.objects.filter(procedure_id=version.procedure_id).first()
    if withdrawal and effective_from >= withdrawal.effective_on:
        raise ValidationError(
            {
                "effective_from": f"Thủ tục đã bãi bỏ, ngừng thực hiện từ ngày {withdrawal.effective_on:%d/%m/%Y}: "
                "không công bố phiên bản có hiệu lực từ ngày đó trở đi."
            }
        )
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
    """Mark the published version in force on ``today`` as current; a procedure withdrawn
    on or before ``today`` (``Withdrawal``) has none."""
    today = today or timezone.localdate()
    in_force = (
        procedure.versions.filter(status=VersionStatus.PUBLISHED, effective_from__lte=today)
        .order_by("-effective_from", "-number")
        .values_list("pk", flat=True)
        .first()
    )
    if Withdrawal.objects.filter(procedure=procedure, effective_on__lte=today).exists():
        in_force = None
    with transaction.atomic():
        procedure.versions.filter(is_current=True).exclude(pk=in_force).update(is_current=False)
        if in_force:
            ProcedureVersion.objects.filter(pk=in_force).update(is_current=True)
        catalog_changed()


def catalog_refresh_current(*, today: datetime.date | None = None) -> int:
    """Switch every procedure whose in-force version differs from its current one.

    Run daily by Celery beat (``procedures.tasks.activate_due_versions``) so that a
    version published with a future effective date takes over on that date, and a
    procedure withdrawn from that date has no version in force any more.
    Returns the number of procedures switched.
    """
    today = today or timezone.localdate()
    in_force = (
        ProcedureVersion.objects.filter(
            procedure=OuterRef("pk"), status=VersionStatus.PUBLISHED, effective_from__lte=today
        )
        .exclude(procedure__withdrawal__effective_on__lte=today)
        .order_by("-effective_from", "-number")
    )
    current = ProcedureVersion.objects.filter(procedure=OuterRef("pk"), is_current=True)
    stale = (
        Procedure.objects.annotate(
            in_force_pk=Subquery(in_force.values("pk")[:1]),
            current_pk=Subquery(current.values("pk")[:1]),
        )
        # No current version yet (a first version published for a later day) is stale too:
        # "in force ≠ current" alone is unknown, not true, when current is NULL; and so is a
        # current version of a procedure withdrawn since (nothing in force).
        .filter(
            Q(in_force_pk__isnull=False, current_pk__isnull=True)
            | Q(in_force_pk__isnull=False, current_pk__isnull=False) & ~Q(in_force_pk=F("current_pk"))
            | Q(in_force_pk__isnull=True, current_pk__isnull=False)
        )
    )
    switched = 0
    for procedure in stale:
        procedure_refresh_current(procedure=procedure, today=today)
        switched += 1
    return switched


# --- the catalog workbook (resources.plan_catalog_import) --------------------------------

TIER_FLAGS = {
    Tier.MINISTRY: "at_ministry",
    Tier.PROVINCE: "at_province",
    Tier.DISTRICT: "at_district",
    Tier.COMMUNE: "at_commune",
}


def version_set_parts(*, version: ProcedureVersion, values: dict) -> ProcedureVersion:
    """Write values read from the catalog workbook (``resources.version_record``'s keys)
    into a draft: its own fields, its fields of management (by code), its fee lines and
    its agency roles (each replaced whole when given). Parts not given stay as they are."""
    if version.pk and version.status != VersionStatus.DRAFT:
        raise ValidationError(PUBLISHED_IMMUTABLE_MESSAGE)
    parts = {"fields", "fees", "agencies"}
    for key, value in values.items():
        if key == "tiers":
            for tier, flag in TIER_FLAGS.items():
                setattr(version, flag, tier.value in value)
        elif key == "channels":
            for channel in ("counter", "post", "online"):
                setattr(version, f"channel_{channel}", channel in value)
        elif key == "audience":
            version.for_individuals = "individual" in value
            version.for_organisations = "organisation" in value
        elif key not in parts:
            setattr(version, key, value)
    version.save()
    if "fields" in values:
        version.fields.set(CatalogField.objects.filter(code__in=values["fields"]))
    if "fees" in values:
        version.fees.all().delete()
        Fee.objects.bulk_create(
            Fee(
                version=version,
                kind=kind,
                code=code,
                name=name,
                amount=amount,
                online_amount=online_amount,
                exemptions=exemptions,
                description=description,
            )
            for kind, code, name, amount, online_amount, exemptions, description in values["fees"]
        )
    if "agencies" in values:
        version.agency_roles.all().delete()
        agencies = Agency.objects.in_bulk([code for code, _, _ in values["agencies"]], field_name="code")
        ProcedureAgency.objects.bulk_create(
            ProcedureAgency(version=version, agency=agencies[code], role=role, service_level=level)
            for code, role, level in values["agencies"]
        )
    top = version_refresh_max_level(version)
    if top != version.max_service_level:
        ProcedureVersion.objects.filter(pk=version.pk).update(max_service_level=top)
        version.max_service_level = top
    return version


@transaction.atomic
def catalog_import_apply(*, changes: list, user=None) -> list[ProcedureVersion]:
    """Write an import's planned changes (``resources.ImportPlan.changes``): each into its
    own procedure's draft, opened from the version the row was compared with when there is
    none; a new code opens a new procedure with a first draft. Nothing is published.

    Only writes: the file was read and compared before (outside any transaction), so the
    write lock of the embedded default is held just for these rows (DECISIONS §37)."""
    drafts = []
    for change in changes:
        if change.procedure_id is None:
            procedure = Procedure.objects.create(national_code=change.code)
            draft = ProcedureVersion(procedure=procedure, number=1)
        else:
            procedure = Procedure.objects.get(pk=change.procedure_id)
            source = ProcedureVersion.objects.get(pk=change.source_id)
            draft = version_create_draft(procedure=procedure, source=source)
        drafts.append(version_set_parts(version=draft, values=change.values))
    return drafts


# --- withdrawal (bãi bỏ thủ tục) ------------------------------------------------------------


@transaction.atomic
def procedure_withdraw(
    *,
    procedure: Procedure,
    effective_on: datetime.date | None,
    decision_number: str,
    reason: str,
    user,
    decision_date: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Withdrawal:
    """Withdraw a published procedure (bãi bỏ, ngừng thực hiện) from ``effective_on`` by a
    decision; provincial admins only.

    From that day no new dossier is filed (``selectors.filing_refusal``) and no version is in
    force (today at once, a later day by the daily ``catalog_refresh_current``); dossiers
    already filed go on. A past day is accepted, to record a decision already in effect
    (its dossiers filed meanwhile go on too), but not before the procedure first took
    effect. Every refusal at once, each at its field."""
    from accounts.access import is_provincial_admin

    if not is_provincial_admin(user):
        raise PermissionDenied("Chỉ quản trị hệ thống cấp tỉnh được bãi bỏ thủ tục hành chính.")
    today = today or timezone.localdate()
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    existing = Withdrawal.objects.filter(procedure=procedure).first()
    if existing:
        raise ValidationError(
            f"Thủ tục {procedure.national_code} đã có quyết định bãi bỏ {existing.decision_number}, "
            f"ngừng thực hiện từ ngày {existing.effective_on:%d/%m/%Y}."
        )
    published = procedure.versions.filter(status=VersionStatus.PUBLISHED).aggregate(
        first=Min("effective_from"), last=Max("effective_from")
    )
    if published["first"] is None:
        raise ValidationError("Thủ tục chưa công bố phiên bản nào nên không có gì để bãi bỏ.")
    errors: dict[str, str] = {}
    decision_number = (decision_number or "").strip()
    reason = (reason or "").strip()
    if not decision_number:
        errors["decision_number"] = "Hãy nhập số quyết định bãi bỏ, ví dụ 1234/QĐ-UBND."
    elif len(decision_number) > 100:
        errors["decision_number"] = "Số quyết định dài quá 100 ký tự."
    if not reason:
        errors["reason"] = "Hãy nhập lý do bãi bỏ (ví dụ văn bản quy phạm pháp luật đã thay thế)."
    elif len(reason) > 2000:
        errors["reason"] = "Lý do dài quá 2.000 ký tự."
    if effective_on is None:
        errors["effective_on"] = "Hãy nhập ngày ngừng thực hiện."
    elif effective_on <= published["first"]:
        errors["effective_on"] = (
            f"Ngày ngừng thực hiện phải sau ngày thủ tục bắt đầu có hiệu lực ({published['first']:%d/%m/%Y})."
        )
    elif effective_on <= published["last"]:
        errors["effective_on"] = (
            f"Thủ tục có phiên bản đã công bố hiệu lực từ ngày {published['last']:%d/%m/%Y}; "
            "ngày ngừng thực hiện phải sau ngày đó."
        )
    if decision_date is not None and decision_date > today:
        errors["decision_date"] = "Ngày quyết định không được sau hôm nay."
    elif decision_date is not None and effective_on is not None and decision_date > effective_on:
        errors["decision_date"] = "Ngày quyết định không được sau ngày ngừng thực hiện."
    if errors:
        raise ValidationError(errors)
    withdrawal = Withdrawal.objects.create(
        procedure=procedure,
        effective_on=effective_on,
        decision_number=decision_number,
        decision_date=decision_date,
        reason=reason,
        recorded_by=user,
    )
    procedure_refresh_current(procedure=procedure, today=today)
    catalog_changed()
    return withdrawal
