"""The counter intake (tiếp nhận hồ sơ giấy) with one scanned document refused or failing:
the other documents, the originals seen and everything typed are still there, and the
message stands at the document that failed."""

import html
import re

import pytest
from django.urls import reverse

from dossiers import services
from dossiers.constants import Status
from dossiers.models import DocumentPage, Dossier
from tests.dossiers import files
from tests.dossiers.refusals import REFUSALS
from tests.dossiers.staff import agency_staff, version_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", list(REFUSALS))
def test_a_refused_scan_keeps_the_other_documents_and_what_was_typed(client, kind):
    refusal = REFUSALS[kind]
    staff = agency_staff()
    version = version_for(staff.agency)
    client.force_login(staff.desk)
    started = client.post(
        reverse("desk:intake_start"),
        {
            "version": version.pk,
            "agency": staff.agency.pk,
            "channel": "1",
            "national_id": "038087099002",
            "full_name": "Lê Thị Năm",
        },
    )
    assert started.status_code == 302, started.content.decode()[:500]
    edit = started["Location"]
    dossier = Dossier.objects.get(applicant_id_number="038087099002")
    first, other = services.required_documents_for(dossier)[:2]
    saved = client.post(edit, {"op": "save", "f_noi_dung": "Cấp bản sao", f"file_{first.pk}": files.photo()})
    assert saved.status_code == 302
    sent = {f"file_{other.pk}": refusal.upload()}
    if refusal.others_fit:
        sent[f"file_{first.pk}"] = files.photo("trang-2.jpg")
    typed = {"f_noi_dung": "Giữ nguyên nội dung", "applicant_address": "Thôn Đông, xã Quảng Phú"}
    with refusal.condition():
        response = client.post(
            edit,
            {
                "op": "receive",
                "result_delivery": "post",
                "delivery_address": "Số 5 Lê Lợi, phường Hạc Thành",
                "original": [first.pk],
                **typed,
                **sent,
            },
        )
    body = html.unescape(response.content.decode())
    assert response.status_code == 400
    error = re.search(rf'<p class="errorlist" id="err-doc-{other.pk}">([^<]+)</p>', body)
    assert error and refusal.says in error.group(1), body
    assert f'id="err-doc-{first.pk}"' not in body
    pages = DocumentPage.objects.filter(document__required_document=first).count()
    assert pages == 1 + refusal.others_fit
    assert f"Đã có {pages} ảnh." in body
    assert not DocumentPage.objects.filter(document__required_document=other).exists()
    assert all(value in body for value in typed.values())
    assert 'value="Số 5 Lê Lợi, phường Hạc Thành"' in body
    assert re.search(rf'name="original" value="{first.pk}" checked', body)
    assert re.search(r'name="result_delivery" value="post" checked', body)
    dossier.refresh_from_db()
    assert dossier.status == Status.DRAFT and not dossier.code
    assert (dossier.form_data["noi_dung"], dossier.applicant_address) == tuple(typed.values())
