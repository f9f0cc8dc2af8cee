"""Demo dossiers in every status, made through the real services and state machine.

Each dossier is filed by a demo citizen exactly as the pages do it (start, fill,
attach, submit) and then moved by a demo officer with ``dossier_transition``, so the
history rows are real. Idempotent: a citizen who already has dossiers gets none.
"""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from dossiers import services
from dossiers.constants import Status
from dossiers.models import Dossier
from dossiers.workflow import dossier_transition
from procedures.models import ProcedureVersion

# Target status → the officer actions that lead there after submission.
PATHS: list[tuple[Status, list[tuple[str, str]]]] = [
    (Status.DRAFT, []),
    (Status.SUBMITTED, []),
    (Status.RECEIVED, [("receive", "")]),
    (Status.PROCESSING, [("receive", ""), ("start_processing", "")]),
    (
        Status.SUPPLEMENT_REQUESTED,
        [
            ("receive", ""),
            ("start_processing", ""),
            ("request_supplement", "Bổ sung bản sao Giấy khai sinh có chứng thực."),
        ],
    ),
    (Status.AWAITING_PAYMENT, [("receive", ""), ("start_processing", ""), ("request_payment", "")]),
    (
        Status.REFUSED,
        [("refuse", "Thủ tục không thuộc thẩm quyền giải quyết của cơ quan; đề nghị nộp tại UBND cấp xã.")],
    ),
    (Status.WITHDRAWN, []),
    (Status.STOPPED, [("receive", ""), ("start_processing", ""), ("stop", "Công dân đề nghị dừng giải quyết.")]),
    (Status.RESOLVED, [("receive", ""), ("start_processing", ""), ("resolve", "")]),
    (Status.RETURNED, [("receive", ""), ("start_processing", ""), ("resolve", ""), ("return_result", "")]),
]


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
    """File one dossier per status for ``citizen``; returns how many were made."""
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
    for index, (target, steps) in enumerate(PATHS):
        version = versions[index % len(versions)]
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
        if target == Status.DRAFT:
            continue
        services.dossier_submit(dossier=dossier, actor=citizen)
        if target == Status.WITHDRAWN:
            services.dossier_withdraw(dossier=dossier, actor=citizen, reason="Tôi nộp nhầm thủ tục.")
            continue
        officer = officers_by_agency[agency.pk]
        for action, note in steps:
            dossier_transition(dossier=dossier, action=action, actor=officer, note=note)
    if stdout:
        stdout.write(f"  Hồ sơ mẫu: {made} (mỗi trạng thái một hồ sơ)")
    return made


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
