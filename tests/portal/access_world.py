"""The small province the authorization matrix runs in: two agencies, the ten kinds of
people the portal knows, and one object of each kind the portal's addresses point at.

Everything is made with the real services (filing, the workflow, cash at the counter,
feedback, intake), so an address filled from this world reaches the same checks as in
production. Citizen A owns the objects; citizen B, a business, the other agency's officer
and the anonymous visitor are the people who must not reach them.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from accounts.constants import AccountKind, StaffRole
from desk.models import SavedFilter
from dossiers import processing, services
from dossiers.models import DocumentPage, Dossier, StoredFile
from feedback import services as feedback_services
from payments import services as payment_services
from printing import services as printing_services
from printing.models import FormKind, IssuedForm
from procedures.constants import FeeKind
from procedures.models import RequiredDocument
from tests.dossiers import files
from tests.dossiers.staff import agency_staff, dossier_at, submitted_dossier, version_for
from tests.factories import AdminFactory, AgencyFactory, CitizenFactory, StaffAssignmentFactory, UserFactory

# The people, in the order the matrix reports them.
ANON = "anonymous"
CITIZEN_A = "citizen_a"
CITIZEN_B = "citizen_b"
BUSINESS = "business"
OFFICER_X = "one_stop_officer_x"
OFFICER_Y = "one_stop_officer_y"
SPECIALIST = "specialist_x"
LEADER = "leader_x"
AGENCY_ADMIN = "agency_admin_x"
PROVINCIAL_ADMIN = "provincial_admin"
PERSONAS = [
    ANON,
    CITIZEN_A,
    CITIZEN_B,
    BUSINESS,
    OFFICER_X,
    OFFICER_Y,
    SPECIALIST,
    LEADER,
    AGENCY_ADMIN,
    PROVINCIAL_ADMIN,
]
FEES = [(FeeKind.LEVY, "LP1", "Lệ phí", 50_000, None)]


@dataclass
class World:
    users: dict[str, object]
    agency_x: object
    agency_y: object
    version: object  # an online procedure at agency X, with a fee
    returned: Dossier  # A's dossier, result returned (rating, result file, issued forms)
    submitted: Dossier  # A's dossier just filed (withdraw)
    awaiting_payment: Dossier  # A's dossier waiting for its fee (pay online)
    paid: Dossier  # A's dossier whose fee was taken in cash (receipt)
    draft: Dossier  # A's draft, with a photographed document
    other: Dossier  # B's dossier at agency X
    intake: Dossier  # a paper dossier officer X is typing in
    feedback: object  # A's feedback to agency X
    saved_filter: SavedFilter  # officer X's saved queue
    txn_ref: str = ""
    result_file: StoredFile | None = None
    page: DocumentPage | None = None
    issued_form: IssuedForm | None = None
    form_document: RequiredDocument | None = None
    extra: dict = field(default_factory=dict)

    def user(self, persona: str):
        return self.users.get(persona)


def _filed_with_photo(citizen, version, agency) -> Dossier:
    """A dossier filed online whose documents are phone photos (page images to serve)."""
    dossier = services.dossier_start(user=citizen, version=version, agency=agency)
    services.dossier_save_draft(dossier=dossier, actor=citizen, applicant={}, answers={"noi_dung": "Cấp bản sao"})
    for doc in services.required_documents_for(dossier):
        if doc.required:
            services.document_add_files(dossier=dossier, required_document=doc, files=[files.photo()], actor=citizen)
    return services.dossier_submit(dossier=dossier, actor=citizen)


def build_world() -> World:
    agency_x = AgencyFactory(name="UBND xã Hoằng Tiến")
    agency_y = AgencyFactory(name="UBND xã Quảng Tâm")
    staff = agency_staff(agency_x)
    officer_y = UserFactory(kind=AccountKind.OFFICER, is_staff=True, full_name="Vũ Văn Y")
    StaffAssignmentFactory(user=officer_y, agency=agency_y, role=StaffRole.ONE_STOP_OFFICER)
    province = AgencyFactory(name="UBND tỉnh")
    provincial_admin = AdminFactory(full_name="Quản trị Tỉnh")
    StaffAssignmentFactory(user=provincial_admin, agency=province, role=StaffRole.PROVINCIAL_ADMIN)
    # As in the demo province, officers may hold the admin-site flag: it must open nothing.
    for officer in (staff.desk, staff.specialist, staff.leader, staff.admin):
        officer.is_staff = True
        officer.save(update_fields=["is_staff"])
    citizen_a = CitizenFactory(full_name="Nguyễn Văn An")
    citizen_b = CitizenFactory(full_name="Trần Thị Bình")
    business = UserFactory(
        kind=AccountKind.BUSINESS,
        username="0101234567",
        tax_code="0101234567",
        organisation_name="Công ty TNHH An Bình",
    )

    version = version_for(agency_x, level=4, fees=FEES)
    # Collected when the agency asks (thu sau), so a dossier waits for its fee in status 6.
    type(version).objects.filter(pk=version.pk).update(fee_collection="after")
    version.refresh_from_db()
    returned = dossier_at(staff, "returned", citizen=citizen_a, version=version)
    submitted = submitted_dossier(agency_x, citizen=citizen_a, version=version)
    awaiting_payment = dossier_at(staff, "specialist", citizen=citizen_a, version=version)
    processing.dossier_act(dossier=awaiting_payment, action="request_payment", actor=staff.specialist)
    paid = dossier_at(staff, "specialist", citizen=citizen_a, version=version)
    processing.dossier_act(dossier=paid, action="request_payment", actor=staff.specialist)
    attempt = payment_services.counter_payment_record(
        dossier=paid, officer=staff.desk, amount="50000", receipt_number="BL-0001"
    )
    other = submitted_dossier(agency_x, citizen=citizen_b, version=version)

    photographed = _filed_with_photo(citizen_a, version, agency_x)
    page = DocumentPage.objects.filter(document__dossier=photographed).first()
    draft = services.dossier_start(user=citizen_a, version=version, agency=agency_x)
    services.document_add_files(
        dossier=draft,
        required_document=services.required_documents_for(draft)[0],
        files=[files.photo()],
        actor=citizen_a,
    )

    intake, _ = processing.intake_start(
        officer=staff.desk,
        agency=agency_x,
        version=version,
        case=None,
        citizen={"national_id": "038087099999", "full_name": "Lê Thị Hồng", "phone": "0912345678"},
    )
    feedback = feedback_services.feedback_send(
        values={"kind": "report", "title": "Hẹn trả kết quả chậm", "content": "Tôi đến ba lần vẫn chưa có kết quả."},
        user=citizen_a,
        agency=agency_x,
    )
    saved_filter = SavedFilter.objects.create(user=staff.desk, name="Quá hạn", query="q=qua-han")

    result_file = returned.result.stored_file if hasattr(returned, "result") else None
    form_document = version.documents.first()
    if form_document is not None and not form_document.form_file:
        from django.core.files.base import ContentFile

        # A published version cannot be edited: the file is stored and set as an import would.
        name = form_document.form_file.storage.save("catalog/forms/to-khai-mau.pdf", ContentFile(files.pdf().read()))
        RequiredDocument.objects.filter(pk=form_document.pk).update(form_file=name)
        form_document.refresh_from_db()
    users = {
        ANON: None,
        CITIZEN_A: citizen_a,
        CITIZEN_B: citizen_b,
        BUSINESS: business,
        OFFICER_X: staff.desk,
        OFFICER_Y: officer_y,
        SPECIALIST: staff.specialist,
        LEADER: staff.leader,
        AGENCY_ADMIN: staff.admin,
        PROVINCIAL_ADMIN: provincial_admin,
    }
    return World(
        users=users,
        agency_x=agency_x,
        agency_y=agency_y,
        version=version,
        returned=returned,
        submitted=submitted,
        awaiting_payment=awaiting_payment,
        paid=paid,
        draft=draft,
        other=other,
        intake=intake,
        feedback=feedback,
        saved_filter=saved_filter,
        txn_ref=attempt.txn_ref,
        result_file=result_file,
        page=page,
        issued_form=printing_services.form_issue(
            dossier_id=returned.pk, kind=FormKind.RECEIPT, change_id=returned.history.order_by("pk").first().pk
        ),
        form_document=form_document,
        extra={"staff": staff, "today": timezone.localdate(), "week_ago": timezone.localdate() - datetime.timedelta(7)},
    )
