"""The citizen's rating page; the officer's paper slip is recorded from the desk page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.access import officer_scope
from dossiers.selectors import dossier_of_owner
from portal.errors import field_errors

from . import selectors, services
from .constants import CRITERIA, Satisfaction
from .models import Rating


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


# --- Phản ánh, kiến nghị -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def send(request):
    """Anyone sends feedback (signed, or anonymous); about one of their dossiers
    (``?ho-so=<code>``), a procedure (``?thu-tuc=<code>``) or an agency they choose."""
    from dossiers.models import Dossier
    from procedures.models import Agency, Procedure

    from .constants import FeedbackKind

    user = request.user if request.user.is_authenticated else None
    source = request.POST if request.method == "POST" else request.GET
    dossier = None
    code = str(source.get("ho-so", "")).strip()[:60]
    if code and user is not None:
        dossier = Dossier.objects.select_related("agency").filter(code=code, owner=user).first()
    procedure = None
    national_code = str(source.get("thu-tuc", "")).strip()[:20]
    if national_code:
        procedure = Procedure.objects.filter(national_code=national_code).first()
    agencies = list(Agency.objects.filter(effective_to__isnull=True).order_by("tier", "name").only("pk", "name"))
    fields = ("kind", "title", "content", "anonymous", "sender_name", "sender_contact", "agency")
    values = {k: request.POST.get(k, "") for k in fields} if request.method == "POST" else {}
    errors: dict[str, str] = {}
    if request.method == "POST":
        agency = dossier.agency if dossier else next((a for a in agencies if str(a.pk) == values.get("agency")), None)
        try:
            sent = services.feedback_send(values=values, user=user, agency=agency, dossier=dossier, procedure=procedure)
        except ValidationError as exc:
            errors = field_errors(exc)
        else:
            messages.success(request, "Đã gửi phản ánh, kiến nghị. Cơ quan sẽ trả lời trong 15 ngày làm việc.")
            return (
                redirect("feedback:public_detail", public_id=sent.public_id)
                if user and not sent.anonymous
                else (redirect("feedback:public_list"))
            )
    return render(
        request,
        "feedback/send.html",
        {
            "values": values,
            "errors": errors,
            "kinds": FeedbackKind.choices,
            "agencies": agencies,
            "dossier": dossier,
            "procedure": procedure,
        },
        status=400 if errors else 200,
    )


@require_http_methods(["GET"])
def public_list(request):
    from django.core.paginator import Paginator

    page = Paginator(selectors.published(), 20).get_page(request.GET.get("page"))
    return render(request, "feedback/public_list.html", {"page": page})


@require_http_methods(["GET"])
def public_detail(request, public_id):
    found = selectors.visible(public_id, request.user)
    if found is None:
        raise Http404("Không tìm thấy phản ánh, kiến nghị.")
    return render(request, "feedback/public_detail.html", {"f": found})


def _officer_agencies(request) -> list[int]:
    scope = officer_scope(request.user)
    if scope.is_empty:
        raise PermissionDenied("Trang này dành cho cán bộ được phân công vào cơ quan.")
    return scope.agency_ids


@login_required
@require_http_methods(["GET"])
def officer_queue(request):
    """Open feedback of the officer's agencies; ``?cua-toi=1`` only that given to them,
    ``?loai=rules|conduct`` one category. An unknown category is answered at the filter."""
    from .constants import FeedbackCategory

    agencies = _officer_agencies(request)
    mine = request.GET.get("cua-toi") == "1"
    category = request.GET.get("loai", "")
    errors = {}
    if category and category not in FeedbackCategory.values:
        errors["loai"] = "Phân loại không tồn tại: hãy chọn trong danh sách."
    rows = (
        [] if errors else selectors.officer_queue(agencies, assignee=request.user if mine else None, category=category)
    )
    return render(
        request,
        "feedback/officer_queue.html",
        {"rows": rows, "mine": mine, "category": category, "categories": FeedbackCategory.choices, "errors": errors},
        status=400 if errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def officer_detail(request, public_id):
    found = selectors.for_officer(public_id, _officer_agencies(request))
    if found is None:
        raise Http404("Không tìm thấy phản ánh, kiến nghị trong các cơ quan bạn phục vụ.")
    from .constants import FeedbackCategory

    errors: dict[str, str] = {}
    values = {k: request.POST.get(k, "") for k in ("action", "text", "category", "assignee")}
    if request.method == "POST":
        try:
            found = services.feedback_act(
                feedback=found,
                officer=request.user,
                action=values["action"],
                text=values["text"],
                category=values["category"],
                assignee_id=values["assignee"],
            )
        except PermissionDenied as exc:
            raise Http404(str(exc)) from None
        except ValidationError as exc:
            errors = field_errors(exc)
        else:
            messages.success(request, f"Đã cập nhật: {found.get_state_display()}.")
            return redirect("feedback:officer_detail", public_id=found.public_id)
    return render(
        request,
        "feedback/officer_detail.html",
        {
            "f": found,
            "errors": errors,
            "values": values,
            "general_error": errors.get("__all__", ""),
            "categories": FeedbackCategory.choices,
            "handlers": services.handlers(found.agency_id),
        },
        status=400 if errors else 200,
    )


VOTER_COOKIE = "pakn_voter"


@require_http_methods(["POST"])
def vote(request, public_id):
    """Anyone likes or dislikes a published answer: one vote per account, or per browser
    (a random token in a cookie) for visitors not signed in."""
    import secrets

    found = selectors.visible(public_id, request.user)
    if found is None:
        raise Http404("Không tìm thấy phản ánh, kiến nghị.")
    token = request.COOKIES.get(VOTER_COOKIE, "")[:64]
    new_token = "" if token or request.user.is_authenticated else secrets.token_hex(16)
    voter = services.voter_key(request.user, token or new_token)
    try:
        services.feedback_vote(feedback=found, voter=voter, value=request.POST.get("value", ""))
    except ValidationError as exc:
        found.refresh_from_db()
        response = render(
            request,
            "feedback/public_detail.html",
            {"f": found, "vote_error": field_errors(exc).get("value")},
            status=400,
        )
    else:
        messages.success(request, "Cảm ơn bạn đã cho biết ý kiến về câu trả lời.")
        response = redirect("feedback:public_detail", public_id=found.public_id)
    if new_token:
        response.set_cookie(
            VOTER_COOKIE,
            new_token,
            max_age=5 * 365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response
