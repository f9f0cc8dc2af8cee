"""Who may open the printed forms, and the tracking-book page."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from printing.models import FormKind, IssuedForm
from tests.dossiers.staff import agency_staff, dossier_at
from tests.factories import CitizenFactory
from tests.printing.helpers import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def receipt(staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossier_at(staff, "received")
    return IssuedForm.objects.get(dossier=dossier, kind=FormKind.RECEIPT)


def get_as(client, user, url):
    client.force_login(user)
    return client.get(url)


def form_url(form) -> str:
    return reverse("printing:issued_form", args=[form.public_id])


def sheet_url(dossier) -> str:
    return reverse("printing:control_sheet", args=[dossier.code])


BOOK_URL = "/can-bo/so-theo-doi/"


# --- an issued form ---------------------------------------------------------------------------


def test_owner_gets_the_pdf_inline(client, receipt):
    response = get_as(client, receipt.dossier.owner, form_url(receipt))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert f"mau-01-{receipt.dossier.code}.pdf" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    assert "GIẤY TIẾP NHẬN HỒ SƠ" in pdf_text(b"".join(response.streaming_content))


def test_officer_of_the_agency_gets_the_pdf(client, staff, receipt):
    assert get_as(client, staff.specialist, form_url(receipt)).status_code == 200


def test_other_citizen_gets_404(client, receipt):
    assert get_as(client, CitizenFactory(), form_url(receipt)).status_code == 404


def test_officer_of_another_agency_gets_404(client, receipt):
    assert get_as(client, agency_staff().desk, form_url(receipt)).status_code == 404


def test_anonymous_is_sent_to_login(client, receipt):
    response = client.get(form_url(receipt))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login")) and "next=" in response["Location"]


def test_unknown_form_is_404(client, receipt):
    url = reverse("printing:issued_form", args=["00000000-0000-0000-0000-000000000000"])
    assert get_as(client, receipt.dossier.owner, url).status_code == 404


def test_a_form_not_rendered_yet_is_rendered_on_first_view(client, staff, settings, django_capture_on_commit_callbacks):
    settings.PRINTING_RENDER_ON_EVENTS = False
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossier_at(staff, "received")
    form = IssuedForm.objects.get(dossier=dossier)
    assert not form.is_ready

    response = get_as(client, dossier.owner, form_url(form))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    form.refresh_from_db()
    assert form.is_ready


def test_a_form_that_cannot_be_rendered_says_to_retry(client, receipt, monkeypatch):
    from printing import services

    IssuedForm.objects.filter(pk=receipt.pk).update(state=IssuedForm.State.FAILED)
    monkeypatch.setattr(services, "pdf_render", lambda **kw: (_ for _ in ()).throw(OSError("no fonts")))
    response = get_as(client, receipt.dossier.owner, form_url(receipt))
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "Biểu mẫu đang được tạo" in response.content.decode()


# --- the control sheet ------------------------------------------------------------------------


def test_officer_handling_the_dossier_prints_the_control_sheet(client, staff):
    dossier = dossier_at(staff, "approval")
    response = get_as(client, staff.desk, sheet_url(dossier))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(b"".join(response.streaming_content))
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text and dossier.code in text
    # printed again: the same issued form
    get_as(client, staff.leader, sheet_url(dossier))
    assert IssuedForm.objects.filter(dossier=dossier, kind=FormKind.CONTROL_SHEET).count() == 1


def test_control_sheet_is_not_for_the_owner_or_other_agencies(client, staff):
    dossier = dossier_at(staff, "received")
    assert get_as(client, dossier.owner, sheet_url(dossier)).status_code == 404
    assert get_as(client, agency_staff().leader, sheet_url(dossier)).status_code == 404
    assert get_as(client, staff.desk, reverse("printing:control_sheet", args=["KHONG-CO"])).status_code == 404
    client.logout()
    assert client.get(sheet_url(dossier)).status_code == 302


# --- the tracking book ------------------------------------------------------------------------


def book_params(staff, **override) -> dict:
    today = timezone.localdate()
    params = {
        "agency": staff.agency.pk,
        "date_from": (today - datetime.timedelta(days=7)).strftime("%d/%m/%Y"),
        "date_to": today.strftime("%d/%m/%Y"),
        "format": "pdf",
    }
    params.update(override)
    return params


def test_book_page_shows_the_form_with_the_officer_agencies(client, staff):
    response = get_as(client, staff.desk, BOOK_URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Sổ theo dõi hồ sơ" in page and staff.agency.name in page
    assert timezone.localdate().strftime("%d/%m/%Y") in page  # today as the default end


def test_book_as_pdf(client, staff):
    dossier = dossier_at(staff, "received")
    client.force_login(staff.desk)
    response = client.get(BOOK_URL, book_params(staff))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    text = pdf_text(response.content)
    assert "SỔ THEO DÕI HỒ SƠ" in text and dossier.code in "".join(text.split())


def test_book_as_xlsx_with_iso_dates(client, staff):
    dossier = dossier_at(staff, "received")
    today = timezone.localdate()
    client.force_login(staff.leader)
    response = client.get(
        BOOK_URL, book_params(staff, format="xlsx", date_from=f"{today:%Y-%m-%d}", date_to=f"{today:%Y-%m-%d}")
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(6, 2).value == dossier.code


@pytest.mark.parametrize(
    ("override", "field", "message"),
    [
        ({"date_from": "31/02/2026"}, "date_from", "Ngày không hợp lệ"),
        ({"date_to": "2026/03/01"}, "date_to", "Ngày không hợp lệ"),
        ({"date_from": ""}, "date_from", "Hãy nhập ngày bắt đầu."),
        ({"date_from": "10/03/2026", "date_to": "09/03/2026"}, "date_to", "Ngày kết thúc phải từ ngày bắt đầu trở đi."),
        ({"date_from": "01/01/2025", "date_to": "02/01/2026"}, "date_to", "tối đa 366 ngày"),
        ({"format": "docx"}, "format", "Hãy chọn PDF hoặc Excel."),
    ],
)
def test_book_bad_input_is_answered_at_the_field_and_kept(client, staff, override, field, message):
    client.force_login(staff.desk)
    params = book_params(staff, **override)
    response = client.get(BOOK_URL, params)
    page = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert f'id="err_{field}"' in page and message in page
    for name in ("date_from", "date_to"):
        assert f'value="{params[name]}"' in page


def test_book_of_an_agency_not_theirs_is_refused(client, staff):
    other = agency_staff()
    client.force_login(staff.desk)
    response = client.get(BOOK_URL, book_params(staff, agency=other.agency.pk))
    page = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert 'id="err_agency"' in page and "Bạn không được phân công tại cơ quan này." in page


def test_book_is_for_officers_only(client, staff):
    assert get_as(client, CitizenFactory(), BOOK_URL).status_code == 404
    client.logout()
    assert client.get(BOOK_URL).status_code == 302
