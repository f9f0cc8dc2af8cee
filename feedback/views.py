"""The citizen's rating page; the officer's paper slip is recorded from the desk page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from dossiers.selectors import dossier_of_owner

from . import services
from .constants import CRITERIA, Satisfaction
from .models import Rating


def field_errors(exc: ValidationError) -> dict[str, str]:
    return {k: " ".join(v) for k, v in exc.message_dict.items()} if hasattr(exc, "error_dict") else {}


@login_required
@require_http_methods(["GET", "POST"])
def rate(request, public_id):
    dossier = dossier_of_owner(public_id, request.user)
    if dossier is None:
        raise Http404("Không tìm thấy hồ sơ.")
    existing = Rating.objects.filter(dossier=dossier).first()
    values = {k: request.POST.get(k, "") for k in ("overall", "comment", *CRITERIA)} if request.method == "POST" else {}
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            services.rating_submit(dossier=dossier, user=request.user, values=values)
        except PermissionDenied:
            raise Http404("Không tìm thấy hồ sơ.") from None
        except ValidationError as exc:
            errors = field_errors(exc)
        else:
            messages.success(request, "Cảm ơn bạn đã đánh giá. Ý kiến của bạn giúp cơ quan phục vụ tốt hơn.")
            return redirect("dossiers:detail", public_id=dossier.public_id)
    return render(
        request,
        "feedback/rate.html",
        {
            "d": dossier,
            "existing": existing,
            "values": values,
            "errors": errors,
            "general_error": errors.get("__all__", ""),
            "choices": Satisfaction.choices,
            "criteria": list(CRITERIA.items()),
        },
        status=400 if errors else 200,
    )
