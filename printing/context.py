"""What each printed form shows: the one place that reads a dossier for printing.

``form_context`` gives the template and the context of an issued form (Mẫu 01–06);
``tracking_book_context`` those of the tracking book (Mẫu 07). Field lists follow
TT 03/2025/TT-VPCP and the provincial templates (research vietnam-domain.md §1.4).
"""

import datetime
import io
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from dossiers import deadlines
from dossiers.constants import Channel, OwnerType, ResultDelivery, Status, Step
from dossiers.models import Dossier, DossierDocument, StatusChange, SupplementRequest
from dossiers.workflow import ACTIONS

from .models import FormKind, IssuedForm

TEMPLATES = {
    FormKind.RECEIPT: "printing/form_01_receipt.html",
    FormKind.SUPPLEMENT: "printing/form_02_supplement.html",
    FormKind.REFUSAL: "printing/form_03_refusal.html",
    FormKind.APOLOGY: "printing/form_04_apology.html",
    FormKind.STOP: "printing/form_05_stop.html",
    FormKind.CONTROL_SHEET: "printing/form_06_control_sheet.html",
}
TRACKING_BOOK_TEMPLATE = "printing/form_07_tracking_book.html"

# The sign after the dossier code in "Số: …" (số, ký hiệu of each form).
NUMBER_SUFFIX = {
    FormKind.RECEIPT: "TNHS",
    FormKind.SUPPLEMENT: "BSHS",
    FormKind.REFUSAL: "TCHS",
    FormKind.APOLOGY: "XL",
    FormKind.STOP: "DGQ",
    FormKind.CONTROL_SHEET: "PKS",
}
ONE_STOP_UNIT = "Bộ phận Tiếp nhận và Trả kết quả"

# Per-step result on the control sheet (kết quả giải quyết của từng bước).
ONGOING = "Đang xử lý"
PAUSED = "Tạm dừng (chờ bổ sung)"
# Statuses after which the dossier leaves the agency's hands: the step ends when it starts.
FINISHING = frozenset({Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.RESOLVED, Status.RETURNED})


def tracking_url(code: str) -> str:
    """The owner's tracking link (tra cứu, with its token: no digits to type), as printed
    under the QR code."""
    from dossiers.tracking import tracking_path

    return settings.PORTAL_BASE_URL.rstrip("/") + tracking_path(code)


def qr_svg(text: str) -> str:
    """A QR code as inline SVG (one path), for WeasyPrint and the browser alike."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=1)
    buf = io.BytesIO()
    image.save(buf)
    svg = buf.getvalue().decode()
    return svg[svg.find("<svg") :]


@dataclass(frozen=True)
class DocumentRow:
    """A line of the list of documents received (thành phần hồ sơ)."""

    name: str
    originals: int
    copies: int
    note: str


def document_rows(dossier: Dossier) -> list[DocumentRow]:
    """The documents of the dossier with the counts of originals (bản chính) and copies
    (bản sao) the procedure asks for, and whether the desk compared the original."""
    docs = (
        DossierDocument.objects.filter(dossier=dossier)
        .select_related("required_document")
        .order_by("required_document__order", "required_document__pk")
    )
    rows = []
    for doc in docs:
        required = doc.required_document
        notes = []
        if dossier.channel == Channel.ONLINE:
            notes.append("Bản điện tử")
        if doc.original_seen:
            notes.append("Đã đối chiếu bản chính")
        if required.presented_only:
            notes.append("Chỉ xuất trình")
        rows.append(DocumentRow(required.name, required.originals, required.copies, "; ".join(notes)))
    return rows


def fees_of(dossier: Dossier) -> list:
    """The fee lines as the fee calculator prices them for this dossier (its channel and
    exemptions): ``payments.fees``, the one place that says what a dossier owes."""
    from payments.fees import dossier_fees

    return list(dossier_fees(dossier).lines)


def fee_timing(dossier: Dossier) -> str:
    """Hình thức thu phí, lệ phí, as the fee calculator says (``payments.fees``)."""
    from payments.fees import collection_text, dossier_fees

    return collection_text(dossier_fees(dossier), dossier)


def applicant_title(dossier: Dossier) -> str:
    return "Ông (Bà)" if dossier.owner_type == OwnerType.CITIZEN else "Tổ chức"


def _header(dossier: Dossier, *, kind: str, at: datetime.datetime | None, one_stop: bool = True) -> dict:
    from .formats import place_name

    agency = dossier.agency
    return {
        "parent_name": agency.parent.name if agency.parent_id else "",
        "agency_name": agency.name,
        "unit_name": ONE_STOP_UNIT if one_stop else "",
        "number": f"{dossier.code}/{NUMBER_SUFFIX[FormKind(kind)]}",
        "place": place_name(),
        "at": at,
    }


def _dossier_context(dossier: Dossier, *, kind: str, at: datetime.datetime | None, one_stop: bool = True) -> dict:
    version = dossier.procedure_version
    return {
        "d": dossier,
        "kind": kind,
        "title": FormKind(kind).label.split(" – ", 1)[1],
        "header": _header(dossier, kind=kind, at=at, one_stop=one_stop),
        "procedure_name": version.name,
        "case_name": dossier.case.name if dossier.case_id else "",
        "applicant_title": applicant_title(dossier),
        "time_limit": version.time_limit_display(),
        "agency": dossier.agency,
        "one_stop_unit": ONE_STOP_UNIT,
    }


def _person(user) -> str:
    return user.display_name if user is not None else ""


def receipt_context(form: IssuedForm) -> dict:
    """Mẫu 01: receipt and appointment (giấy tiếp nhận hồ sơ và hẹn trả kết quả)."""
    dossier, change = form.dossier, form.change
    url = tracking_url(dossier.code)
    delivery = dossier.get_result_delivery_display()
    if dossier.result_delivery == ResultDelivery.POST and dossier.delivery_address:
        delivery = f"{delivery}: {dossier.delivery_address}"
    return {
        **_dossier_context(dossier, kind=form.kind, at=change.at),
        "documents": document_rows(dossier),
        "fees": fees_of(dossier),
        "fee_timing": fee_timing(dossier),
        "received_at": dossier.received_at or change.at,
        "due_at": change.step_deadline or dossier.due_at,
        "delivery": delivery,
        "tracking_url": url,
        "qr_svg": qr_svg(url),
        "officer": _person(change.actor),
        "channel": dossier.get_channel_display(),
        "online": dossier.channel == Channel.ONLINE,
    }


def supplement_for(dossier: Dossier, change: StatusChange) -> SupplementRequest | None:
    """The supplement request made by ``change`` (older rows without the link: the latest
    one made at or before it)."""
    requests = SupplementRequest.objects.filter(dossier=dossier).select_related("requested_by")
    exact = requests.filter(change=change).first()
    if exact is not None:
        return exact
    return (
        requests.filter(requested_at__lte=change.at).order_by("-requested_at", "-pk").first()
        or requests.order_by("-requested_at", "-pk").first()
    )


def supplement_context(form: IssuedForm) -> dict:
    """Mẫu 02: supplement request (phiếu yêu cầu bổ sung, hoàn thiện hồ sơ)."""
    dossier, change = form.dossier, form.change
    request = supplement_for(dossier, change)
    return {
        **_dossier_context(dossier, kind=form.kind, at=change.at),
        "received_at": dossier.received_at or dossier.submitted_at,
        "items": request.items if request else "",
        "reason": (request.reason if request else "") or change.note,
        "respond_by": request.respond_by if request else None,
        "officer": _person(request.requested_by if request else change.actor),
    }


def refusal_context(form: IssuedForm) -> dict:
    """Mẫu 03: refusal to receive (phiếu từ chối tiếp nhận giải quyết hồ sơ)."""
    dossier, change = form.dossier, form.change
    return {
        **_dossier_context(dossier, kind=form.kind, at=change.at),
        "submitted_at": dossier.submitted_at,
        "reason": change.note,
        "officer": _person(change.actor),
    }


def apology_context(form: IssuedForm) -> dict:
    """Mẫu 04: apology and new appointment (văn bản xin lỗi và hẹn lại ngày trả kết quả),
    signed by the head of the agency."""
    dossier, change = form.dossier, form.change
    apology = getattr(dossier, "apology", None)
    return {
        **_dossier_context(dossier, kind=form.kind, at=apology.at if apology else change.at, one_stop=False),
        "received_at": dossier.received_at,
        "old_due_at": apology.old_due_at if apology else None,
        "new_due_at": apology.new_due_at if apology else dossier.due_at,
        "reason": apology.reason if apology else change.note,
        "signer": _person(apology.issued_by if apology else change.actor),
    }


def stop_context(form: IssuedForm) -> dict:
    """Mẫu 05: notice that handling stops (thông báo dừng giải quyết hồ sơ)."""
    dossier, change = form.dossier, form.change
    return {
        **_dossier_context(dossier, kind=form.kind, at=change.at),
        "received_at": dossier.received_at,
        "stopped_at": change.at,
        "reason": change.note,
        "officer": _person(change.actor),
    }


@dataclass(frozen=True)
class ControlRow:
    """One step of the control sheet: who handed the dossier to whom, when, by when."""

    number: int
    action: str
    status: str
    giver: str
    agency: str
    department: str
    person: str
    started_at: datetime.datetime
    deadline: datetime.datetime | None
    finished_at: datetime.datetime | None
    result: str
    note: str


def _status_label(change: StatusChange) -> str:
    if change.to_status == Status.PROCESSING and change.to_step:
        return Step(change.to_step).label
    return Status(change.to_status).label


def control_rows(dossier: Dossier, upto: StatusChange | None) -> list[ControlRow]:
    """The history of the dossier up to ``upto`` (included), one row per step.

    A step starts with its history row and ends with the next one; the last step ends
    when it starts if it finishes the dossier (result, refusal, stop…), else it is
    still running. While waiting for a supplement the clock stops (tạm dừng)."""
    history = StatusChange.objects.filter(dossier=dossier).select_related("actor", "handler", "agency")
    if upto is not None:
        history = history.filter(Q(at__lt=upto.at) | Q(at=upto.at, pk__lte=upto.pk))
    changes = list(history.order_by("at", "pk"))
    rows = []
    for index, change in enumerate(changes):
        following = changes[index + 1] if index + 1 < len(changes) else None
        if following is not None:
            finished = following.at
        elif change.to_status in FINISHING:
            finished = change.at
        else:
            finished = None
        if change.to_status == Status.SUPPLEMENT_REQUESTED:
            result = PAUSED
        elif finished is None:
            result = ONGOING
        else:
            result = deadlines.timeliness(finished, change.step_deadline)
        spec = ACTIONS.get(change.action)
        at_desk = change.to_step == Step.DESK and change.to_status not in FINISHING
        rows.append(
            ControlRow(
                number=index + 1,
                action=spec.label if spec else change.action,
                status=_status_label(change),
                giver=_person(change.actor),
                agency=(change.agency or dossier.agency).name,
                department=change.department or (ONE_STOP_UNIT if at_desk else ""),
                person=_person(change.handler),
                started_at=change.at,
                deadline=change.step_deadline,
                finished_at=finished,
                result=result,
                note=change.note,
            )
        )
    return rows


def control_sheet_context(form: IssuedForm) -> dict:
    """Mẫu 06: control sheet (phiếu kiểm soát quá trình giải quyết hồ sơ)."""
    dossier = form.dossier
    coordinating = sorted({t.to_agency.name for t in dossier.transfers.select_related("to_agency")})
    return {
        **_dossier_context(dossier, kind=form.kind, at=form.change.at if form.change else timezone.now()),
        "received_at": dossier.received_at,
        "due_at": dossier.due_at,
        "department": dossier.department,
        "coordinating": coordinating,
        "rows": control_rows(dossier, form.change),
    }


BUILDERS = {
    FormKind.RECEIPT: receipt_context,
    FormKind.SUPPLEMENT: supplement_context,
    FormKind.REFUSAL: refusal_context,
    FormKind.APOLOGY: apology_context,
    FormKind.STOP: stop_context,
    FormKind.CONTROL_SHEET: control_sheet_context,
}


def form_context(form: IssuedForm) -> tuple[str, dict]:
    """The template and context of an issued form."""
    kind = FormKind(form.kind)
    return TEMPLATES[kind], BUILDERS[kind](form)


def tracking_book_context(*, agency, date_from: datetime.date, date_to: datetime.date, rows: list) -> dict:
    """Mẫu 07: the tracking book (sổ theo dõi hồ sơ) of one agency for a period."""
    from .formats import place_name

    return {
        "title": "Sổ theo dõi hồ sơ",
        "header": {
            "parent_name": agency.parent.name if agency.parent_id else "",
            "agency_name": agency.name,
            "unit_name": ONE_STOP_UNIT,
            "place": place_name(),
            "at": timezone.now(),
        },
        "agency": agency,
        "date_from": date_from,
        "date_to": date_to,
        "rows": rows,
    }
