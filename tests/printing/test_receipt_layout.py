"""Mẫu 01 (giấy tiếp nhận hồ sơ và hẹn trả kết quả) fits on one A4 page, signatures included."""

import io
import unicodedata

import pytest
from django.utils import timezone
from pypdf import PdfReader

from dossiers.models import DossierDocument, StatusChange
from printing import context, services
from printing.models import FormKind
from procedures.models import ProcedureAgency, RequiredDocument
from procedures.services import version_publish
from tests.dossiers.staff import dossier_at
from tests.factories import online_draft

pytestmark = pytest.mark.django_db

LONG_PROCEDURE = (
    "Thủ tục cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất "
    "cho hộ gia đình, cá nhân đã được cấp Giấy chứng nhận nhưng có nhu cầu cấp đổi, cấp lại do bị mất, "
    "bị hư hỏng hoặc thay đổi thông tin về người sử dụng đất"
)

DOCUMENTS = [
    "Đơn đề nghị cấp đổi, cấp lại Giấy chứng nhận theo Mẫu số 10/ĐK ban hành kèm theo Thông tư",
    "Bản gốc Giấy chứng nhận quyền sử dụng đất đã cấp (trừ trường hợp bị mất)",
    "Bản sao Căn cước công dân hoặc Căn cước của người đề nghị cấp đổi, cấp lại",
    "Giấy xác nhận của Ủy ban nhân dân cấp xã về việc niêm yết thông báo mất Giấy chứng nhận",
    "Văn bản ủy quyền có công chứng, chứng thực (trường hợp nộp thay)",
    "Bản trích đo địa chính thửa đất hoặc mảnh trích lục bản đồ địa chính",
    "Chứng từ nộp lệ phí trước bạ, tiền sử dụng đất (nếu có)",
    "Hợp đồng chuyển nhượng, tặng cho quyền sử dụng đất có công chứng",
    "Sổ hộ khẩu hoặc giấy xác nhận thông tin về cư trú của hộ gia đình",
    "Các giấy tờ khác có liên quan đến việc thay đổi thông tin (nếu có)",
]


def _pages(data: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(data))
    return [" ".join(unicodedata.normalize("NFC", page.extract_text() or "").split()) for page in reader.pages]


def _realistic_receipt(staff):
    """A received dossier with ten documents (originals seen at the counter) and a long
    procedure name, a long address and two fee lines: what a land office prints every day."""
    draft = online_draft(name=LONG_PROCEDURE)
    for n, name in enumerate(DOCUMENTS, start=10):
        RequiredDocument.objects.create(version=draft, name=name, originals=1, copies=1, required=False, order=n)
    version = version_publish(version=draft, effective_from=timezone.localdate())
    ProcedureAgency.objects.filter(version=version).update(agency=staff.agency)
    dossier = dossier_at(staff, "received", version=version)
    for doc in RequiredDocument.objects.filter(version=version, order__gte=10):
        DossierDocument.objects.create(dossier=dossier, required_document=doc, original_seen=True)
    type(dossier).objects.filter(pk=dossier.pk).update(
        applicant_address="Số nhà 125, ngõ 14, đường Nguyễn Trãi, khu phố 3, phường Hạc Thành, tỉnh Thanh Hóa"
    )
    receipt = StatusChange.objects.get(dossier=dossier, action="receive")
    form = services.form_issue(dossier_id=dossier.pk, kind=FormKind.RECEIPT, change_id=receipt.pk)
    form.dossier.refresh_from_db()
    return dossier, form


def test_receipt_with_ten_documents_and_a_long_name_fits_on_one_page(staff):
    dossier, form = _realistic_receipt(staff)
    template, ctx = context.form_context(form)
    assert len(ctx["documents"]) >= 10 and ctx["procedure_name"] == LONG_PROCEDURE

    pages = _pages(services.pdf_render(template=template, context=ctx))

    assert len(pages) == 1, f"{len(pages)} pages; page 2 begins: {pages[-1][:200]}"
    first = pages[0]
    assert "NGƯỜI NỘP HỒ SƠ" in first and "NGƯỜI TIẾP NHẬN HỒ SƠ" in first
    assert "(Ký và ghi rõ họ tên)" in first
    assert "Trần Thị Mai" in first  # the officer's name under the signature space
    assert DOCUMENTS[-1] in first and dossier.code in first
