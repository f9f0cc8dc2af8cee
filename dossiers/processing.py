"""Officer-side services (xử lý hồ sơ): act on a dossier, record a result file, file a
paper dossier brought to the counter or by the post.

Status and step changes go through ``dossiers.workflow.dossier_transition``; this module
prepares what the actions need (stored files, the citizen's account, the dossier code).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.access import is_one_stop_officer
from accounts.identity import validate_personal_id
from accounts.models import User
from accounts.services import citizen_account_for_counter
from payments.selectors import unpaid_before
from portal import uploads
from portal.errors import field_errors
from procedures.models import Agency, Case, ProcedureVersion
from procedures.selectors import withdrawal_refusal

from . import attachments, services, workflow
from .codes import dossier_code_issue
from .constants import Channel, OwnerType, ResultDelivery
from .models import Dossier, PostalIntake, StatusChange, StoredFile


def _store_result_file(*, dossier: Dossier, upload) -> StoredFile:
    try:
        checked = attachments.check_upload(upload, use=uploads.RESULT)
    except ValidationError as exc:
        if exc.code == "type":
            raise ValidationError({"file": "Văn bản kết quả phải là tệp PDF (bản ký số hoặc bản quét)."}) from None
        raise ValidationError({"file": exc.messages}) from None
    item = StoredFile(
        owner=dossier.owner,
        kind=StoredFile.Kind.RESULT,
        title=f"Kết quả hồ sơ {dossier.code}: {dossier.procedure_version.name}"[:500],
        content_type=checked.content_type,
        size=len(checked.content),
        sha256=checked.sha256,
        page_count=checked.page_count,
        source_dossier=dossier,
    )
    item.file.save("ket-qua.pdf", ContentFile(checked.content), save=False)
    item.save()
    return item


@transaction.atomic
def dossier_act(
    *,
    dossier: Dossier,
    action: str,
    actor,
    note: str = "",
    data: dict | None = None,
    upload=None,
    now: datetime.datetime | None = None,
) -> StatusChange:
    """An officer's (or the citizen's) action on a dossier, with its attachments.

    The one entry point of the officer pages and the API: the result document is
    checked and stored here, everything else is the state machine's."""
    data = dict(data or {})
    if action == "record_result":
        if upload is None:
            raise ValidationError({"file": "Hãy đính kèm văn bản kết quả (PDF)."})
        if dossier.owner_id is None:
            raise ValidationError({"file": "Hồ sơ chưa gắn với tài khoản công dân."})
        data["stored_file"] = _store_result_file(dossier=dossier, upload=upload)
    try:
        return workflow.dossier_transition(dossier=dossier, action=action, actor=actor, note=note, data=data, now=now)
    except Exception:
        # The row goes with the rolled-back transaction; the file on disk must go too.
        if "stored_file" in data:
            data["stored_file"].file.delete(save=False)
        raise


def _require_desk_officer(officer, agency: Agency) -> None:
    if not is_one_stop_officer(officer, agency.pk):
        raise PermissionDenied("Bạn không phải cán bộ một cửa của cơ quan này.")


@transaction.atomic
def intake_start(
    *,
    officer,
    agency: Agency,
    version: ProcedureVersion,
    case: Case | None,
    citizen: dict,
    channel: int = Channel.COUNTER,
) -> tuple[Dossier, str]:
    """Open a paper dossier for a walk-in citizen (or one that came by post).

    The citizen is found by the 12-digit ID number or given an account without a
    password; the returned activation code (empty for an existing account) lets them
    set one later and find the dossier in "Hồ sơ của tôi"."""
    _require_desk_officer(officer, agency)
    if channel not in (Channel.COUNTER, Channel.POST):
        raise ValidationError("Kênh tiếp nhận không hợp lệ.")
    withdrawn = withdrawal_refusal(version)
    if withdrawn or not version.is_current:
        raise ValidationError({"procedure": withdrawn or "Thủ tục này không còn hiệu lực."})
    if not version.agency_roles.filter(agency=agency).exists():
        raise ValidationError({"procedure": "Cơ quan của bạn không tiếp nhận thủ tục này."})
    cases = list(version.cases.all())
    if cases and (case is None or case.version_id != version.pk):
        raise ValidationError({"case": "Hãy chọn trường hợp."})
    national_id = str(citizen.get("national_id") or "").strip()
    try:
        national_id = validate_personal_id(national_id)
    except ValidationError as error:
        raise ValidationError({"national_id": error.messages}) from None
    name = str(citizen.get("full_name") or "").strip()
    if not name:
        raise ValidationError({"full_name": "Hãy nhập họ tên người nộp."})
    user, code = citizen_account_for_counter(
        national_id=national_id,
        full_name=name[:200],
        phone=str(citizen.get("phone") or "").strip()[:20],
        email=str(citizen.get("email") or "").strip()[:254],
        address=str(citizen.get("address") or "").strip()[:500],
    )
    dossier = Dossier.objects.create(
        procedure_version=version,
        case=case if cases else None,
        agency=agency,
        owner=user,
        owner_type=OwnerType.CITIZEN,
        channel=channel,
        counter_officer=officer,
        applicant_name=name[:200],
        applicant_id_number=national_id,
        applicant_phone=str(citizen.get("phone") or user.phone or "").strip()[:20],
        applicant_email=str(citizen.get("email") or user.email or "").strip()[:254],
        applicant_address=str(citizen.get("address") or user.address or "").strip()[:500],
    )
    return dossier, code


def document_mark_originals(*, dossier: Dossier, officer, seen: set[int]) -> None:
    """Which originals (bản chính) the desk officer compared with the copies."""
    if dossier.counter_officer_id != officer.pk:
        raise PermissionDenied("Chỉ cán bộ nhập hồ sơ này được đánh dấu.")
    docs = dossier.documents.all()
    docs.filter(required_document_id__in=seen).update(original_seen=True)
    docs.exclude(required_document_id__in=seen).update(original_seen=False)


@transaction.atomic
def intake_complete(
    *,
    dossier: Dossier,
    officer,
    result_delivery: str = ResultDelivery.COUNTER,
    delivery_address: str = "",
    postal: dict | None = None,
    fee: dict | None = None,
    now: datetime.datetime | None = None,
) -> Dossier:
    """Check the paper dossier, give it its code and receive it at once (Mẫu 01).

    For the post, the hand-over record (biên bản giao nhận) is required and its
    signing time is the moment of submission the deadline counts from. A fee collected
    before receipt (thu trước, ``payments.fees``) is taken in the same step: ``fee`` gives
    how (``method`` cash or card with its ``receipt_number``, or ``exempt`` with the
    ``exemption_reason``), recorded in the payments ledger before the receipt."""
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if locked.counter_officer_id != officer.pk:
        raise PermissionDenied("Chỉ cán bộ nhập hồ sơ này được hoàn tất tiếp nhận.")
    errors = services.dossier_missing(locked)
    if result_delivery not in ResultDelivery.values:
        errors["result_delivery"] = "Hãy chọn nơi nhận kết quả."
    elif result_delivery == ResultDelivery.POST and not delivery_address.strip():
        errors["delivery_address"] = "Hãy nhập địa chỉ nhận kết quả qua bưu điện."
    received_at = now or timezone.now()
    if locked.channel == Channel.POST:
        postal = postal or {}
        for key, message in [
            ("record_number", "Hãy nhập số biên bản giao nhận."),
            ("tracking_number", "Hãy nhập số hiệu bưu gửi."),
        ]:
            if not str(postal.get(key) or "").strip():
                errors[key] = message
        postal_fee = str(postal.get("postal_fee") or "0").replace(".", "").strip()
        if not postal_fee.isdigit() or int(postal_fee) > 10_000_000:
            errors["postal_fee"] = "Cước bưu chính là số tiền (đồng), không quá 10.000.000."
        handed = postal.get("handed_over_at")
        if not isinstance(handed, datetime.datetime):
            errors["handed_over_at"] = "Hãy nhập thời điểm ký biên bản giao nhận."
        elif handed > received_at:
            errors["handed_over_at"] = "Thời điểm ký biên bản không được sau hiện tại."
        elif handed < received_at - datetime.timedelta(days=30):
            errors["handed_over_at"] = "Biên bản giao nhận quá 30 ngày; hãy kiểm tra lại."
    fee_due = unpaid_before(locked, "receive")
    if fee_due is not None:
        errors.update(_fee_errors(fee or {}))
    if errors:
        raise ValidationError(errors)
    locked.code = dossier_code_issue(agency_code=locked.agency.code)
    locked.result_delivery = result_delivery
    locked.delivery_address = delivery_address.strip()[:500]
    locked.save(update_fields=["code", "result_delivery", "delivery_address", "updated_at"])
    handed = postal["handed_over_at"] if locked.channel == Channel.POST else None
    workflow.dossier_transition(
        dossier=locked, action="intake", actor=officer, data={"submitted_at": handed}, now=received_at
    )
    data = {}
    if locked.channel == Channel.POST:
        PostalIntake.objects.create(
            dossier=locked,
            record_number=str(postal["record_number"]).strip()[:50],
            tracking_number=str(postal["tracking_number"]).strip()[:50],
            postal_fee=int(str(postal.get("postal_fee") or "0").replace(".", "").strip()),
            handed_over_at=handed,
            postal_worker=str(postal.get("postal_worker") or "").strip()[:200],
        )
        data["received_at"] = handed
    if fee_due is not None:
        _fee_take(locked, officer, fee or {})
    workflow.dossier_transition(dossier=locked, action="receive", actor=officer, data=data, now=received_at)
    services.documents_render_pending(locked)
    locked.refresh_from_db()
    return locked


EXEMPT = "exempt"


def _fee_errors(fee: dict) -> dict[str, str]:
    """What is wrong with how the desk says the fee due before receipt was taken."""
    from payments.constants import COUNTER_METHODS

    method = str(fee.get("method") or "").strip()
    if method == EXEMPT:
        if not str(fee.get("exemption_reason") or "").strip():
            return {"fee_exemption_reason": "Hãy ghi rõ lý do miễn (căn cứ và giấy tờ chứng minh)."}
        return {}
    if method not in COUNTER_METHODS:
        return {"fee_method": "Thủ tục thu phí, lệ phí trước khi tiếp nhận: hãy chọn đã thu tiền mặt, thẻ, hoặc miễn."}
    if not str(fee.get("receipt_number") or "").strip():
        return {"fee_receipt_number": "Hãy nhập số biên lai thu phí, lệ phí đã giao cho người nộp."}
    return {}


def _fee_take(dossier: Dossier, officer, fee: dict) -> None:
    """Record the fee due before receipt in the payments ledger (in full, or exempt)."""
    from payments import services as payments

    try:
        if fee.get("method") == EXEMPT:
            owed = [line.fee_id for line in unpaid_before(dossier, "receive").fees.lines if line.due > 0]
            payments.fee_exemption_record(
                dossier=dossier, officer=officer, fee_ids=owed, reason=fee.get("exemption_reason", "")
            )
        else:
            payments.counter_payment_record(
                dossier=dossier,
                officer=officer,
                amount=str(unpaid_before(dossier, "receive").amount),
                method=fee.get("method", ""),
                receipt_number=fee.get("receipt_number", ""),
            )
    except ValidationError as exc:
        raise ValidationError({f"fee_{name}": message for name, message in field_errors(exc).items()}) from exc


def find_citizen(national_id: str) -> User | None:
    """The citizen with this ID number, for the counter's look-up."""
    national_id = (national_id or "").strip()
    if len(national_id) != 12 or not national_id.isdigit():
        return None
    return User.objects.filter(national_id=national_id).first()
