"""Demo dossiers in every status, made through the real services and state machine.

Each dossier is filed by a demo citizen exactly as the pages do it (start, fill,
attach, submit) and then moved by the demo officers of each role through ``processing.dossier_act``, so the
history rows are real. Idempotent: a citizen who already has dossiers gets none.
"""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from dossiers import deadlines, processing, services, workflow
from dossiers.constants import Step
from dossiers.models import Dossier
from dossiers.selectors import agency_departments, agency_specialists
from payments.constants import Method
from payments.selectors import unpaid_before
from payments.services import counter_payment_record
from procedures.constants import ApprovalChain
from procedures.models import ProcedureVersion

# Target → the officer actions that lead there after submission: (role, action, note, data).
DEPARTMENT = "__department__"  # replaced by the agency's first processing department
SPECIALIST = "__specialist__"  # replaced by that department's first specialist
RECEIVE = [("one_stop_officer", "receive", "", {})]
ASSIGN = [*RECEIVE, ("one_stop_officer", "assign", "", {"department": DEPARTMENT, "handler": SPECIALIST})]
PROPOSE = [*ASSIGN, ("specialist", "propose", "Đủ điều kiện, đề nghị cấp theo đề nghị của công dân.", {})]
APPROVE = [*PROPOSE, ("department_leader", "approve", "", {})]
RESULT = [*APPROVE, ("one_stop_officer", "record_result", "", {"number": "125/GCN", "summary": "Kết quả giải quyết"})]

REFUSAL = "Thủ tục không thuộc thẩm quyền của cơ quan; đề nghị nộp tại UBND cấp xã."
MISSING = "Bản sao Giấy khai sinh có chứng thực."

PATHS: list[tuple[str, list[tuple[str, str, str, dict]]]] = [
    ("draft", []),
    ("submitted", []),
    ("received", RECEIVE),
    ("department", [*RECEIVE, ("one_stop_officer", "assign", "", {"department": DEPARTMENT})]),
    ("specialist", ASSIGN),
    ("approval", PROPOSE),
    ("signing", APPROVE),  # a licence signed twice: the head of division has approved
    ("issuing", APPROVE),
    (
        "supplement",
        [*ASSIGN, ("specialist", "request_supplement", "Thiếu giấy tờ", {"items": MISSING})],
    ),
    ("payment", [*ASSIGN, ("specialist", "request_payment", "", {})]),
    ("apology", [*ASSIGN, ("agency_leader", "apologize", "Cần xác minh thêm thông tin tại địa phương.", {})]),
    ("refused", [("one_stop_officer", "refuse", REFUSAL, {})]),
    ("withdrawn", []),
    ("stopped", [*ASSIGN, ("one_stop_officer", "stop", "Công dân đề nghị dừng giải quyết.", {})]),
    ("resolved", RESULT),
    ("returned", [*RESULT, ("one_stop_officer", "return_result", "", {"method": "counter", "receiver_name": ""})]),
]  # fmt: skip


def _scan(title: str) -> SimpleUploadedFile:
    """A one-page PDF that looks like a scanned paper, made on the fly."""
    page = Image.new("RGB", (620, 877), "white")
    draw = ImageDraw.Draw(page)
    draw.rectangle((30, 30, 590, 847), outline=(60, 60, 60), width=2)
    draw.text((60, 70), "CONG HOA XA HOI CHU NGHIA VIET NAM", fill=(0, 0, 0))
    draw.text((60, 110), title.encode("ascii", "ignore").decode() or "Giay to", fill=(0, 0, 0))
    for y in range(170, 800, 28):
        draw.line((60, y, 560, y), fill=(200, 200, 200))
    buf = io.BytesIO()
    page.save(buf, "PDF", resolution=72.0)
    return SimpleUploadedFile("scan.pdf", buf.getvalue(), content_type="application/pdf")


def load_demo_dossiers(*, citizen, officers_by_agency: dict, stdout=None) -> int:
    """File one dossier per status and step for ``citizen``; returns how many were made."""
    if Dossier.objects.filter(owner=citizen).exists():
        return 0
    versions = [
        v
        for v in ProcedureVersion.objects.filter(is_current=True, max_service_level__gte=3)
        .select_related("procedure")
        .order_by("procedure__national_code")
        if any(a.pk in officers_by_agency for a in services.filing_agencies(v))
    ]
    if not versions:
        return 0
    made = 0
    twice_signed = [v for v in versions if v.approval_chain == ApprovalChain.BOTH]
    for index, (target, steps) in enumerate(PATHS):
        version = versions[index % len(versions)]
        if target == "signing":
            if not twice_signed:
                continue
            version = twice_signed[0]
        agency = next(a for a in services.filing_agencies(version) if a.pk in officers_by_agency)
        case = version.cases.first()
        dossier = services.dossier_start(user=citizen, version=version, agency=agency, case=case)
        answers = {f.key: _answer(f) for f in version.form_fields.all()}
        services.dossier_save_draft(
            dossier=dossier,
            actor=citizen,
            applicant={"applicant_address": "Số 12 Lê Hoàn, phường Hạc Thành, tỉnh Thanh Hóa"},
            answers=answers,
        )
        for doc in services.required_documents_for(dossier):
            if doc.required:
                services.document_add_files(
                    dossier=dossier, required_document=doc, files=[_scan(doc.name)], actor=citizen
                )
        made += 1
        if target == "draft":
            continue
        services.dossier_submit(dossier=dossier, actor=citizen)
        if target == "withdrawn":
            services.dossier_withdraw(dossier=dossier, actor=citizen, reason="Tôi nộp nhầm thủ tục.")
            continue
        staff = officers_by_agency[agency.pk]
        for role, action, note, data in steps:
            _act(dossier, staff, role, action, note, data)
            dossier.refresh_from_db()
            if dossier.step == Step.SIGNING and target != "signing":  # the second signature
                _act(dossier, staff, "agency_leader", "sign", "", {})
    if stdout:
        stdout.write(f"  Hồ sơ mẫu: {made} (mỗi trạng thái, mỗi bước một hồ sơ)")
    return made


def _act(dossier, staff: dict, role: str, action: str, note: str, data: dict) -> None:
    """One officer action, with the demo's placeholders filled in."""
    data = dict(data)
    if data.get("department") == DEPARTMENT:
        data["department"] = agency_departments(dossier.agency_id)[0]
    if data.get("handler") == SPECIALIST:
        data["handler"] = agency_specialists(dossier.agency_id, data["department"])[0].pk
    if action == "request_supplement":
        data["respond_by"] = timezone.localdate() + datetime.timedelta(days=10)
    if action == "apologize":
        dossier.refresh_from_db()
        data["new_due"] = _working_day_after(timezone.localtime(dossier.due_at).date() + datetime.timedelta(days=5))
    if action == "return_result":
        data["receiver_name"] = dossier.applicant_name
    dossier.refresh_from_db()
    if workflow.ACTIONS[action].held_reason(dossier):  # the fee it waits for, taken at the counter
        due = unpaid_before(dossier, action)
        counter_payment_record(
            dossier=dossier,
            officer=staff["one_stop_officer"],
            amount=str(due.amount),
            method=Method.CASH,
            receipt_number=f"BL-{dossier.code[-11:]}",
        )
    upload = None
    if action == "record_result":
        data["issued_on"] = timezone.localdate()
        upload = _scan("Ket qua giai quyet")
    processing.dossier_act(dossier=dossier, action=action, actor=staff[role], note=note, data=data, upload=upload)


def _working_day_after(day: datetime.date) -> datetime.date:
    while not deadlines.is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def _answer(field) -> str:
    if field.kind == "date":
        return "2026-11-02"
    if field.kind == "number":
        return "1"
    if field.kind == "choice" and field.choice_list:
        return field.choice_list[0]
    if field.kind == "checkbox":
        return "có"
    return "Nguyễn Minh An" if "tên" in field.label.lower() else "Đề nghị cơ quan giải quyết theo quy định."
