"""Printed forms: an issued form's PDF, the control sheet, the tracking book.

Thin: read the request, ask ``selectors`` who may see what, call ``services``.
Anyone who may not see a dossier gets the same 404 as for a form that does not exist.
"""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.services import activation_pending
from portal.errors import add_to_form, field_errors
from privacy import services as privacy
from privacy.constants import AccessKind

from . import selectors, services
from .forms import TrackingBookForm
from .models import IssuedForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _pdf_response(form: IssuedForm) -> FileResponse:
    response = FileResponse(form.file.open("rb"), content_type="application/pdf", filename=form.filename)
    response["Content-Disposition"] = response["Content-Disposition"].replace("attachment", "inline")
    response["Cache-Control"] = "private, no-store"
    return response


def _not_ready(request) -> HttpResponse:
    response = render(request, "printing/not_ready.html", status=503)
    response["Retry-After"] = "30"
    return response


@login_required
def issued_form(request, public_id):
    """An issued form (Mẫu 01–06) to the dossier's owner or an officer handling it."""
    form = selectors.issued_form_get(public_id)
    if form is None or not selectors.may_view_forms(request.user, form.dossier):
        raise Http404("Không tìm thấy biểu mẫu.")
    form = services.form_ensure_ready(form=form)
    if not form.is_ready:
        return _not_ready(request)
    privacy.access_record(request=request, kind=AccessKind.FORM, dossier=form.dossier, detail=form.get_kind_display())
    return _pdf_response(form)


@login_required
def control_sheet(request, code):
    """Mẫu 06, the control sheet, for officers handling the dossier."""
    dossier = selectors.dossier_for_officer(request.user, code)
    if dossier is None:
        raise Http404("Không tìm thấy hồ sơ.")
    try:
        form = services.control_sheet_issue(dossier=dossier)
    except ValidationError:
        raise Http404("Hồ sơ chưa có quá trình xử lý.") from None
    if not form.is_ready:
        return _not_ready(request)
    privacy.access_record(request=request, kind=AccessKind.FORM, dossier=dossier, detail=form.get_kind_display())
    return _pdf_response(form)


@login_required
@require_POST
def activation_slip(request, code):
    """The activation slip of a walk-in citizen's account (phiếu hướng dẫn kích hoạt tài
    khoản), for the one-stop officers of the dossier's agency: with the code shown after the
    intake (``code``), or a new one. A PDF made on the spot, never stored."""
    dossier = selectors.dossier_at_counter(request.user, code)
    if dossier is None:
        raise Http404("Không tìm thấy hồ sơ.")
    try:
        pdf = services.activation_slip_pdf(dossier=dossier, officer=request.user, code=request.POST.get("code", ""))
    except ValidationError as error:
        errors = field_errors(error)
        context = {
            "d": dossier,
            "code_error": errors.get("code", ""),
            "general_error": errors.get("__all__", ""),
            "pending": activation_pending(dossier.owner),
        }
        return render(request, "printing/activation_slip_refused.html", context, status=400)
    privacy.access_record(
        request=request, kind=AccessKind.FORM, dossier=dossier, detail="Phiếu hướng dẫn kích hoạt tài khoản"
    )
    response = _download(pdf, "application/pdf", f"phieu-kich-hoat-{dossier.code}.pdf")
    response["Content-Disposition"] = response["Content-Disposition"].replace("attachment", "inline")
    return response


@login_required
def tracking_book(request):
    """Mẫu 07, the tracking book of one of the officer's agencies, as PDF or Excel."""
    agencies = selectors.officer_agencies(request.user)
    if not agencies:
        raise Http404("Trang dành cho cán bộ được phân công.")
    if "date_from" in request.GET or "date_to" in request.GET:
        form = TrackingBookForm(request.GET, agencies=agencies)
    else:
        today = timezone.localdate()
        form = TrackingBookForm(
            agencies=agencies,
            initial={
                "agency": agencies[0].pk,
                "date_from": today.replace(day=1).strftime("%d/%m/%Y"),
                "date_to": today.strftime("%d/%m/%Y"),
                "format": "pdf",
            },
        )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        args = {"agency": form.chosen_agency, "date_from": data["date_from"], "date_to": data["date_to"]}
        try:
            if data["format"] == "xlsx":
                response = _download(services.tracking_book_xlsx(**args), XLSX, _book_name(args, "xlsx"))
            else:
                response = _download(services.tracking_book_pdf(**args), "application/pdf", _book_name(args, "pdf"))
        except ValidationError as error:
            add_to_form(form, error)
        else:
            privacy.access_record(
                request=request,
                kind=AccessKind.EXPORT,
                detail=f"Sổ theo dõi (Mẫu 07) {_book_name(args, data['format'])}",
                agency_id=args["agency"].pk,
            )
            return response
    return render(request, "printing/tracking_book_form.html", {"form": form})


def _book_name(args: dict, extension: str) -> str:
    start: datetime.date = args["date_from"]
    end: datetime.date = args["date_to"]
    return f"so-theo-doi-{args['agency'].code}-{start:%Y%m%d}-{end:%Y%m%d}.{extension}"


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
