"""Officers of every role in one agency, and dossiers at a given point of the workflow.

Shared by the workflow, officer-page and printing tests: ``agency_staff()`` gives the
staff of an agency; ``dossier_at(staff, "approval")`` files a dossier online as a
citizen and moves it with the real services to the named point.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from accounts.constants import AccountKind, StaffRole
from dossiers import processing, services
from dossiers.models import Dossier
from procedures.models import Agency
from tests.dossiers import files
from tests.factories import CitizenFactory, StaffAssignmentFactory, UserFactory, online_version

DEPARTMENT = "Phòng Hành chính tư pháp"


@dataclass
class Staff:
    """The officers of one agency, one per role (a second specialist in another department)."""

    agency: Agency
    desk: object  # cán bộ một cửa
    specialist: object
    department_leader: object
    leader: object  # lãnh đạo đơn vị
    admin: object  # quản trị đơn vị
    other_specialist: object  # in "Phòng Khác"

    def by_role(self) -> dict[str, object]:
        return {
            StaffRole.ONE_STOP_OFFICER: self.desk,
            StaffRole.SPECIALIST: self.specialist,
            StaffRole.DEPARTMENT_LEADER: self.department_leader,
            StaffRole.AGENCY_LEADER: self.leader,
            StaffRole.AGENCY_ADMIN: self.admin,
        }


def _officer(agency: Agency, role: str, department: str = "", **user) -> object:
    officer = UserFactory(kind=AccountKind.OFFICER, **user)
    StaffAssignmentFactory(user=officer, agency=agency, role=role, department=department)
    return officer


def agency_staff(agency: Agency | None = None) -> Staff:
    from tests.factories import AgencyFactory

    agency = agency or AgencyFactory()
    return Staff(
        agency=agency,
        desk=_officer(agency, StaffRole.ONE_STOP_OFFICER, "Bộ phận Một cửa", full_name="Trần Thị Mai"),
        specialist=_officer(agency, StaffRole.SPECIALIST, DEPARTMENT, full_name="Phạm Văn Đức"),
        department_leader=_officer(agency, StaffRole.DEPARTMENT_LEADER, DEPARTMENT, full_name="Hoàng Minh Tuấn"),
        leader=_officer(agency, StaffRole.AGENCY_LEADER, "Ban Giám đốc", full_name="Đỗ Thị Lan"),
        admin=_officer(agency, StaffRole.AGENCY_ADMIN, "Văn phòng", full_name="Nguyễn Thị Hà"),
        other_specialist=_officer(agency, StaffRole.SPECIALIST, "Phòng Khác", full_name="Lê Văn Khác"),
    )


def version_for(agency: Agency, **kwargs):
    """An online procedure filed at ``agency`` (5 working days unless told otherwise)."""
    from procedures.models import ProcedureAgency

    version = online_version(**kwargs)
    ProcedureAgency.objects.filter(version=version).update(agency=agency)
    return version


def submitted_dossier(agency: Agency, *, citizen=None, version=None, **version_kwargs) -> Dossier:
    """A dossier filed online by a citizen at ``agency``: status 1 with its code."""
    version = version or version_for(agency, **version_kwargs)
    citizen = citizen or CitizenFactory()
    dossier = services.dossier_start(user=citizen, version=version, agency=agency)
    services.dossier_save_draft(
        dossier=dossier,
        actor=citizen,
        applicant={"applicant_address": "Thôn 3, xã Hoằng Tiến"},
        answers={"noi_dung": "Cấp bản sao trích lục"},
    )
    for doc in services.required_documents_for(dossier):
        if doc.required:
            services.document_add_files(dossier=dossier, required_document=doc, files=[files.pdf()], actor=citizen)
    return services.dossier_submit(dossier=dossier, actor=citizen)


# Points of the workflow, in order; each is reached from the one before.
POINTS = ["submitted", "received", "specialist", "approval", "issuing", "resolved", "returned"]


def dossier_at(staff: Staff, point: str, *, now: datetime.datetime | None = None, **kwargs) -> Dossier:
    """A dossier of ``staff.agency`` moved through the real workflow to ``point``:
    submitted, received, department (waiting for a specialist), specialist, approval,
    issuing, resolved, returned, supplement (requested by the specialist)."""
    dossier = submitted_dossier(staff.agency, **kwargs)
    if point == "submitted":
        return dossier

    def act(actor, action, note="", **data):
        upload = data.pop("upload", None)
        processing.dossier_act(
            dossier=dossier, action=action, actor=actor, note=note, data=data, upload=upload, now=now
        )

    pay_before(staff, dossier, "receive")
    act(staff.desk, "receive")
    if point == "received":
        return _fresh(dossier)
    if point == "department":
        act(staff.desk, "assign", department=DEPARTMENT)
        return _fresh(dossier)
    act(staff.desk, "assign", department=DEPARTMENT, handler=staff.specialist.pk)
    if point == "specialist":
        return _fresh(dossier)
    if point == "supplement":
        act(
            staff.specialist,
            "request_supplement",
            "Bản chụp mờ",
            items="Bản sao Giấy khai sinh",
            respond_by=timezone.localdate() + datetime.timedelta(days=7),
        )
        return _fresh(dossier)
    act(staff.specialist, "propose", "Đủ điều kiện, đề nghị cấp.")
    if point == "approval":
        return _fresh(dossier)
    act(staff.department_leader, "approve")
    if point == "issuing":
        return _fresh(dossier)
    act(
        staff.desk,
        "record_result",
        number="12/TP-HT",
        issued_on=timezone.localdate(),
        summary="Trích lục khai sinh",
        upload=files.pdf(),
    )
    if point == "resolved":
        return _fresh(dossier)
    pay_before(staff, dossier, "return_result")
    act(staff.desk, "return_result", method="counter", receiver_name="Nguyễn Văn An")
    return _fresh(dossier)


def pay_before(staff: Staff, dossier: Dossier, action: str, now: datetime.datetime | None = None) -> None:
    """The desk takes in cash what the fee rules (payments.fees) want paid before ``action``."""
    from payments.selectors import unpaid_before
    from payments.services import counter_payment_record

    due = unpaid_before(_fresh(dossier), action)
    if due is not None:
        counter_payment_record(
            dossier=_fresh(dossier), officer=staff.desk, amount=str(due.amount), receipt_number="BL-TEST", now=now
        )


def _fresh(dossier: Dossier) -> Dossier:
    dossier.refresh_from_db()
    return dossier
