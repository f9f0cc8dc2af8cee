"""What an agency admin (quản trị đơn vị) changes: the agency's officers and their roles,
and, for the procedures the agency performs, its service level and the fees, prepared in the
procedure's draft for the provincial admin to publish.

Who may do each is decided in ``accounts.access`` (``administers_agency``,
``assignable_roles``, ``manages_officer``, ``changes_procedure_fees``); these functions ask
it again, so no caller can skip it. The agency is never taken from the input: the page's
address names it, and the view has checked it.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from accounts import access
from accounts.constants import AccountKind, StaffRole
from accounts.models import StaffAssignment, User
from procedures import services as catalog
from procedures.constants import ServiceLevel, VersionStatus
from procedures.models import Agency, Fee, Procedure, ProcedureAgency, ProcedureVersion

# Roles whose officers work in a department: the desk routes dossiers to them by it.
DEPARTMENT_ROLES = (StaffRole.SPECIALIST, StaffRole.DEPARTMENT_LEADER)
MSG_DEPARTMENT = "Chuyên viên xử lý và lãnh đạo phòng cần có phòng, ban."
MSG_NO_ROLE = "Chọn ít nhất một vai trò."
MSG_USERNAME_TAKEN = "Tên đăng nhập này đã có người dùng; hãy chọn tên khác."


def roles_errors(roles: list[str], department: str, allowed: list[str]) -> dict[str, str]:
    """What is wrong with the roles given at an agency, by field: none, one the actor may not
    give, or a department missing for a role that works in one."""
    errors = {}
    if not roles:
        errors["roles"] = MSG_NO_ROLE
    elif any(role not in allowed for role in roles):
        errors["roles"] = "Bạn không được giao vai trò này."
    if not department.strip() and any(role in DEPARTMENT_ROLES for role in roles):
        errors["department"] = MSG_DEPARTMENT
    return errors


def _check_roles(actor, agency: Agency, roles: list[str], department: str) -> None:
    errors = roles_errors(roles, department, access.assignable_roles(actor, agency.pk))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def officer_create(
    *,
    actor: User,
    agency: Agency,
    username: str,
    full_name: str,
    email: str,
    phone: str,
    password: str,
    roles: list[str],
    department: str,
) -> User:
    """Open an officer's account (tài khoản cán bộ) in the agency with its roles and a first
    password, which the agency admin hands over and the officer changes."""
    if not access.administers_agency(actor, agency.pk):
        raise PermissionDenied
    _check_roles(actor, agency, roles, department)
    user = User(username=username, kind=AccountKind.OFFICER, full_name=full_name, email=email, phone=phone)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise ValidationError({"username": MSG_USERNAME_TAKEN}) from None
    for role in roles:
        StaffAssignment.objects.create(user=user, agency=agency, role=role, department=department.strip())
    return user


def _managed(actor: User, agency: Agency, officer: User) -> None:
    if not access.manages_officer(actor, officer, agency.pk):
        raise PermissionDenied


@transaction.atomic
def officer_update(
    *,
    actor: User,
    agency: Agency,
    officer: User,
    full_name: str,
    email: str,
    phone: str,
    roles: list[str],
    department: str,
) -> User:
    """Change an officer's name and contacts, and their roles at the agency (phân quyền): the
    roles ticked are given (again), the others the actor may give are taken. An officer whose
    account was locked is opened again by being given a role."""
    officer = User.objects.select_for_update().get(pk=officer.pk)
    _managed(actor, agency, officer)
    _check_roles(actor, agency, roles, department)
    officer.full_name, officer.email, officer.phone = full_name, email, phone
    officer.is_active = True
    officer.save(update_fields=["full_name", "email", "phone", "is_active"])
    for role in access.assignable_roles(actor, agency.pk):
        given = role in roles
        row = StaffAssignment.objects.filter(user=officer, agency=agency, role=role).first()
        if row is None and given:
            StaffAssignment.objects.create(user=officer, agency=agency, role=role, department=department.strip())
        elif row is not None:
            row.active = given
            if given:
                row.department = department.strip()
            row.save(update_fields=["active", "department"])
    return officer


@transaction.atomic
def officer_deactivate(*, actor: User, agency: Agency, officer: User) -> User:
    """An officer leaves the agency (ngừng làm việc): every role there is taken; the account
    is locked when the officer serves no other agency."""
    officer = User.objects.select_for_update().get(pk=officer.pk)
    _managed(actor, agency, officer)
    StaffAssignment.objects.filter(user=officer, agency=agency).update(active=False)
    if not officer.assignments.filter(active=True).exists():
        officer.is_active = False
        officer.save(update_fields=["is_active"])
    return officer


# Catalog ---------------------------------------------------------------------------------


def working_version(procedure: Procedure) -> ProcedureVersion | None:
    """What an agency admin edits: the procedure's open draft, else the version in force."""
    return (
        procedure.versions.filter(status=VersionStatus.DRAFT).first()
        or procedure.versions.filter(is_current=True).first()
    )


@transaction.atomic
def procedure_propose(
    *,
    actor: User,
    agency: Agency,
    procedure: Procedure,
    service_level: int | None,
    fees: list[dict] | None = None,
) -> ProcedureVersion:
    """Write the agency's service level (and, where the agency may, the fee amounts) into the
    procedure's draft, opened from its latest version if it has none; the provincial admin
    publishes the draft (a published version never changes). ``fees``: one
    ``{"amount", "online_amount"}`` per fee line, in the draft's order. Returns the draft."""
    if not access.administers_agency(actor, agency.pk):
        raise PermissionDenied
    draft = catalog.version_create_draft(procedure=procedure)
    draft = ProcedureVersion.objects.select_for_update().get(pk=draft.pk)
    rows = list(ProcedureAgency.objects.filter(version=draft, agency=agency))
    if not rows:
        raise PermissionDenied
    errors = {}
    if service_level is not None and service_level >= ServiceLevel.PARTIAL and not draft.channel_online:
        errors["service_level"] = "Thủ tục chưa cho phép nộp trực tuyến, nên cơ quan chưa thể cung cấp ở mức 3 hoặc 4."
    lines = list(Fee.objects.filter(version=draft))
    if fees is not None:
        if not access.changes_procedure_fees(actor, agency.pk, draft):
            raise PermissionDenied
        if len(fees) != len(lines):
            errors["__all__"] = "Bản nháp vừa được thay đổi (số dòng phí, lệ phí khác); hãy mở lại trang."
    if errors:
        raise ValidationError(errors)
    for row in rows:
        row.service_level = service_level
        row.save(update_fields=["service_level"])
    for line, values in zip(lines, fees or [], strict=False):
        line.amount = values["amount"]
        line.online_amount = values.get("online_amount")
        line.save(update_fields=["amount", "online_amount"])
    return draft
