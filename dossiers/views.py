"""Citizen pages: file online, "Hồ sơ của tôi", public tracking, private files.

Views stay thin: they read the request, call ``services``/``selectors`` and render.
"""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from portal import uploads
from privacy import retention
from privacy import selectors as privacy_selectors
from privacy import services as privacy
from privacy.constants import AccessKind
from procedures import selectors as catalog
from procedures.models import RequiredDocument

from . import limits, selectors, services, tracking, workflow
from .constants import PUBLIC_LABELS, Status
from .forms import answers_from_post, applicant_fields, procedure_fields
from .models import DocumentPage, Dossier, StoredFile
from .workflow import TransitionError


def _qr_svg(text: str) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buf = io.BytesIO()
    image.save(buf)
    svg = buf.getvalue().decode()
    return svg[svg.find("<svg") :]


def tracking_url(request, code: str) -> str:
    """The owner's tracking link (with its token: no digits to type)."""
    return request.build_absolute_uri(tracking.tracking_path(code))


def start(request, code):
    """Step 1: choose where to file (agency) and the case; opens or resumes the draft.

    Someone not logged in is most often a newcomer: they go straight to registration
    (which links to the login page for those who have an account), then come back here.
    """
    if not request.user.is_authenticated:
        return redirect(reverse("accounts:register") + "?" + urlencode({"next": request.get_full_path()}))
    version = catalog.procedure_version_for_page(code)
    if version is None:
        raise Http404("Không tìm thấy thủ tục.")
    if not version.online_filing:
        messages.info(request, "Thủ tục này chưa nộp trực tuyến được; hãy xem hướng dẫn nộp trực tiếp.")
        return redirect(version.procedure.get_absolute_url())
    refusal = catalog.filing_refusal(version)
    if refusal and not version.is_current:  # withdrawn: said at once, on the procedure's page
        messages.error(request, refusal)
        return redirect(version.procedure.get_absolute_url())
    agencies = services.filing_agencies(version)
    cases = list(version.cases.all())
    errors = {}
    if request.method == "POST" or (len(agencies) == 1 and len(cases) <= 1):
        agency = next((a for a in agencies if str(a.pk) == request.POST.get("agency")), None)
        if agency is None and len(agencies) == 1:
            agency = agencies[0]
        case = None
        if cases:
            case = next((c for c in cases if str(c.pk) == request.POST.get("case")), None)
            if case is None and len(cases) == 1:
                case = cases[0]
        if agency is None:
            errors["agency"] = "Hãy chọn nơi nộp hồ sơ."
        if cases and case is None:
            errors["case"] = "Hãy chọn trường hợp của bạn."
        if not errors:
            try:
                dossier = services.dossier_start(user=request.user, version=version, agency=agency, case=case)
            except ValidationError as exc:
                errors = (
                    {k: v[0] for k, v in exc.message_dict.items()}
                    if hasattr(exc, "error_dict")
                    else {"__all__": exc.messages[0]}
                )
            else:
                return redirect("dossiers:edit", public_id=dossier.public_id)
        if request.method != "POST":
            errors = {}
    return render(
        request,
        "dossiers/start.html",
        {
            "v": version,
            "agencies": agencies,
            "cases": cases,
            "errors": errors,
            "general_error": errors.get("__all__", ""),
            "posted": request.POST,
        },
    )


def _owned(request, public_id) -> Dossier:
    dossier = selectors.dossier_of_owner(public_id, request.user)
    if dossier is None:
        raise Http404("Không tìm thấy hồ sơ.")
    return dossier


def _documents_context(dossier: Dossier, errors: dict[str, str]) -> list[dict]:
    attached = {d.required_document_id: d for d in dossier.documents.all()}
    return [
        {"doc": doc, "attached": attached.get(doc.pk), "error": errors.get(f"doc_{doc.pk}", "")}
        for doc in services.required_documents_for(dossier)
    ]


@login_required
def edit(request, public_id):
    """Step 2: the whole dossier on one page; every POST first saves what was typed."""
    if request.method == "POST":
        dossier = selectors.dossier_of_owner(public_id, request.user, full=False)
        if dossier is None:
            raise Http404("Không tìm thấy hồ sơ.")
    else:
        dossier = _owned(request, public_id)
    supplement = workflow.open_supplement(dossier) if dossier.status == Status.SUPPLEMENT_REQUESTED else None
    if not dossier.is_draft and supplement is None:
        return redirect(dossier.get_absolute_url())
    errors: dict[str, str] = {}
    if request.method == "POST":
        applicant, answers = answers_from_post(request.POST, dossier)
        services.dossier_save_draft(dossier=dossier, actor=request.user, applicant=applicant, answers=answers)
        op = request.POST.get("op", "save")
        if op == "autosave":
            return HttpResponse(status=204)
        limited = (bool(request.FILES) or op == "submit") and limits.filing_limited(request)
        if limited:  # what was typed is saved above; the files and the submission wait
            errors["__all__"] = limits.FILING_LIMITED
        else:
            errors.update(_handle_uploads(request, dossier))
            errors.update(_handle_op(request, dossier, op))
        if op == "submit" and not errors:
            try:
                if supplement is not None:
                    services.dossier_supplement_submit(dossier=dossier, actor=request.user)
                else:
                    services.dossier_submit(dossier=dossier, actor=request.user)
            except ValidationError as exc:
                errors.update(
                    {k: v[0] for k, v in exc.message_dict.items()}
                    if hasattr(exc, "error_dict")
                    else {"__all__": " ".join(exc.messages)}
                )
            else:
                if supplement is not None:
                    messages.success(request, "Đã gửi hồ sơ bổ sung. Cơ quan tiếp tục giải quyết hồ sơ.")
                    return redirect(dossier.get_absolute_url())
                return redirect("dossiers:submitted", public_id=dossier.public_id)
        if not errors and op != "submit":
            messages.success(request, "Đã lưu nháp. Bạn có thể quay lại hoàn thiện bất cứ lúc nào.")
            return redirect(reverse("dossiers:edit", kwargs={"public_id": dossier.public_id}) + _anchor(op))
        if op == "submit" and errors:
            messages.error(request, "Hồ sơ chưa nộp được: hãy sửa các mục được đánh dấu bên dưới.")
        dossier = _owned(request, public_id)
    else:
        retention.draft_renew(dossier=dossier)  # opening a draft keeps it (privacy.retention)
        # Show problems with what was already typed (not the empty fields) on a fresh load.
        missing = services.dossier_missing(dossier)
        errors = {k: v for k, v in missing.items() if _filled(dossier, k)}
    wallet = list(selectors.wallet_of(request.user)[:30])
    return render(
        request,
        "dossiers/edit.html",
        {
            "d": dossier,
            "v": dossier.procedure_version,
            "applicant": applicant_fields(dossier, errors),
            "questions": procedure_fields(dossier, errors),
            "documents": _documents_context(dossier, errors),
            "errors": errors,
            "general_error": errors.get("__all__", ""),
            "wallet": wallet,
            "supplement": supplement,
        },
        status=(429 if errors.get("__all__") == limits.FILING_LIMITED else 400)
        if errors and request.method == "POST"
        else 200,
    )


def _anchor(op: str) -> str:
    if op.startswith(("remove:", "up:", "down:", "clear:", "wallet:")) or op.startswith("upload:"):
        return "#giay-to"
    return ""


def _filled(dossier: Dossier, key: str) -> bool:
    if key.startswith("f_"):
        return bool(str(dossier.form_data.get(key[2:], "")).strip())
    if key.startswith("doc_"):
        return False
    return bool(str(getattr(dossier, key, "")).strip())


def _handle_uploads(request, dossier: Dossier) -> dict[str, str]:
    errors = {}
    for doc in services.required_documents_for(dossier):
        files = request.FILES.getlist(f"file_{doc.pk}")
        if not files:
            continue
        try:
            services.document_add_files(dossier=dossier, required_document=doc, files=files, actor=request.user)
        except ValidationError as exc:
            errors[f"doc_{doc.pk}"] = " ".join(exc.messages)
    return errors


def _handle_op(request, dossier: Dossier, op: str) -> dict[str, str]:
    verb, _, arg = op.partition(":")
    try:
        if verb in {"remove", "up", "down"}:
            page = get_object_or_404(DocumentPage, public_id=arg, document__dossier=dossier)
            if verb == "remove":
                services.document_remove_page(page=page, actor=request.user)
            else:
                services.document_move_page(page=page, actor=request.user, offset=-1 if verb == "up" else 1)
        elif verb == "clear":
            slot = get_object_or_404(dossier.documents, required_document_id=arg)
            services.document_clear(document=slot, actor=request.user)
        elif verb == "wallet":
            doc = get_object_or_404(RequiredDocument, pk=arg, version=dossier.procedure_version)
            chosen = request.POST.get(f"wallet_{doc.pk}", "")
            if not chosen:
                return {f"doc_{doc.pk}": "Hãy chọn một giấy tờ trong kho."}
            item = get_object_or_404(StoredFile, public_id=chosen, owner=request.user)
            services.document_use_wallet_item(dossier=dossier, required_document=doc, item=item, actor=request.user)
    except ValidationError as exc:
        return {"__all__": " ".join(exc.messages)}
    except (ValueError, Http404):
        return {"__all__": "Thao tác không hợp lệ."}
    return {}


@login_required
def submitted(request, public_id):
    """Step 3: the confirmation with the code, a QR code to tracking and what comes next."""
    dossier = _owned(request, public_id)
    if dossier.is_draft:
        return redirect("dossiers:edit", public_id=dossier.public_id)
    url = tracking_url(request, dossier.code)
    return render(request, "dossiers/submitted.html", {"d": dossier, "qr": _qr_svg(url), "tracking_url": url})


@login_required
def mine(request):
    """ "Hồ sơ của tôi"."""
    return render(request, "dossiers/mine.html", {"dossiers": selectors.dossiers_of(request.user)[:200]})


def _may(dossier, user, action: str) -> bool:
    """Whether the state machine offers the owner's ``action`` to ``user`` on ``dossier`` now."""
    return any(a.name == action for a in workflow.owner_actions(dossier, user))


@login_required
def detail(request, public_id):
    dossier = _owned(request, public_id)
    if dossier.is_draft:
        return redirect("dossiers:edit", public_id=dossier.public_id)
    return render(
        request,
        "dossiers/detail.html",
        {
            "d": dossier,
            "can_withdraw": _may(dossier, request.user, "withdraw"),
            "labels": PUBLIC_LABELS,
            "supplement": workflow.open_supplement(dossier) if dossier.status == Status.SUPPLEMENT_REQUESTED else None,
            "result": selectors.result_of(dossier),
            "end_reason": selectors.end_reason(dossier),
            "accesses": privacy_selectors.dossier_accesses(dossier),
        },
    )


@login_required
@require_POST
def withdraw(request, public_id):
    dossier = _owned(request, public_id)
    reason = request.POST.get("reason", "")
    try:
        services.dossier_withdraw(dossier=dossier, actor=request.user, reason=reason)
    except (ValidationError, TransitionError) as exc:
        messages.error(request, " ".join(exc.messages))
        return render(
            request,
            "dossiers/detail.html",
            {
                "d": _owned(request, public_id),
                "can_withdraw": _may(dossier, request.user, "withdraw"),
                "withdraw_error": " ".join(exc.messages),
                "reason": reason,
                "labels": PUBLIC_LABELS,
            },
            status=400,
        )
    messages.success(request, f"Đã rút hồ sơ {dossier.code}.")
    return redirect(dossier.get_absolute_url())


@login_required
def wallet(request):
    from django.conf import settings

    return render(
        request,
        "dossiers/wallet.html",
        {
            "items": selectors.wallet_of(request.user),
            "used": selectors.account_upload_bytes(request.user.pk),
            "quota": settings.ACCOUNT_UPLOAD_MAX_BYTES,
        },
    )


@ratelimit(key="ip", rate="30/m", method="GET", block=False)
def track(request):
    """Public tracking: code + last four digits of the owner's ID number or phone."""
    code = request.GET.get("ma", "")[:60]
    digits = request.GET.get("so", "")[:10]
    token = request.GET.get("t", "")[:64]
    context = {"code": code, "digits": digits}
    if getattr(request, "limited", False):
        context["error"] = "Bạn tra cứu quá nhiều lần. Hãy đợi một phút rồi thử lại."
        return render(request, "dossiers/track.html", context, status=429)
    if code or digits or token:
        found = tracking.look_up(code, digits, token)
        if found.dossier is None:
            context["error"] = found.refusal
            if found.locked:
                return render(request, "dossiers/track.html", context, status=429)
        else:
            context["d"] = found.dossier
            context["timeline"] = selectors.public_timeline(found.dossier)
    return render(request, "dossiers/track.html", context)


def _may_see(user, dossier: Dossier | None, owner_id: int) -> bool:
    if not user.is_authenticated:
        return False
    if user.pk == owner_id:
        return True
    return dossier is not None and dossier.status != Status.DRAFT and selectors.officer_handles(user, dossier)


@login_required
@xframe_options_sameorigin  # previewed in the officers' dossier page (an <iframe> of the portal's own)
def stored_file(request, public_id):
    """A private file: only its owner and officers of an agency handling a dossier that uses
    it as a document or as its result."""
    item = get_object_or_404(StoredFile, public_id=public_id)
    dossiers = (
        Dossier.objects.filter(Q(documents__stored_file=item) | Q(result__stored_file=item))
        .exclude(status=Status.DRAFT)
        .distinct()
    )
    if item.owner_id != request.user.pk:
        through = next((d for d in dossiers if _may_see(request.user, d, item.owner_id)), None)
        if through is None:
            raise Http404("Không tìm thấy tệp.")
        privacy.access_record(
            request=request, kind=AccessKind.FILE, dossier=through, subject_id=item.owner_id, detail=item.title
        )
    name = f"{item.title[:80]}.pdf" if item.content_type == "application/pdf" else item.file.name.rsplit("/", 1)[-1]
    response = FileResponse(item.file.open("rb"), content_type=item.content_type)
    response["Content-Disposition"] = uploads.content_disposition(name, inline=True)  # RFC 6266, name made safe
    response["Cache-Control"] = "private, no-store"
    response._csp_replace = {"frame-ancestors": ["'self'"]}  # the same preview, under the CSP
    return response


@login_required
def page_image(request, public_id, size):
    page = get_object_or_404(DocumentPage.objects.select_related("document__dossier"), public_id=public_id)
    dossier = page.document.dossier
    if not _may_see(request.user, dossier, dossier.owner_id):
        raise Http404("Không tìm thấy tệp.")
    if size != "nho":  # a thumbnail is part of the dossier page, recorded with it
        privacy.access_record(
            request=request, kind=AccessKind.FILE, dossier=dossier, detail=f"Ảnh trang {page.order + 1}"
        )
    field = page.thumbnail if size == "nho" and page.thumbnail else page.image
    response = FileResponse(field.open("rb"), content_type="image/jpeg" if size == "nho" else None)
    response["Cache-Control"] = "private, max-age=3600"
    return response
