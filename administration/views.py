"""The agency administration pages (``/quan-tri-don-vi/``): an agency's officers and roles,
its procedures' service levels and fees, and the province's holidays.

Thin: who may do what is ``accounts.access``, queries ``administration.selectors``,
changes ``administration.services``. The agency comes from the address and is checked
first: an agency the user does not administer, or an officer of another agency, is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts import access
from portal.errors import add_to_form

from . import selectors, services
from .forms import OfficerCreateForm, OfficerForm, ProcedureAgencyForm


def _context(request, agency, section: str, **extra) -> dict:
    return {
        "agency": agency,
        "section": section,
        "several": selectors.administered_agencies(request.user).count() > 1,
        **extra,
    }


@login_required
def index(request):
    """The agencies the user administers; an agency admin goes straight to theirs."""
    agencies = selectors.administered_agencies(request.user)
    if access.administered_agency_ids(request.user) == []:
        raise PermissionDenied("Trang này dành cho quản trị đơn vị và quản trị hệ thống cấp tỉnh.")
    if access.administered_agency_ids(request.user) is not None and agencies.count() == 1:
        return redirect("administration:officers", agency_id=agencies.get().pk)
    query = request.GET.get("q", "").strip()[:100]
    if query:
        from portal.text import fold

        agencies = agencies.filter(search_text__contains=fold(query))
    return render(request, "administration/index.html", {"agencies": agencies, "query": query})


@login_required
def officers(request, agency_id: int):
    agency = selectors.agency_for_admin(request.user, agency_id)
    rows = [
        {
            "officer": officer,
            "roles": [a for a in officer.agency_roles if a.active],
            "manages": access.manages_officer(request.user, officer, agency.pk),
        }
        for officer in selectors.agency_officers(agency)
    ]
    return render(request, "administration/officers.html", _context(request, agency, "officers", rows=rows))


@login_required
@require_http_methods(["GET", "POST"])
def officer_create(request, agency_id: int):
    agency = selectors.agency_for_admin(request.user, agency_id)
    roles = access.assignable_roles(request.user, agency.pk)
    form = OfficerCreateForm(request.POST or None, roles=roles)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            officer = services.officer_create(
                actor=request.user,
                agency=agency,
                username=data["username"],
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
                password=data["password1"],
                roles=data["roles"],
                department=data["department"],
            )
        except ValidationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, f"Đã tạo tài khoản cán bộ {officer.full_name} ({officer.username}).")
            return redirect("administration:officers", agency_id=agency.pk)
    return render(
        request,
        "administration/officer_form.html",
        _context(request, agency, "officers", form=form, departments=selectors.agency_departments(agency)),
    )


@login_required
@require_http_methods(["GET", "POST"])
def officer_edit(request, agency_id: int, user_id: int):
    agency = selectors.agency_for_admin(request.user, agency_id)
    officer = selectors.officer_of_agency(agency, user_id)
    manages = access.manages_officer(request.user, officer, agency.pk)
    if request.method == "POST" and not manages:
        raise PermissionDenied("Bạn không được thay đổi tài khoản, vai trò của cán bộ này.")
    active = [a for a in officer.agency_roles if a.active]
    initial = {
        "full_name": officer.full_name,
        "email": officer.email,
        "phone": officer.phone,
        "roles": [a.role for a in active],
        "department": next((a.department for a in active if a.department), ""),
    }
    form = OfficerForm(
        request.POST or None,
        initial=initial,
        roles=access.assignable_roles(request.user, agency.pk),
        instance_pk=officer.pk,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.officer_update(
                actor=request.user,
                agency=agency,
                officer=officer,
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
                roles=data["roles"],
                department=data["department"],
            )
        except ValidationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, f"Đã lưu tài khoản và vai trò của {data['full_name']}.")
            return redirect("administration:officers", agency_id=agency.pk)
    return render(
        request,
        "administration/officer_form.html",
        _context(
            request,
            agency,
            "officers",
            form=form,
            officer=officer,
            manages=manages,
            is_self=officer.pk == request.user.pk,
            held=active,
            departments=selectors.agency_departments(agency),
        ),
    )


@login_required
@require_POST
def officer_deactivate(request, agency_id: int, user_id: int):
    agency = selectors.agency_for_admin(request.user, agency_id)
    officer = selectors.officer_of_agency(agency, user_id)
    if not access.manages_officer(request.user, officer, agency.pk):
        raise PermissionDenied("Bạn không được thay đổi tài khoản, vai trò của cán bộ này.")
    officer = services.officer_deactivate(actor=request.user, agency=agency, officer=officer)
    locked = "; tài khoản đã bị khóa" if not officer.is_active else ""
    messages.success(request, f"{officer.full_name} đã ngừng làm việc tại {agency.name}{locked}.")
    return redirect("administration:officers", agency_id=agency.pk)


@login_required
def procedures(request, agency_id: int):
    agency = selectors.agency_for_admin(request.user, agency_id)
    rows = selectors.agency_procedures(agency)
    return render(request, "administration/procedures.html", _context(request, agency, "procedures", rows=rows))


@login_required
@require_http_methods(["GET", "POST"])
def procedure_edit(request, agency_id: int, code: str):
    agency = selectors.agency_for_admin(request.user, agency_id)
    procedure = selectors.agency_procedure(agency, code)
    version = services.working_version(procedure)
    here = version.agency_roles.filter(agency=agency).first()
    fees = list(version.fees.all())
    fees_editable = access.changes_procedure_fees(request.user, agency.pk, version)
    form = ProcedureAgencyForm(
        request.POST or None,
        initial={"service_level": here.service_level if here else None},
        general_level=version.service_level,
        fees=fees,
        fees_editable=fees_editable,
    )
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.procedure_propose(
                actor=request.user,
                agency=agency,
                procedure=procedure,
                service_level=form.cleaned_data["service_level"],
                fees=form.fee_values(),
            )
        except ValidationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(
                request,
                f"Đã lưu vào bản nháp phiên bản {draft.number} của thủ tục {procedure.national_code}; "
                "thay đổi có hiệu lực khi quản trị hệ thống cấp tỉnh công bố bản nháp.",
            )
            return redirect("administration:procedures", agency_id=agency.pk)
    current = procedure.versions.filter(is_current=True).first()
    return render(
        request,
        "administration/procedure_form.html",
        _context(
            request,
            agency,
            "procedures",
            form=form,
            procedure=procedure,
            version=version,
            current=current,
            fee_rows=form.bound_fee_rows(),
            sharing=version.agency_roles.exclude(agency=agency).values("agency").distinct().count(),
        ),
    )


@login_required
def holidays(request, agency_id: int):
    agency = selectors.agency_for_admin(request.user, agency_id)
    days = selectors.calendar_days(timezone.localdate())
    admin_url = reverse("admin:dossiers_calendarday_changelist") if access.is_provincial_admin(request.user) else ""
    return render(
        request,
        "administration/holidays.html",
        _context(request, agency, "holidays", days=days, admin_url=admin_url),
    )
