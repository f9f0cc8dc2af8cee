"""Issue and render the standard forms (biểu mẫu), and build the tracking book.

Rendering is idempotent: an issued form has one fixed file name and is rendered at most
once; a retried or duplicated task finds it ready and does nothing.
"""

import datetime
import io
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.template.loader import render_to_string
from django.utils import timezone

from dossiers.constants import Status
from dossiers.models import Dossier, StatusChange
from procedures.models import Agency

from . import context as ctx
from .models import FormKind, IssuedForm, issued_form_path

logger = logging.getLogger(__name__)

# Tracking book (sổ theo dõi hồ sơ) limits.
BOOK_MAX_DAYS = 366
BOOK_PDF_MAX_ROWS = 2000


def pdf_render(*, template: str, context: dict) -> bytes:
    """HTML template → PDF bytes (WeasyPrint, A4, fonts from the system)."""
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def form_issue(*, dossier_id: int, kind: str, change_id: int | None) -> IssuedForm:
    """The issued form (biểu mẫu) of this kind for this history row, created once."""
    form, _ = IssuedForm.objects.get_or_create(dossier_id=dossier_id, kind=FormKind(kind), change_id=change_id)
    return form


def form_render(*, issued_form_id: int) -> bool:
    """Render an issued form to its PDF. True when a file was written; an already
    ready form, or a missing one, is left alone. A failure is recorded on the form
    (state "failed") and rendering may be tried again."""
    form = (
        IssuedForm.objects.select_related(
            "dossier__agency__parent", "dossier__procedure_version", "dossier__case", "change__actor"
        )
        .filter(pk=issued_form_id)
        .first()
    )
    if form is None or form.is_ready:
        return False
    try:
        template, context = ctx.form_context(form)
        pdf = pdf_render(template=template, context=context)
    except Exception as exc:  # a bad record or template must not loop the worker
        logger.exception("rendering issued form %s failed", issued_form_id)
        IssuedForm.objects.filter(pk=form.pk).exclude(state=IssuedForm.State.READY).update(
            state=IssuedForm.State.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        return False
    with transaction.atomic():
        current = IssuedForm.objects.select_for_update(of=("self",)).select_related("dossier").get(pk=form.pk)
        if current.is_ready:
            return False
        name = issued_form_path(current, "")
        storage = current.file.storage
        if storage.exists(name):  # left by an attempt that died before committing
            storage.delete(name)
        current.file.save(name, ContentFile(pdf), save=False)
        current.state = IssuedForm.State.READY
        current.error = ""
        current.rendered_at = timezone.now()
        current.save(update_fields=["file", "state", "error", "rendered_at"])
    return True


def form_ensure_ready(*, form: IssuedForm) -> IssuedForm:
    """Render now if the background task has not (worker down, event rendering off)."""
    if not form.is_ready:
        form_render(issued_form_id=form.pk)
        form.refresh_from_db()
    return form


def control_sheet_issue(*, dossier: Dossier) -> IssuedForm:
    """Mẫu 06, the control sheet (phiếu kiểm soát quá trình giải quyết hồ sơ), rendered
    now. Keyed to the dossier's latest history row: the same file is served until the
    dossier moves on."""
    latest = StatusChange.objects.filter(dossier=dossier).order_by("-at", "-pk").first()
    if latest is None:
        raise ValidationError("Hồ sơ chưa có quá trình xử lý để in phiếu kiểm soát.")
    form = form_issue(dossier_id=dossier.pk, kind=FormKind.CONTROL_SHEET, change_id=latest.pk)
    return form_ensure_ready(form=form)


# --- The activation slip (phiếu hướng dẫn kích hoạt tài khoản) ------------------------------

ACTIVATION_SLIP_TEMPLATE = "printing/activation_slip.html"


def activation_slip_pdf(*, dossier: Dossier, officer, code: str = "") -> bytes:
    """The slip a one-stop officer prints for a walk-in citizen whose account was opened at
    the counter (``accounts.services.citizen_account_for_counter``): the activation code,
    where and how to activate, until when, the dossier's code and how to track it.

    Only the code's hash is stored, so the slip is made on the spot and never kept: with the
    ``code`` the officer was shown after the intake (checked against the hash), or, without
    one, with a new code that replaces every earlier one (``activation_reissue``). A code
    that no longer opens the account is refused at ``code``; so is an account already
    activated."""
    from accounts import services as accounts

    owner = dossier.owner
    if not accounts.activation_pending(owner):
        raise ValidationError("Tài khoản của công dân đã được kích hoạt hoặc không được mở tại quầy.")
    if code:
        activation = accounts.activation_current(user=owner, code=code)
        if activation is None:
            raise ValidationError(
                {"code": "Mã kích hoạt này không còn dùng được (đã hết hạn hoặc đã được cấp mã mới)."}
            )
        code = accounts.activation_code_clean(code)
    else:
        activation, code = accounts.activation_reissue(user=owner)
    return pdf_render(
        template=ACTIVATION_SLIP_TEMPLATE,
        context=activation_slip_context(dossier=dossier, officer=officer, activation=activation, code=code),
    )


def activation_slip_context(*, dossier: Dossier, officer, activation, code: str) -> dict:
    from django.urls import reverse

    from .formats import place_name

    base = settings.PORTAL_BASE_URL.rstrip("/")
    activate_url = base + reverse("accounts:activate")
    agency = dossier.agency
    return {
        "title": "Phiếu hướng dẫn kích hoạt tài khoản",
        "d": dossier,
        "header": {
            "parent_name": agency.parent.name if agency.parent_id else "",
            "agency_name": agency.name,
            "unit_name": ctx.ONE_STOP_UNIT,
            "place": place_name(),
            "at": timezone.now(),
        },
        "owner": dossier.owner,
        "code": code,
        "code_grouped": f"{code[:4]}-{code[4:]}",
        "expires_at": activation.expires_at,
        "portal_url": base + "/",
        "activate_url": activate_url,
        "activate_qr": ctx.qr_svg(activate_url),
        "tracking_url": ctx.tracking_url(dossier.code),
        "officer": (officer.full_name or officer.get_username()) if officer else "",
        "one_stop_unit": ctx.ONE_STOP_UNIT,
    }


# --- Mẫu 07: the tracking book (sổ theo dõi hồ sơ) -------------------------------------------


@dataclass(frozen=True)
class BookRow:
    """One dossier received in the period."""

    number: int
    code: str
    procedure: str
    sets: int
    applicant_name: str
    address: str
    phone: str
    received_at: datetime.datetime | None
    due_at: datetime.datetime | None
    returned_at: datetime.datetime | None
    officer: str
    note: str


BOOK_COLUMNS = [
    "STT",
    "Mã hồ sơ",
    "Nội dung",
    "Số lượng (bộ)",
    "Họ tên chủ hồ sơ",
    "Địa chỉ",
    "Số điện thoại",
    "Ngày nhận hồ sơ",
    "Ngày hẹn trả",
    "Ngày trả kết quả",
    "Người nhận hồ sơ",
    "Ghi chú",
]


def tracking_book_check_period(*, date_from: datetime.date, date_to: datetime.date) -> None:
    """The period of a book: from ≤ to, at most 366 days (errors keyed by field)."""
    if date_to < date_from:
        raise ValidationError({"date_to": "Ngày kết thúc phải từ ngày bắt đầu trở đi."})
    if (date_to - date_from).days + 1 > BOOK_MAX_DAYS:
        raise ValidationError({"date_to": f"Mỗi lần xem tối đa {BOOK_MAX_DAYS} ngày; hãy chọn khoảng ngày ngắn hơn."})


def _day_start(value: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(value, datetime.time.min))


def _book_note(dossier: Dossier) -> str:
    note = Status(dossier.status).label
    if dossier.due_at and dossier.finished_at and dossier.finished_at > dossier.due_at:
        note += " – quá hạn"
    return note


def tracking_book_rows(*, agency: Agency, date_from: datetime.date, date_to: datetime.date) -> list[BookRow]:
    """Dossiers received by ``agency`` from ``date_from`` to ``date_to`` (local days,
    both included), in order of receipt, with the officer who received each."""
    tracking_book_check_period(date_from=date_from, date_to=date_to)
    receipt = StatusChange.objects.filter(dossier=OuterRef("pk"), action="receive").order_by("-at", "-pk")
    dossiers = (
        Dossier.objects.filter(
            agency=agency,
            received_at__gte=_day_start(date_from),
            received_at__lt=_day_start(date_to + datetime.timedelta(days=1)),
        )
        .select_related("procedure_version", "handover")
        .annotate(
            receiver_full_name=Subquery(receipt.values("actor__full_name")[:1]),
            receiver_username=Subquery(receipt.values("actor__username")[:1]),
        )
        .order_by("received_at", "pk")
    )
    rows = []
    for number, dossier in enumerate(dossiers, start=1):
        handover = getattr(dossier, "handover", None)
        rows.append(
            BookRow(
                number=number,
                code=dossier.code or "",
                procedure=dossier.procedure_version.name,
                sets=1,
                applicant_name=dossier.applicant_name,
                address=dossier.applicant_address,
                phone=dossier.applicant_phone,
                received_at=dossier.received_at,
                due_at=dossier.due_at,
                returned_at=handover.at if handover else None,
                officer=dossier.receiver_full_name or dossier.receiver_username or "",
                note=_book_note(dossier),
            )
        )
    return rows


def tracking_book_pdf(*, agency: Agency, date_from: datetime.date, date_to: datetime.date) -> bytes:
    """The tracking book as a PDF (A4 landscape)."""
    rows = tracking_book_rows(agency=agency, date_from=date_from, date_to=date_to)
    if len(rows) > BOOK_PDF_MAX_ROWS:
        raise ValidationError(
            {
                "format": f"Có {len(rows)} hồ sơ, quá nhiều để in PDF (tối đa {BOOK_PDF_MAX_ROWS}); "
                "hãy tải tệp Excel hoặc chọn khoảng ngày ngắn hơn."
            }
        )
    context = ctx.tracking_book_context(agency=agency, date_from=date_from, date_to=date_to, rows=rows)
    return pdf_render(template=ctx.TRACKING_BOOK_TEMPLATE, context=context)


def _naive_local(value: datetime.datetime | None) -> datetime.datetime | None:
    """Excel has no time zones: local wall-clock time."""
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def tracking_book_xlsx(*, agency: Agency, date_from: datetime.date, date_to: datetime.date) -> bytes:
    """The tracking book as an Excel workbook (one sheet, dates as real dates)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    rows = tracking_book_rows(agency=agency, date_from=date_from, date_to=date_to)
    book = Workbook()
    sheet = book.active
    sheet.title = "Sổ theo dõi hồ sơ"
    width = len(BOOK_COLUMNS)
    sheet.append([agency.name.upper()])
    sheet.append(["SỔ THEO DÕI HỒ SƠ"])
    sheet.append([f"Từ ngày {date_from:%d/%m/%Y} đến ngày {date_to:%d/%m/%Y}"])
    sheet.append([])
    for line in (1, 2, 3):
        sheet.merge_cells(start_row=line, start_column=1, end_row=line, end_column=width)
        sheet.cell(line, 1).alignment = Alignment(horizontal="center")
        sheet.cell(line, 1).font = Font(bold=line < 3, size=14 if line == 2 else 11)
    sheet.append(BOOK_COLUMNS)
    header_row = sheet.max_row
    thin = Side(style="thin")
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
    for row in rows:
        sheet.append(
            [
                row.number,
                row.code,
                row.procedure,
                row.sets,
                row.applicant_name,
                row.address,
                row.phone,
                _naive_local(row.received_at),
                _naive_local(row.due_at),
                _naive_local(row.returned_at),
                row.officer,
                row.note,
            ]
        )
        for column in (8, 9, 10):
            sheet.cell(sheet.max_row, column).number_format = "dd/mm/yyyy hh:mm"
    for index, size in enumerate([6, 26, 48, 10, 24, 36, 14, 17, 17, 17, 22, 24], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = size
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    sheet.print_options.gridLines = True
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
