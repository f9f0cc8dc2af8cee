"""Officers' pages: queues, the dossier page with its actions, counter and post intake.

Thin: every query is in ``desk.selectors``, every change in ``dossiers.processing``
and ``dossiers.workflow``. An officer who does not serve the dossier's agency gets 404.
"""

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import OfficerScope
from accounts.constants import StaffRole
from accounts.models import StaffAssignment
from dossiers import deadlines, processing, services, workflow
from dossiers.constants import Channel, ResultDelivery, Status
from dossiers.forms import answers_from_post, applicant_fields, procedure_fields
from dossiers.models import Dossier
from dossiers.selectors import agency_departments
from payments.constants import COUNTER_METHODS
from payments.selectors import unpaid_before
from portal.errors import field_errors
from portal.text import thousands
from printing.selectors import forms_of
from privacy import retention
from privacy import services as privacy
from privacy.constants import AccessKind
from procedures.models import Agency, Case, ProcedureVersion

from . import selectors
from .forms import RESULT_DELIVERY_CHOICES, action_data
from .models import SavedFilter


def _scope(request) -> OfficerScope:
    scope = selectors.officer_scope(request.user)
    if scope.is_empty:
        raise PermissionDenied("Trang này dành cho cán bộ được phân công vào cơ quan.")
    return scope


def _text_choices(choices) -> list[tuple[str, str]]:
    """(value, label) with both as text: the filter's raw values are the query string's."""
    return [(str(value), str(label)) for value, label in choices]


@login_required
def home(request):
    """The queues (hàng đợi): counts for each, one queue listed with filters and search."""
    scope = _scope(request)
    now = timezone.now()
    soon = deadlines.due_soon_until(now)  # one calendar read for the counts, the list and its rows
    queues = selectors.queues_for(scope, now, soon)
    keys = [q.key for q, _ in queues]
    key = request.GET.get("hang") or _default_queue(scope, keys)
    if key not in keys:
        key = keys[0] if keys else "tat-ca"
    filters = selectors.queue_filters_from(request.GET)
    try:
        page = max(1, min(int(request.GET.get("trang", "1")), 10_000))
    except ValueError:
        page = 1
    rows, has_next = (
        ([], False) if filters.errors else selectors.queue_dossiers(key, scope, filters, page=page, now=now, soon=soon)
    )
    params = {k: v for k, v in filters.raw.items() if v}
    if not filters.errors:
        privacy.queue_viewed(request=request, key=key, params=params, page=page, rows=rows, scope=scope)
    return render(
        request,
        "desk/home.html",
        {
            "queues": queues,
            "current": selectors.QUEUE_BY_KEY[key],
            "rows": rows,
            "now": now,
            "soon": soon,
            "running": selectors.RUNNING,
            "filters": filters,
            "page": page,
            "has_next": has_next,
            "page_query": urlencode({"hang": key, **params}),
            "procedures": selectors.procedure_choices(scope),
            "channels": _text_choices(Channel.choices),
            "statuses": _text_choices([c for c in Status.choices if c[0] != Status.DRAFT]),
            "saved": SavedFilter.objects.filter(user=request.user),
            "current_query": urlencode({"hang": key, **params}),
            "can_intake": scope.has_any(StaffRole.ONE_STOP_OFFICER),
            "assignments": scope.labelled_assignments(),
        },
        status=400 if filters.errors else 200,
    )


def _default_queue(scope: OfficerScope, keys: list[str]) -> str:
    for role, key in [
        (StaffRole.ONE_STOP_OFFICER, "cho-tiep-nhan"),
        (StaffRole.SPECIALIST, "cua-toi"),
        (StaffRole.DEPARTMENT_LEADER, "cho-duyet"),
        (StaffRole.AGENCY_LEADER, "cho-duyet"),
    ]:
        if scope.has_any(role) and key in keys:
            return key
    return "tat-ca"


@login_required
@require_POST
def filter_save(request):
    _scope(request)
    name = request.POST.get("name", "").strip()[:100]
    query = request.POST.get("query", "").strip()[:1000]
    if not name:
        messages.error(request, "Hãy đặt tên cho bộ lọc.")
    else:
        try:
            SavedFilter.objects.update_or_create(user=request.user, name=name, defaults={"query": query})
        except IntegrityError:
            messages.error(request, "Không lưu được bộ lọc; hãy thử tên khác.")
        else:
            messages.success(request, f"Đã lưu bộ lọc “{name}”.")
    return HttpResponseRedirect(reverse("desk:home") + ("?" + query if query else ""))


@login_required
@require_POST
def filter_delete(request, pk):
    _scope(request)
    get_object_or_404(SavedFilter, user=request.user, pk=pk).delete()
    messages.success(request, "Đã xóa bộ lọc.")
    return redirect("desk:home")


def _dossier_or_404(request, code: str) -> tuple[Dossier, OfficerScope]:
    scope = _scope(request)
    dossier = selectors.officer_dossier(code, scope)
    if dossier is None:
        raise Http404("Không tìm thấy hồ sơ trong các cơ quan bạn phục vụ.")
    return dossier, scope


@login_required
def dossier(request, code):
    d, scope = _dossier_or_404(request, code)
    privacy.access_record(request=request, kind=AccessKind.DOSSIER, dossier=d, assignments=scope.assignment_rows())
    return _dossier_page(request, d, scope)


def _dossier_page(
    request,
    d: Dossier,
    scope: OfficerScope,
    *,
    open_action: str = "",
    errors=None,
    values=None,
    status: int = 200,
):
    ctx = workflow.actor_context(request.user, d, scope.assignment_rows())
    actions = workflow.allowed_actions(d, request.user, ctx)
    history = list(d.history.all())
    records = selectors.dossier_records(d, history)
    steps = []
    for index, change in enumerate(history):
        finished = history[index + 1].at if index + 1 < len(history) else None
        steps.append({"change": change, "timeliness": deadlines.timeliness(finished, change.step_deadline)})
    fee_held = {a.name: a.held_reason(d) for a in actions if a.held_by}
    return render(
        request,
        "desk/dossier.html",
        {
            "d": d,
            "steps": steps,
            "answers": procedure_fields(d, {}),
            "documents": list(d.documents.all()),
            "supplements": records.supplements,
            "transfers": records.transfers,
            "result": records.result,
            "handover": records.handover,
            "apology": records.apology,
            "postal": records.postal,
            "actions": actions,
            "held": {name: reason for name, reason in fee_held.items() if reason},
            "options": _input_options(d, actions),
            "open_action": open_action,
            "errors": errors or {},
            "general_error": (errors or {}).get("__all__", ""),
            "values": values or {},
            "fee_exemptions": (
                list(d.fee_exemptions.select_related("fee", "recorded_by"))
                if getattr(d, "has_exemptions", True)
                else []
            ),
            # A walk-in citizen (a paper dossier) whose account is not activated yet: the desk
            # can print a new activation slip (printing.views.activation_slip).
            "offers_activation_slip": StaffRole.ONE_STOP_OFFICER in ctx.roles
            and d.channel != Channel.ONLINE
            and d.owner_id is not None
            and not d.owner.has_usable_password(),
            "apology_deadline": workflow.apology_deadline(d.due_at) if d.due_at else None,
            "overdue": d.due_at is not None and d.status in selectors.RUNNING and d.due_at < timezone.now(),
            "is_transfer_guest": d.agency_id not in scope.roles,
            "forms": _issued_forms(d),
            "can_collect": StaffRole.ONE_STOP_OFFICER in ctx.roles,
            "counter_methods": [(str(m), str(m.label)) for m in COUNTER_METHODS],
            **_rating_context(d),
        },
        status=status,
    )


def _input_options(d: Dossier, actions) -> dict[str, dict[str, list[tuple[str, str]]]]:
    """The choices of each select the offered actions ask for, by action and field:
    departments and specialists of the agency (for the specialist step, of the dossier's
    department), partner agencies, delivery methods."""
    names = {i.name for a in actions for i in a.inputs if i.kind == "select"}
    specialists = []
    if "handler" in names:
        specialists = list(
            StaffAssignment.objects.filter(agency=d.agency, role=StaffRole.SPECIALIST, active=True)
            .select_related("user")
            .order_by("department", "user__full_name")
        )

    def people(department: str | None) -> list[tuple[str, str]]:
        return [
            (str(s.user_id), f"{s.user.full_name or s.user.username} – {s.department}")
            for s in specialists
            if department is None or s.department == department
        ]

    sources = {
        "department": lambda a: [(dep, dep) for dep in agency_departments(d.agency_id)],
        "handler": lambda a: people(d.department if a.name == "assign_specialist" else None),
        "to_agency": lambda a: [(str(x.pk), x.name) for x in selectors.transfer_agencies(d)],
        "method": lambda a: [(str(v), str(label)) for v, label in RESULT_DELIVERY_CHOICES],
    }
    return {
        a.name: {i.name: sources[i.name](a) for i in a.inputs if i.kind == "select" and i.name in sources}
        for a in actions
    }


def _rating_context(d: Dossier) -> dict:
    from feedback.constants import CRITERIA, Satisfaction
    from feedback.models import Rating

    if d.status != Status.RETURNED:
        return {}
    return {
        "rating": Rating.objects.filter(dossier=d).first(),
        "rating_choices": Satisfaction.choices,
        "rating_criteria": list(CRITERIA.items()),
    }


def _issued_forms(d: Dossier) -> list:
    return list(forms_of(d))


@login_required
@require_POST
def act(request, code, action):
    """Apply one action from the dossier page; bad input comes back at its field."""
    d, scope = _dossier_or_404(request, code)
    if action not in workflow.ACTIONS:
        raise Http404("Thao tác không tồn tại.")
    values = action_data(action, request.POST)
    note = request.POST.get("note", "")
    try:
        processing.dossier_act(
            dossier=d, action=action, actor=request.user, note=note, data=values, upload=request.FILES.get("file")
        )
    except PermissionDenied:
        messages.error(request, "Bạn không có quyền thực hiện thao tác này với hồ sơ.")
        return _dossier_page(request, d, scope, status=403)
    except workflow.TransitionError as exc:
        messages.error(request, " ".join(exc.messages))
        d = selectors.officer_dossier(code, scope) or d
        return _dossier_page(request, d, scope, status=409)
    except ValidationError as exc:
        errors = field_errors(exc)
        messages.error(request, "Chưa thực hiện được: hãy sửa các mục được đánh dấu.")
        return _dossier_page(
            request, d, scope, open_action=action, errors=errors, values={**values, "note": note}, status=400
        )
    label = workflow.ACTIONS[action].label
    messages.success(request, f"Đã thực hiện: {label}.")
    return redirect("desk:dossier", code=code)


@login_required
@require_POST
def collect_fee(request, code):
    """The one-stop officer takes the fee at the counter, in cash or by card, against the
    agency's receipt (payments.services.counter_payment_record)."""
    from payments.services import counter_payment_record

    d, scope = _dossier_or_404(request, code)
    values = {k: request.POST.get(k, "") for k in ("amount", "method", "receipt_number")}
    try:
        attempt = counter_payment_record(
            dossier=d,
            officer=request.user,
            amount=values["amount"],
            method=values["method"],
            receipt_number=values["receipt_number"],
        )
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return _dossier_page(request, d, scope, status=403)
    except ValidationError as exc:
        messages.error(request, "Chưa ghi nhận được: hãy sửa các mục được đánh dấu.")
        return _dossier_page(
            request, d, scope, open_action="collect_fee", errors=field_errors(exc), values=values, status=400
        )
    messages.success(
        request,
        f"Đã ghi nhận thu {thousands(attempt.amount)} đồng ({attempt.get_method_display().lower()}), "
        f"biên lai số {attempt.counter_receipt_number}.",
    )
    return redirect("desk:dossier", code=code)


@login_required
@require_POST
def exempt_fee(request, code):
    """The one-stop officer records a fee exemption with its reason
    (payments.services.fee_exemption_record)."""
    from payments.services import fee_exemption_record

    d, scope = _dossier_or_404(request, code)
    chosen = request.POST.getlist("fees")
    reason = request.POST.get("reason", "")
    try:
        fee_exemption_record(dossier=d, officer=request.user, fee_ids=chosen, reason=reason)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return _dossier_page(request, d, scope, status=403)
    except ValidationError as exc:
        messages.error(request, "Chưa ghi nhận được: hãy sửa các mục được đánh dấu.")
        return _dossier_page(
            request,
            d,
            scope,
            open_action="exempt_fee",
            errors=field_errors(exc),
            values={"reason": reason, "fees": chosen},
            status=400,
        )
    messages.success(request, "Đã ghi nhận miễn phí, lệ phí.")
    return redirect("desk:dossier", code=code)


@login_required
@require_POST
def record_rating(request, code):
    """The one-stop officer records the applicant's paper rating slip (feedback.services)."""
    from feedback.constants import CRITERIA
    from feedback.services import rating_record_paper

    d, scope = _dossier_or_404(request, code)
    values = {k: request.POST.get(k, "") for k in ("overall", "comment", *CRITERIA)}
    try:
        rating_record_paper(dossier=d, officer=request.user, values=values)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return _dossier_page(request, d, scope, status=403)
    except ValidationError as exc:
        errors = field_errors(exc)
        messages.error(request, errors.get("__all__") or "Chưa ghi nhận được: hãy sửa các mục được đánh dấu.")
        return _dossier_page(request, d, scope, open_action="record_rating", errors=errors, values=values, status=400)
    messages.success(request, "Đã ghi nhận phiếu đánh giá của người nộp.")
    return redirect("desk:dossier", code=code)


# --- Counter and post intake (tiếp nhận hồ sơ giấy) -------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def intake_start(request):
    """Step 1: the procedure, the channel and the citizen (found by ID number)."""
    scope = _scope(request)
    desk_agencies = Agency.objects.filter(pk__in=scope.agencies_with(StaffRole.ONE_STOP_OFFICER)).order_by("name")
    if not desk_agencies:
        raise PermissionDenied("Chỉ cán bộ một cửa tiếp nhận hồ sơ giấy.")
    text = request.GET.get("tim", "").strip()[:100]
    versions = list(selectors.intake_versions(scope, text)[:50])
    errors: dict[str, str] = {}
    values = {k: request.POST.get(k, "").strip() for k in request.POST if k != "csrfmiddlewaretoken"}
    chosen = None
    if request.method == "POST" or request.GET.get("thu-tuc"):
        raw = request.POST.get("version") or request.GET.get("thu-tuc", "")
        chosen = ProcedureVersion.objects.filter(pk=raw, is_current=True).first() if raw.isdigit() else None
    found = processing.find_citizen(request.GET.get("so-dinh-danh", "") or values.get("national_id", ""))
    lookup = request.GET.get("so-dinh-danh", "").strip()
    if lookup and request.method == "GET":
        privacy.access_record(
            request=request,
            kind=AccessKind.SEARCH,
            subject_id=found.pk if found is not None else None,
            detail=privacy.search_detail("tiep-nhan", {"so-dinh-danh": lookup[:20]}),
            result_count=int(found is not None),
            assignments=scope.assignment_rows(),
        )
    if request.method == "POST":
        agency = (
            desk_agencies.filter(pk=values.get("agency") or 0).first() if values.get("agency", "").isdigit() else None
        )
        case_id = values.get("case", "")
        case = Case.objects.filter(pk=case_id, version=chosen).first() if chosen and case_id.isdigit() else None
        if chosen is None:
            errors["version"] = "Hãy chọn thủ tục."
        if agency is None:
            errors["agency"] = "Hãy chọn cơ quan tiếp nhận."
        channel = Channel.POST if values.get("channel") == str(Channel.POST) else Channel.COUNTER
        if not errors:
            try:
                dossier, code = processing.intake_start(
                    officer=request.user,
                    agency=agency,
                    version=chosen,
                    case=case,
                    citizen=values,
                    channel=channel,
                )
            except ValidationError as exc:
                errors.update(field_errors(exc))
            except PermissionDenied as exc:
                errors["agency"] = str(exc)
            else:
                if code:
                    request.session[f"activation:{dossier.public_id}"] = code
                return redirect("desk:intake_edit", public_id=dossier.public_id)
    elif found is not None:
        values.update(
            {
                "national_id": found.national_id,
                "full_name": found.full_name,
                "phone": found.phone,
                "email": found.email,
                "address": found.address,
            }
        )
    return render(
        request,
        "desk/intake_start.html",
        {
            "agencies": desk_agencies,
            "versions": versions,
            "chosen": chosen,
            "cases": list(chosen.cases.all()) if chosen else [],
            "text": text,
            "values": values,
            "errors": errors,
            "general_error": errors.get("__all__", ""),
            "found": found,
            "channels": [(Channel.COUNTER, "Trực tiếp tại quầy"), (Channel.POST, "Qua bưu chính công ích")],
        },
        status=400 if errors else 200,
    )


def _intake_dossier(request, public_id) -> Dossier:
    _scope(request)
    dossier = (
        Dossier.objects.filter(public_id=public_id, counter_officer=request.user)
        .select_related("procedure_version", "agency", "case", "owner")
        .first()
    )
    if dossier is None:
        raise Http404("Không tìm thấy hồ sơ đang nhập.")
    return dossier


@login_required
@require_http_methods(["GET", "POST"])
def intake_edit(request, public_id):
    """Step 2: the declaration, the scanned papers, the originals seen; then receive."""
    dossier = _intake_dossier(request, public_id)
    if dossier.status != Status.DRAFT:
        return redirect("desk:dossier", code=dossier.code)
    if request.method == "GET":
        retention.draft_renew(dossier=dossier)
    errors: dict[str, str] = {}
    post = request.POST
    if request.method == "POST":
        applicant, answers = answers_from_post(post, dossier)
        services.dossier_save_draft(dossier=dossier, actor=request.user, applicant=applicant, answers=answers)
        for doc in services.required_documents_for(dossier):
            files = request.FILES.getlist(f"file_{doc.pk}")
            if files:
                try:
                    services.document_add_files(dossier=dossier, required_document=doc, files=files, actor=request.user)
                except ValidationError as exc:
                    errors[f"doc_{doc.pk}"] = " ".join(exc.messages)
        seen = {int(v) for v in post.getlist("original") if v.isdigit()}
        processing.document_mark_originals(dossier=dossier, officer=request.user, seen=seen)
        if post.get("op") == "receive" and not errors:
            handed = _parse_datetime(post.get("handed_over_at", ""))
            try:
                dossier = processing.intake_complete(
                    dossier=dossier,
                    officer=request.user,
                    result_delivery=post.get("result_delivery", ""),
                    delivery_address=post.get("delivery_address", ""),
                    postal={
                        "record_number": post.get("record_number", ""),
                        "tracking_number": post.get("tracking_number", ""),
                        "postal_fee": post.get("postal_fee", ""),
                        "handed_over_at": handed,
                        "postal_worker": post.get("postal_worker", ""),
                    },
                    fee={
                        "method": post.get("fee_method", ""),
                        "receipt_number": post.get("fee_receipt_number", ""),
                        "exemption_reason": post.get("fee_exemption_reason", ""),
                    },
                )
            except ValidationError as exc:  # a TransitionError (a second click) has no field
                errors.update(field_errors(exc))
            else:
                code = request.session.pop(f"activation:{dossier.public_id}", "")
                if code:
                    request.session[f"activation-shown:{dossier.code}"] = code
                messages.success(
                    request, f"Đã tiếp nhận hồ sơ {dossier.code}. In giấy tiếp nhận (Mẫu 01) cho công dân."
                )
                return redirect("desk:intake_done", code=dossier.code)
        if not errors and post.get("op") != "receive":
            messages.success(request, "Đã lưu.")
            return redirect("desk:intake_edit", public_id=dossier.public_id)
        if errors:
            messages.error(request, "Chưa tiếp nhận được: hãy sửa các mục được đánh dấu.")
        dossier = _intake_dossier(request, public_id)
    attached = {d.required_document_id: d for d in dossier.documents.all()}
    return render(
        request,
        "desk/intake_edit.html",
        {
            "d": dossier,
            "applicant": applicant_fields(dossier, errors),
            "questions": procedure_fields(dossier, errors),
            "documents": [
                {"doc": doc, "attached": attached.get(doc.pk), "error": errors.get(f"doc_{doc.pk}", "")}
                for doc in services.required_documents_for(dossier)
            ],
            "errors": errors,
            "general_error": errors.get("__all__", ""),
            "post": post,
            "delivery_choices": list(ResultDelivery.choices),
            "is_post": dossier.channel == Channel.POST,
            "fee_before": unpaid_before(dossier, "receive"),
            "counter_methods": [(str(m), str(m.label)) for m in COUNTER_METHODS],
        },
        status=400 if errors else 200,
    )


def _parse_datetime(text: str) -> datetime.datetime | None:
    text = (text or "").strip()
    for fmt in ("%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"):
        try:
            return timezone.make_aware(datetime.datetime.strptime(text, fmt))
        except ValueError:
            continue
    return None


@login_required
def intake_done(request, code):
    """After a counter intake: the receipt to print, and the activation code once."""
    d, _ = _dossier_or_404(request, code)
    activation = request.session.pop(f"activation-shown:{d.code}", "")
    return render(request, "desk/intake_done.html", {"d": d, "activation": activation, "forms": _issued_forms(d)})
