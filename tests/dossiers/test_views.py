"""Citizen pages: start, draft, upload, submit, my dossiers, withdraw, tracking, files."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from dossiers import services
from dossiers.constants import Status
from dossiers.models import Dossier
from tests.dossiers import files
from tests.factories import CitizenFactory, online_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen_client(client):
    user = CitizenFactory()
    client.force_login(user)
    client.user = user
    return client


def start_dossier(client, version=None):
    version = version or online_version()
    response = client.get(reverse("dossiers:start", args=[version.procedure.national_code]))
    assert response.status_code == 302, response.content[:500]
    return Dossier.objects.get(owner=client.user, procedure_version=version), version


def post_edit(client, dossier, op="save", **data):
    payload = {
        "applicant_name": dossier.applicant_name,
        "applicant_id_number": dossier.applicant_id_number,
        "applicant_phone": dossier.applicant_phone,
        "f_noi_dung": "Đề nghị cấp",
        "op": op,
    }
    payload.update(data)
    return client.post(reverse("dossiers:edit", args=[dossier.public_id]), payload)


def test_anonymous_is_sent_to_login(client):
    version = online_version()
    response = client.get(reverse("dossiers:start", args=[version.procedure.national_code]))
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_whole_flow_submit_then_confirmation_then_track(citizen_client):
    dossier, version = start_dossier(citizen_client)
    doc = services.required_documents_for(dossier)[0]
    response = post_edit(citizen_client, dossier, **{f"file_{doc.pk}": [files.photo("1.jpg"), files.photo("2.jpg")]})
    assert response.status_code == 302
    response = post_edit(citizen_client, dossier, op="submit")
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED
    page = citizen_client.get(response["Location"]).content.decode()
    assert dossier.code in page and "<svg" in page
    # Double submit: the same dossier, same code, no second one.
    again = post_edit(citizen_client, dossier, op="submit")
    assert again.status_code == 302
    assert Dossier.objects.filter(owner=citizen_client.user).count() == 1
    mine = citizen_client.get(reverse("dossiers:mine")).content.decode()
    assert dossier.code in mine and "Đã nộp, chờ cơ quan tiếp nhận" in mine
    # Public tracking with the last four digits of the ID number.
    public = Client().get(reverse("dossiers:track"), {"ma": dossier.code, "so": citizen_client.user.national_id[-4:]})
    assert "Đã nộp, chờ cơ quan tiếp nhận" in public.content.decode()


def test_missing_required_document_and_field_are_shown_at_the_field_and_nothing_lost(citizen_client):
    dossier, _ = start_dossier(citizen_client)
    response = post_edit(
        citizen_client, dossier, op="submit", f_noi_dung="", applicant_address="Thôn Đông, xã Quảng Phú"
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Thiếu giấy tờ: Tờ khai theo mẫu." in body
    assert "Hãy điền “Nội dung đề nghị”." in body
    assert 'value="Thôn Đông, xã Quảng Phú"' in body
    dossier.refresh_from_db()
    assert dossier.status == Status.DRAFT and dossier.applicant_address == "Thôn Đông, xã Quảng Phú"


def test_invalid_id_number_is_reported_at_its_field(citizen_client):
    dossier, _ = start_dossier(citizen_client)
    body = post_edit(citizen_client, dossier, op="submit", applicant_id_number="123").content.decode()
    assert "phải gồm đúng 12 chữ số" in body
    assert 'id="err_applicant_id_number"' in body


@pytest.mark.parametrize(
    ("make", "message"),
    [(files.executable_named_pdf, "không phải PDF"), (files.corrupt_jpeg, "bị hỏng")],
)
def test_bad_uploads_are_refused_with_message_and_typed_values_kept(citizen_client, make, message):
    dossier, _ = start_dossier(citizen_client)
    doc = services.required_documents_for(dossier)[0]
    response = post_edit(citizen_client, dossier, f_noi_dung="Giữ nguyên nội dung", **{f"file_{doc.pk}": [make()]})
    body = response.content.decode()
    assert response.status_code == 400
    assert message in body
    assert "Giữ nguyên nội dung" in body
    assert not dossier.documents.exists()


@override_settings(DOSSIER_FILE_MAX_BYTES=10_000)
def test_oversized_upload_is_refused(citizen_client):
    dossier, _ = start_dossier(citizen_client)
    doc = services.required_documents_for(dossier)[0]
    body = post_edit(citizen_client, dossier, **{f"file_{doc.pk}": [files.photo(size=(2000, 1500))]}).content.decode()
    assert "vượt giới hạn" in body


def test_another_citizens_dossier_and_files_are_not_found(citizen_client):
    dossier, _ = start_dossier(citizen_client)
    doc = services.required_documents_for(dossier)[0]
    post_edit(citizen_client, dossier, **{f"file_{doc.pk}": [files.pdf()]})
    item = dossier.documents.get().stored_file
    other = Client()
    other.force_login(CitizenFactory())
    for url in [
        reverse("dossiers:edit", args=[dossier.public_id]),
        reverse("dossiers:detail", args=[dossier.public_id]),
        reverse("dossiers:submitted", args=[dossier.public_id]),
        reverse("dossiers:file", args=[item.public_id]),
    ]:
        assert other.get(url).status_code == 404, url
    assert other.post(reverse("dossiers:withdraw", args=[dossier.public_id]), {"reason": "x"}).status_code == 404
    assert citizen_client.get(reverse("dossiers:file", args=[item.public_id])).status_code == 200


def test_forged_csrf_token_is_refused(citizen_client):
    dossier, _ = start_dossier(citizen_client)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(citizen_client.user)
    response = strict.post(
        reverse("dossiers:edit", args=[dossier.public_id]), {"op": "submit", "csrfmiddlewaretoken": "forged"}
    )
    assert response.status_code == 403


def test_withdraw_with_and_without_reason(citizen_client):
    dossier, _ = start_dossier(citizen_client)
    doc = services.required_documents_for(dossier)[0]
    post_edit(citizen_client, dossier, **{f"file_{doc.pk}": [files.pdf()]})
    post_edit(citizen_client, dossier, op="submit")
    url = reverse("dossiers:withdraw", args=[dossier.public_id])
    assert citizen_client.get(url).status_code == 405
    response = citizen_client.post(url, {"reason": ""})
    assert response.status_code == 400 and "Hãy ghi rõ lý do" in response.content.decode()
    response = citizen_client.post(url, {"reason": "Nộp nhầm"}, follow=True)
    assert "Đã rút hồ sơ" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == Status.WITHDRAWN


def test_tracking_not_found_is_plain_and_rate_limited(client, settings, fixed_rate_window):
    response = client.get(reverse("dossiers:track"), {"ma": "000.00.03.H56-261127-0001", "so": "1234"})
    assert "Không tìm thấy hồ sơ" in response.content.decode()
    response = client.get(reverse("dossiers:track"), {"ma": "<script>alert(1)</script>", "so": "abcd"})
    assert "<script>alert(1)</script>" not in response.content.decode()
    statuses = [client.get(reverse("dossiers:track"), {"ma": "X", "so": "0000"}).status_code for _ in range(40)]
    assert 429 in statuses


def test_page_reorder_and_remove_through_the_page(citizen_client):
    dossier, _ = start_dossier(citizen_client)
    doc = services.required_documents_for(dossier)[0]
    post_edit(citizen_client, dossier, **{f"file_{doc.pk}": [files.photo("a.jpg"), files.png("b.png")]})
    first, second = dossier.documents.get().pages.all()
    post_edit(citizen_client, dossier, op=f"down:{first.public_id}")
    assert list(dossier.documents.get().pages.values_list("pk", flat=True)) == [second.pk, first.pk]
    post_edit(citizen_client, dossier, op=f"remove:{second.public_id}")
    assert list(dossier.documents.get().pages.values_list("pk", flat=True)) == [first.pk]
    thumb = citizen_client.get(reverse("dossiers:page_image", args=[first.public_id, "nho"]))
    assert thumb.status_code == 200


def test_level_2_procedure_start_redirects_to_its_page(citizen_client):
    version = online_version(level=2)
    response = citizen_client.get(reverse("dossiers:start", args=[version.procedure.national_code]))
    assert response.status_code == 302 and response["Location"] == version.procedure.get_absolute_url()
