"""Paying online: the citizen's payment page, VNPay's return (shows, changes nothing),
the IPN (the only call that marks a fee paid) and the receipt. Thin: decisions are in
``payments.services`` and ``payments.selectors``."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from dossiers.selectors import dossier_of_owner
from privacy import services as privacy
from privacy.constants import AccessKind

from . import receipts, selectors, services, vnpay
from .constants import AttemptState


@csrf_exempt
@never_cache
@require_GET
def vnpay_ipn(request):
    """The IPN (server to server): the only call that marks a fee paid."""
    outcome = services.vnpay_ipn(request.GET.dict())
    return JsonResponse(outcome.reply)


@login_required
@require_http_methods(["GET", "POST"])
def pay(request, public_id):
    """The fees still due on a dossier; paying sends the citizen to the gateway."""
    dossier = dossier_of_owner(public_id, request.user)
    if dossier is None:
        raise Http404("Không tìm thấy hồ sơ.")
    due = selectors.payment_due(dossier)
    if due is None:
        messages.info(request, "Hồ sơ này hiện không có khoản phí, lệ phí nào cần nộp trực tuyến.")
        return redirect("dossiers:detail", public_id=dossier.public_id)
    if request.method == "POST":
        try:
            _, url = services.payment_start(
                dossier=dossier,
                due=due,
                payer=request.user,
                ip_address=request.META.get("REMOTE_ADDR", ""),
                return_url=request.build_absolute_uri(reverse("payments:vnpay_return")),
            )
        except ValidationError as exc:  # an earlier attempt may still take the money
            error = " ".join(exc.messages)
            return render(request, "payments/pay.html", {"d": dossier, "due": due, "error": error}, status=409)
        return redirect(url)
    return render(request, "payments/pay.html", {"d": dossier, "due": due})


@never_cache
@require_GET
def vnpay_return(request):
    """Where VNPay sends the citizen back: shows the attempt as the ledger has it (the IPN
    decides; until it comes the page says so and looks again)."""
    params = request.GET.dict()
    if not vnpay.verify(params, settings.VNPAY_HASH_SECRET):
        return render(request, "payments/return.html", {"invalid": True}, status=400)
    result = vnpay.read_result(params)
    attempt = selectors.attempt_for_return(result.txn_ref)
    if attempt is None:
        return render(request, "payments/return.html", {"invalid": True}, status=404)
    return render(
        request,
        "payments/return.html",
        {
            "attempt": attempt,
            "d": attempt.dossier,
            "waiting": attempt.state in (AttemptState.CREATED, AttemptState.PENDING),
            "gateway_says_paid": result.succeeded,
            "owner": request.user.is_authenticated and attempt.dossier.owner_id == request.user.pk,
        },
    )


@login_required
@require_GET
def receipt(request, txn_ref):
    """The receipt PDF of a succeeded payment, for the dossier's owner and the officers
    handling the dossier."""
    attempt = selectors.attempt_for_receipt(txn_ref, request.user)
    if attempt is None or attempt.state not in (AttemptState.SUCCEEDED, AttemptState.REFUNDED):
        raise Http404("Không tìm thấy biên lai.")
    found = receipts.receipt_for(attempt)
    privacy.access_record(request=request, kind=AccessKind.RECEIPT, dossier=attempt.dossier, detail=found.number)
    response = FileResponse(found.file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bien-lai-{found.number}.pdf"'
    return response
