"""Actions on dossiers that change state: start, save the draft, attach, submit, withdraw.

Status changes go through ``dossiers.workflow.dossier_transition``; this module
prepares what they need (code, completeness) and never writes ``status`` itself.
"""

import datetime
import hashlib
import logging
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from accounts.constants import AccountKind
from accounts.identity import validate_personal_id
from procedures.constants import AgencyRole, ServiceLevel
from procedures.models import Agency, Case, ProcedureVersion, RequiredDocument
from procedures.selectors import filing_refusal

from . import attachments, selectors, workflow
from .codes import dossier_code_issue
from .constants import Channel, OwnerType, Status
from .models import DocumentPage, Dossier, DossierDocument, StoredFile

logger = logging.getLogger(__name__)

FILING_ROLES = (AgencyRole.IMPLEMENTING, AgencyRole.COMPETENT, AgencyRole.DELEGATED)
APPLICANT_FIELDS = ("applicant_name", "applicant_id_number", "applicant_phone", "applicant_email", "applicant_address")


def filing_agencies(version: ProcedureVersion) -> list[Agency]:
    """Agencies where this version can be filed online."""
    agencies = []
    for role in version.agency_roles.select_related("agency").filter(role__in=FILING_ROLES).order_by("agency__name"):
        if role.effective_level >= ServiceLevel.PARTIAL and role.agency not in agencies:
            agencies.append(role.agency)
    return agencies


def _require_owner_draft(dossier: Dossier, actor) -> None:
    """The owner edits their draft, or their dossier under a supplement request; the
    desk officer who opened a paper dossier edits it until it is received."""
    actor_id = getattr(actor, "pk", None)
    if dossier.status == Status.DRAFT and dossier.counter_officer_id and dossier.counter_officer_id == actor_id:
        return
    if dossier.owner_id != actor_id:
        raise PermissionDenied("Đây không phải hồ sơ của bạn.")
    if dossier.status not in (Status.DRAFT, Status.SUPPLEMENT_REQUESTED):
        raise ValidationError("Hồ sơ đã nộp, không sửa được nữa.")


@transaction.atomic
def dossier_start(*, user, version: ProcedureVersion, agency: Agency, case: Case | None = None) -> Dossier:
    """Open (or resume) the citizen's draft for a procedure, prefilled from the profile."""
    refusal = filing_refusal(version)  # withdrawn, not in force, or not online: procedures decides
    if refusal:
        raise ValidationError(refusal)
    if agency not in filing_agencies(version):
        raise ValidationError({"agency": "Cơ quan này không tiếp nhận hồ sơ trực tuyến cho thủ tục này."})
    cases = list(version.cases.all())
    if cases and (case is None or case.version_id != version.pk):
        raise ValidationError({"case": "Hãy chọn trường hợp của bạn."})
    if not cases:
        case = None
    existing = Dossier.objects.filter(
        owner=user, procedure_version=version, status=Status.DRAFT, channel=Channel.ONLINE
    ).first()
    if existing:
        if existing.agency_id != agency.pk or existing.case_id != (case.pk if case else None):
            existing.agency = agency
            existing.case = case
            existing.save(update_fields=["agency", "case", "updated_at"])
        return existing
    is_business = user.kind == AccountKind.BUSINESS
    return Dossier.objects.create(
        procedure_version=version,
        case=case,
        agency=agency,
        owner=user,
        owner_type=OwnerType.BUSINESS if is_business else OwnerType.CITIZEN,
        channel=Channel.ONLINE,
        applicant_name=(user.organisation_name if is_business else user.full_name) or user.full_name,
        applicant_id_number=(user.tax_code if is_business else user.national_id) or "",
        applicant_phone=user.phone,
        applicant_email=user.email,
    )


def dossier_save_draft(*, dossier: Dossier, actor, applicant: dict, answers: dict) -> Dossier:
    """Keep whatever the citizen typed, valid or not: nothing entered is ever lost."""
    _require_owner_draft(dossier, actor)
    for name in APPLICANT_FIELDS:
        if name in applicant:
            limit = Dossier._meta.get_field(name).max_length
            setattr(dossier, name, str(applicant[name] or "").strip()[:limit])
    keys = {f.key: f for f in dossier.procedure_version.form_fields.all()}
    data = dict(dossier.form_data)
    for key, value in answers.items():
        if key in keys:
            data[key] = str(value).strip()[: keys[key].max_length] if value is not None else ""
    dossier.form_data = data
    dossier.save(update_fields=[*APPLICANT_FIELDS, "form_data", "updated_at"])
    return dossier


def required_documents_for(dossier: Dossier) -> list[RequiredDocument]:
    docs = dossier.procedure_version.documents.all()
    return [d for d in docs if d.case_id is None or d.case_id == dossier.case_id]


def dossier_missing(dossier: Dossier) -> dict[str, str]:
    """What must still be filled before submitting: field name → Vietnamese message."""
    errors: dict[str, str] = {}
    if not dossier.applicant_name.strip():
        errors["applicant_name"] = "Hãy nhập họ và tên người nộp."
    if dossier.owner_type == OwnerType.CITIZEN:
        try:
            validate_personal_id(dossier.applicant_id_number)
        except ValidationError as exc:
            errors["applicant_id_number"] = exc.messages[0]
    elif not dossier.applicant_id_number.strip():
        errors["applicant_id_number"] = "Hãy nhập mã số doanh nghiệp."
    # Online, notices go by phone or e-mail; at the counter the paper receipt is enough.
    online = dossier.channel == Channel.ONLINE
    if online and not dossier.applicant_phone.strip() and not dossier.applicant_email.strip():
        errors["applicant_phone"] = "Hãy nhập số điện thoại hoặc thư điện tử để nhận thông báo."
    for field in dossier.procedure_version.form_fields.all():
        value = str(dossier.form_data.get(field.key, "")).strip()
        if field.required and not value:
            errors[f"f_{field.key}"] = f"Hãy điền “{field.label}”."
    attached = {d.required_document_id for d in dossier.documents.all() if d.stored_file_id or d.pages.exists()}
    for doc in required_documents_for(dossier):
        if doc.required and not doc.presented_only and not doc.replaceable_by_lookup and doc.pk not in attached:
            errors[f"doc_{doc.pk}"] = f"Thiếu giấy tờ: {doc.name}."
    return errors


def _dossier_bytes(dossier: Dossier) -> int:
    pages = DocumentPage.objects.filter(document__dossier=dossier).aggregate(n=Sum("size"))["n"] or 0
    files = StoredFile.objects.filter(uses__dossier=dossier).distinct().aggregate(n=Sum("size"))["n"] or 0
    return pages + files


def _slot(dossier: Dossier, required_document: RequiredDocument) -> DossierDocument:
    belongs = required_document.version_id == dossier.procedure_version_id and required_document.case_id in (
        None,
        dossier.case_id,
    )
    if not belongs:
        raise ValidationError("Giấy tờ này không thuộc hồ sơ.")
    slot, _ = DossierDocument.objects.get_or_create(dossier=dossier, required_document=required_document)
    return slot


@transaction.atomic
def document_add_files(
    *, dossier: Dossier, required_document: RequiredDocument, files: Iterable, actor
) -> DossierDocument:
    """Attach uploaded files to one required document.

    A PDF replaces whatever the slot held and goes to the citizen's wallet; photos
    are added as pages (combined into one PDF in the background at submission).
    Every file is checked first: one bad file and nothing of this upload is kept.
    """
    _require_owner_draft(dossier, actor)
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    checked = attachments.check_uploads(list(files))
    if not checked:
        raise ValidationError("Hãy chọn tệp để tải lên.")
    incoming = sum(len(c.content) for _, c in checked)
    limit = settings.DOSSIER_TOTAL_MAX_BYTES
    if _dossier_bytes(dossier) + incoming > limit:
        raise ValidationError(
            f"Tổng dung lượng hồ sơ vượt giới hạn {attachments.human_size(limit)}; hãy bớt hoặc chụp ảnh nhỏ hơn."
        )
    quota = settings.ACCOUNT_UPLOAD_MAX_BYTES
    used = selectors.account_upload_bytes(dossier.owner_id)
    if used + incoming > quota:
        raise ValidationError(
            f"Tài khoản đã dùng {attachments.human_size(used)} trên {attachments.human_size(quota)} dung lượng "
            "lưu giấy tờ cho phép. Hãy chụp ảnh nhỏ hơn hoặc liên hệ bộ phận một cửa để được hỗ trợ."
        )
    slot = _slot(dossier, required_document)
    pdfs = [(name, c) for name, c in checked if not c.is_image]
    images = [(name, c) for name, c in checked if c.is_image]
    if pdfs and images:
        raise ValidationError("Mỗi giấy tờ chỉ gồm một tệp PDF hoặc các ảnh chụp, không trộn lẫn.")
    if len(pdfs) > 1:
        raise ValidationError("Mỗi giấy tờ chỉ nhận một tệp PDF; hãy gộp thành một tệp hoặc gửi ảnh chụp.")
    if not pdfs:
        existing = slot.pages.count()
        if existing + len(images) > settings.DOSSIER_PAGES_PER_DOCUMENT:
            raise ValidationError(f"Mỗi giấy tờ tối đa {settings.DOSSIER_PAGES_PER_DOCUMENT} ảnh.")
    written: list = []  # files this upload wrote, removed again if a later one cannot be
    try:
        if pdfs:
            name, c = pdfs[0]
            slot.pages.all().delete()
            replaced = slot.stored_file
            item = _wallet_add(owner=dossier.owner, title=required_document.name, checked=c, filename=name)
            written.append(item.file)
            slot.stored_file = item
            slot.render_state = DossierDocument.RenderState.READY
            slot.render_key = ""
            slot.save()
            _upload_forget_if_unused(replaced)
            return slot
        for offset, (_name, c) in enumerate(images):
            page = DocumentPage(document=slot, order=existing + offset, sha256=c.sha256, size=len(c.content))
            page.image.save(f"page{_ext(c.content_type)}", ContentFile(c.content), save=False)
            written.append(page.image)
            page.thumbnail.save("thumb.jpg", ContentFile(c.thumbnail), save=False)
            written.append(page.thumbnail)
            page.save()
    except OSError as exc:  # the disk is full or refuses the write: nothing of this upload is kept
        logger.error("storing an upload for dossier %s failed: %s", dossier.pk, exc)
        for file in written:
            file.storage.delete(file.name)
        raise ValidationError(STORAGE_FAILED) from exc
    slot.stored_file = None
    slot.render_state = DossierDocument.RenderState.PENDING
    slot.save()
    return slot


STORAGE_FAILED = (
    "Máy chủ tạm thời không lưu được tệp (hết chỗ lưu trữ hoặc lỗi ghi). Hồ sơ và những gì bạn đã nhập vẫn "
    "được giữ; hãy tải tệp lên lại sau ít phút."
)


def _ext(content_type: str) -> str:
    return {attachments.JPEG: ".jpg", attachments.PNG: ".png", attachments.PDF: ".pdf"}.get(content_type, ".heic")


def _upload_forget_if_unused(item: StoredFile | None) -> None:
    """A PDF upload that a new one replaced, deleted (its file after commit) unless another
    dossier's document or a result still uses it: replaced uploads do not pile up on disk
    (issue 19: 30 uploads of 9.5 MB kept 272 MB for a dossier holding one file)."""
    if item is None or item.kind != StoredFile.Kind.UPLOAD or item.uses.exists():
        return
    from .models import Result

    if Result.objects.filter(stored_file=item).exists():
        return
    storage, name = item.file.storage, item.file.name
    item.delete()
    transaction.on_commit(lambda: storage.delete(name))


def _wallet_add(
    *, owner, title: str, checked: attachments.CheckedFile, filename: str, source=None, name: str = ""
) -> StoredFile:
    """A new wallet item with its file; ``name`` (a fixed path) replaces a file left there by
    an attempt that died before its transaction committed, instead of adding another (a
    name another item already uses is left to it, and the file gets a name of its own)."""
    item = StoredFile(
        owner=owner,
        title=title[:500],
        content_type=checked.content_type,
        size=len(checked.content),
        sha256=checked.sha256,
        page_count=checked.page_count,
        source_dossier=source,
    )
    if name and not StoredFile.objects.filter(file=name).exists():
        storage = item.file.storage
        if storage.exists(name):
            storage.delete(name)
        item.file.name = storage.save(name, ContentFile(checked.content))
    else:
        item.file.save(f"{uuid.uuid4().hex}{_ext(checked.content_type)}", ContentFile(checked.content), save=False)
    item.save()
    return item


@transaction.atomic
def document_use_wallet_item(
    *, dossier: Dossier, required_document: RequiredDocument, item: StoredFile, actor
) -> DossierDocument:
    """Reuse a document from the citizen's wallet (tái sử dụng) without uploading again."""
    _require_owner_draft(dossier, actor)
    if item.owner_id != actor.pk:
        raise PermissionDenied("Giấy tờ này không thuộc kho của bạn.")
    slot = _slot(dossier, required_document)
    slot.pages.all().delete()
    slot.stored_file = item
    slot.render_state = DossierDocument.RenderState.READY
    slot.render_key = ""
    slot.save()
    return slot


def document_remove_page(*, page: DocumentPage, actor) -> None:
    slot = page.document
    _require_owner_draft(slot.dossier, actor)
    with transaction.atomic():
        page.delete()
        for order, rest in enumerate(slot.pages.all()):
            if rest.order != order:
                DocumentPage.objects.filter(pk=rest.pk).update(order=order)


def document_move_page(*, page: DocumentPage, actor, offset: int) -> None:
    """Move a page one place up (-1) or down (+1) in its document."""
    slot = page.document
    _require_owner_draft(slot.dossier, actor)
    pages = list(slot.pages.all())
    index = pages.index(page)
    target = index + (1 if offset > 0 else -1)
    if not 0 <= target < len(pages):
        return
    pages[index], pages[target] = pages[target], pages[index]
    with transaction.atomic():
        for order, p in enumerate(pages):
            DocumentPage.objects.filter(pk=p.pk).update(order=order)


def document_clear(*, document: DossierDocument, actor) -> None:
    _require_owner_draft(document.dossier, actor)
    document.delete()


@transaction.atomic
def dossier_submit(*, dossier: Dossier, actor) -> Dossier:
    """Submit a draft: status 1 (Mới đăng ký) with its code. Idempotent for its owner.

    A double click or a re-posted form finds the dossier already submitted and
    returns it unchanged, so exactly one dossier and one code exist.
    """
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if locked.owner_id != getattr(actor, "pk", None):
        raise PermissionDenied("Đây không phải hồ sơ của bạn.")
    if locked.status != Status.DRAFT:
        return locked
    errors = dossier_missing(locked)
    if errors:
        raise ValidationError(errors)
    locked.code = dossier_code_issue(agency_code=locked.agency.code)
    locked.channel = Channel.ONLINE
    locked.save(update_fields=["code", "channel", "updated_at"])
    workflow.dossier_transition(dossier=locked, action="submit", actor=actor)
    locked.refresh_from_db()
    documents_render_pending(locked)
    return locked


@transaction.atomic
def dossier_supplement_submit(*, dossier: Dossier, actor) -> Dossier:
    """The citizen sends the supplement (gửi bổ sung): the dossier must be complete again;
    the state machine resumes the clock and returns it to where it was."""
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if locked.owner_id != getattr(actor, "pk", None):
        raise PermissionDenied("Đây không phải hồ sơ của bạn.")
    errors = dossier_missing(locked)
    if errors:
        raise ValidationError(errors)
    workflow.dossier_transition(dossier=locked, action="supplement_submit", actor=actor)
    documents_render_pending(locked)
    locked.refresh_from_db()
    return locked


def documents_render_pending(dossier: Dossier) -> None:
    """Queue, after commit, the combining of photos into PDFs for documents still pending."""
    pending = list(
        dossier.documents.filter(render_state=DossierDocument.RenderState.PENDING).values_list("pk", flat=True)
    )
    if pending:
        from portal.queueing import enqueue_on_commit

        from .tasks import render_document_pdf

        for pk in pending:
            enqueue_on_commit(render_document_pdf, pk)


def dossier_withdraw(*, dossier: Dossier, actor, reason: str) -> Dossier:
    """The citizen withdraws a dossier the agency has not received yet (status 7)."""
    workflow.dossier_transition(dossier=dossier, action="withdraw", actor=actor, note=reason)
    dossier.refresh_from_db()
    if dossier.withdraw_reason != reason.strip():
        Dossier.objects.filter(pk=dossier.pk).update(withdraw_reason=reason.strip())
        dossier.withdraw_reason = reason.strip()
    return dossier


def documents_requeue_pending(*, now: datetime.datetime | None = None, older_than_minutes: int = 5) -> int:
    """Queue again the combining of photos of documents still pending after a few minutes
    (their message was lost: the broker was down at commit, or the worker died). The
    rendering is idempotent, so a document queued twice is combined once. Returns how many."""
    from portal.queueing import enqueue

    from .tasks import render_document_pdf

    now = now or timezone.now()
    stale = DossierDocument.objects.filter(
        render_state=DossierDocument.RenderState.PENDING,
        updated_at__lt=now - datetime.timedelta(minutes=older_than_minutes),
    ).values_list("pk", flat=True)
    queued = 0
    for pk in stale[:500]:
        if not enqueue(render_document_pdf, pk):
            break
        queued += 1
    return queued


def document_render_pdf(*, document_id: int) -> bool:
    """Combine a document's photos into one PDF (idempotent: same pages, no new file).

    Returns True when a PDF was made. Run by Celery on the ``documents`` queue.
    """
    document = DossierDocument.objects.select_related("dossier", "required_document").filter(pk=document_id).first()
    if document is None:
        return False
    pages = list(document.pages.all())
    if not pages:
        return False
    key = hashlib.sha256("".join(p.sha256 for p in pages).encode()).hexdigest()
    if document.stored_file_id and document.render_key == key:
        return False
    images = []
    for page in pages:
        with page.image.open("rb") as fh:
            images.append(fh.read())
    try:
        pdf = attachments.images_to_pdf(images)
    except (OSError, ValueError):
        DossierDocument.objects.filter(pk=document.pk).update(render_state=DossierDocument.RenderState.FAILED)
        return False
    checked = attachments.CheckedFile(pdf, attachments.PDF, hashlib.sha256(pdf).hexdigest(), len(pages))
    with transaction.atomic():
        current = DossierDocument.objects.select_for_update().get(pk=document.pk)
        if current.stored_file_id and current.render_key == key:
            return False
        item = _wallet_add(
            owner=document.dossier.owner,
            title=document.required_document.name,
            checked=checked,
            filename="ghep.pdf",
            source=document.dossier,
            # One name per document and set of pages: a worker killed after writing the file
            # and before committing leaves it to be replaced, not a second copy beside it.
            name=f"wallet/{document.dossier.owner_id}/ghep-{document.pk}-{key[:16]}.pdf",
        )
        current.stored_file = item
        current.render_key = key
        current.render_state = DossierDocument.RenderState.READY
        current.save(update_fields=["stored_file", "render_key", "render_state", "updated_at"])
    return True
