"""Catalog admin under bad input (Django test client, logged in as an admin).

Bad codes, bad fee amounts, forged edits of published versions, bad publish dates
and broken import files: each is refused with a Vietnamese message and changes
nothing in the database.
"""

import datetime
import io

import openpyxl
import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from procedures import services
from procedures.constants import VersionStatus
from procedures.models import (
    Agency,
    Fee,
    Field,
    LegalBasis,
    Procedure,
    ProcedureAgency,
    ProcedureVersion,
    RequiredDocument,
)
from tests.factories import AdminFactory, AgencyFactory, DraftVersionFactory, published_version
from tests.procedures.import_columns import IMPORT_HEADERS

pytestmark = pytest.mark.django_db

ADMIN = "/quan-tri/procedures"
IMPORT_URL = f"{ADMIN}/procedureversion/import/"
PROCESS_URL = f"{ADMIN}/procedureversion/process_import/"
CODE_ERROR = "Mã thủ tục phải có dạng d.dddddd"


@pytest.fixture
def admin_client(client):
    client.force_login(AdminFactory())
    return client


def catalog_state():
    """Everything an admin action under test could change."""
    return {
        "procedures": list(Procedure.objects.order_by("pk").values_list("pk", "national_code")),
        "versions": list(
            ProcedureVersion.objects.order_by("pk").values_list(
                "pk", "number", "status", "name", "steps", "service_level", "effective_from", "is_current"
            )
        ),
        "fees": list(Fee.objects.order_by("pk").values_list("pk", "version_id", "kind", "amount", "name")),
        "documents": list(RequiredDocument.objects.order_by("pk").values_list("pk", "version_id", "name")),
        "agency_roles": list(ProcedureAgency.objects.order_by("pk").values_list("pk", "version_id", "agency_id")),
        "legal": list(LegalBasis.objects.order_by("pk").values_list("pk", "version_id", "number")),
        "fields": list(Field.objects.order_by("pk").values_list("pk", "name")),
        "agencies": Agency.objects.count(),
    }


def body_of(response) -> str:
    return response.content.decode()


def form_data(response) -> dict:
    """The POST data a browser would send back for an admin change form, unchanged."""
    data = {}

    def add(form):
        for bound in form:
            field, name, value = bound.field, bound.html_name, bound.value()
            if isinstance(field, forms.FileField):
                continue
            if isinstance(field.widget, forms.CheckboxInput):
                if value:
                    data[name] = "on"
                continue
            if value is None:
                data[name] = ""
            elif isinstance(value, list | tuple):
                data[name] = [str(v) for v in value]
            else:
                formatted = field.widget.format_value(field.prepare_value(value))
                if isinstance(formatted, list):  # Select.format_value gives a list
                    formatted = formatted[0] if formatted else ""
                data[name] = "" if formatted is None else str(formatted)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    data["_save"] = "Lưu lại"
    return data


# --- procedure identity -----------------------------------------------------------


@pytest.mark.parametrize("code", ["1.23", "abc", "", "1.0011930", "1,001193", "1.00119a", " ", "1.001193\x00"])
def test_procedure_with_invalid_code_is_refused(admin_client, code):
    response = admin_client.post(f"{ADMIN}/procedure/add/", {"national_code": code, "_save": "Lưu lại"})
    assert response.status_code == 200
    assert CODE_ERROR in body_of(response)
    assert "national_code" in response.context["adminform"].form.errors
    assert Procedure.objects.count() == 0


def test_procedure_with_valid_code_is_created(admin_client):
    response = admin_client.post(f"{ADMIN}/procedure/add/", {"national_code": "1.001193", "_save": "Lưu lại"})
    assert response.status_code == 302
    assert Procedure.objects.filter(national_code="1.001193").exists()


def test_duplicate_procedure_code_is_refused(admin_client):
    Procedure.objects.create(national_code="1.001193")
    response = admin_client.post(f"{ADMIN}/procedure/add/", {"national_code": "1.001193", "_save": "Lưu lại"})
    assert response.status_code == 200
    assert "national_code" in response.context["adminform"].form.errors
    assert Procedure.objects.count() == 1


# --- draft change form ------------------------------------------------------------


@pytest.fixture
def draft():
    return DraftVersionFactory(name="Cấp giấy phép lái xe", parts__amount=135000)


def test_draft_change_form_round_trip_saves(admin_client, draft):
    """Control for the tests below: the unchanged form, with a new name, saves."""
    url = f"{ADMIN}/procedureversion/{draft.pk}/change/"
    data = form_data(admin_client.get(url))
    data["name"] = "Cấp, đổi giấy phép lái xe"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    draft.refresh_from_db()
    assert draft.name == "Cấp, đổi giấy phép lái xe"
    assert draft.fees.get().amount == 135000


@pytest.mark.parametrize("amount", ["-1", "-5000", "abc", "1.5", "12345678901", "1e3", ""])
def test_bad_fee_amount_is_refused_and_nothing_saved(admin_client, draft, amount):
    url = f"{ADMIN}/procedureversion/{draft.pk}/change/"
    data = form_data(admin_client.get(url))
    assert data["fees-TOTAL_FORMS"] == "1"
    before = catalog_state()
    data["name"] = "Tên đã sửa nhưng không được lưu"
    data["steps"] = "Một bước khác"
    data["fees-0-amount"] = amount

    response = admin_client.post(url, data)

    assert response.status_code == 200
    fee_formset = next(i.formset for i in response.context["inline_admin_formsets"] if i.formset.prefix == "fees")
    errors = fee_formset.errors[0].get("amount")
    assert errors, fee_formset.errors
    assert not any("Ensure" in e or "Enter a" in e or "required" in e for e in errors), errors
    assert "errorlist" in body_of(response)
    assert catalog_state() == before


def test_new_fee_line_with_negative_amount_is_refused(admin_client, draft):
    url = f"{ADMIN}/procedureversion/{draft.pk}/change/"
    data = form_data(admin_client.get(url))
    before = catalog_state()
    data.update(
        {
            "fees-TOTAL_FORMS": "2",
            "fees-1-kind": "phi",
            "fees-1-name": "Phí thẩm định",
            "fees-1-amount": "-1",
            "fees-1-version": str(draft.pk),
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert catalog_state() == before


# --- published versions are read-only --------------------------------------------


@pytest.fixture
def published():
    return published_version(name="Đăng ký khai sinh", parts__amount=8000)


def test_published_change_form_is_read_only(admin_client, published):
    response = admin_client.get(f"{ADMIN}/procedureversion/{published.pk}/change/")
    assert response.status_code == 200
    body = body_of(response)
    assert 'name="name"' not in body
    assert 'name="steps"' not in body
    assert 'name="fees-0-amount"' not in body
    assert "Tạo bản nháp mới từ phiên bản này" in body


def test_forged_post_does_not_change_a_published_version(admin_client, published):
    before = catalog_state()
    fee = published.fees.get()
    forged = {
        "name": "Đã bị sửa trái phép",
        "steps": "Bước giả mạo",
        "service_level": "4",
        "status": "draft",
        "fees-TOTAL_FORMS": "2",
        "fees-INITIAL_FORMS": "1",
        "fees-MIN_NUM_FORMS": "0",
        "fees-MAX_NUM_FORMS": "1000",
        "fees-0-id": str(fee.pk),
        "fees-0-version": str(published.pk),
        "fees-0-kind": "le_phi",
        "fees-0-name": "Lệ phí",
        "fees-0-amount": "1",
        "fees-0-DELETE": "on",
        "fees-1-version": str(published.pk),
        "fees-1-kind": "phi",
        "fees-1-name": "Phí mới",
        "fees-1-amount": "999",
        "_save": "Lưu lại",
    }
    response = admin_client.post(f"{ADMIN}/procedureversion/{published.pk}/change/", forged)
    assert response.status_code in (200, 302, 403)
    assert catalog_state() == before


def test_published_version_cannot_be_deleted(admin_client, published):
    before = catalog_state()
    response = admin_client.post(f"{ADMIN}/procedureversion/{published.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert catalog_state() == before


def test_publish_view_refuses_a_published_version(admin_client, published):
    before = catalog_state()
    response = admin_client.post(
        f"{ADMIN}/procedureversion/{published.pk}/cong-bo/", {"effective_from": "2030-01-01"}, follow=True
    )
    assert "Phiên bản này đã được công bố." in body_of(response)
    assert catalog_state() == before


# --- publishing -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Hãy nhập ngày hiệu lực."),
        ("   ", "Ngày không hợp lệ"),
        ("abc", "Ngày không hợp lệ"),
        ("31/02/2026", "Ngày không hợp lệ"),
        ("2026-13-01", "Ngày không hợp lệ"),
        ("1/1", "Ngày không hợp lệ"),
        ("99999-01-01", "Ngày không hợp lệ"),
        ("2026-01-01\x00", "Ngày không hợp lệ"),
    ],
)
def test_publish_with_bad_date_shows_error_and_keeps_draft(admin_client, draft, value, message):
    before = catalog_state()
    response = admin_client.post(f"{ADMIN}/procedureversion/{draft.pk}/cong-bo/", {"effective_from": value})
    assert response.status_code == 200
    assert message in body_of(response)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT
    assert catalog_state() == before


def test_publish_before_latest_effective_date_is_refused(admin_client, published):
    draft = services.version_create_draft(procedure=published.procedure)
    before = catalog_state()
    earlier = published.effective_from - datetime.timedelta(days=1)
    response = admin_client.post(
        f"{ADMIN}/procedureversion/{draft.pk}/cong-bo/", {"effective_from": earlier.strftime("%d/%m/%Y")}
    )
    assert response.status_code == 200
    assert "Ngày hiệu lực không được trước ngày hiệu lực" in body_of(response)
    assert catalog_state() == before


def test_publish_incomplete_draft_lists_what_is_missing(admin_client):
    draft = DraftVersionFactory(name="Thủ tục thiếu hồ sơ", applicants="")
    draft.documents.all().delete()
    draft.agency_roles.all().delete()
    ProcedureVersion.objects.filter(pk=draft.pk).update(steps="", at_province=False)
    url = f"{ADMIN}/procedureversion/{draft.pk}/cong-bo/"

    page = body_of(admin_client.get(url))
    for part in ("trình tự thực hiện", "thành phần hồ sơ", "đối tượng thực hiện", "cơ quan thực hiện", "cấp thực hiện"):
        assert part in page

    before = catalog_state()
    response = admin_client.post(url, {"effective_from": timezone.localdate().isoformat()})
    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert "Hồ sơ thủ tục còn thiếu" in errors
    assert "trình tự thực hiện" in errors and "thành phần hồ sơ" in errors
    assert catalog_state() == before


def test_publish_complete_draft(admin_client, draft):
    response = admin_client.post(
        f"{ADMIN}/procedureversion/{draft.pk}/cong-bo/", {"effective_from": timezone.localdate().strftime("%d/%m/%Y")}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED and draft.is_current


# --- import -----------------------------------------------------------------------


def import_formats(client) -> dict:
    choices = client.get(IMPORT_URL).context["form"].fields["format"].choices
    return {label: value for value, label in choices if value != ""}


def post_import(client, name: str, content: bytes, fmt: str):
    upload = SimpleUploadedFile(name, content)
    return client.post(IMPORT_URL, {"import_file": upload, "format": import_formats(client)[fmt]})


def csv_bytes(rows, headers=IMPORT_HEADERS) -> bytes:
    import csv

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def good_row(code: str, agency_code: str, **changes) -> list:
    values = {
        "Mã thủ tục": code,
        "Tên thủ tục": "Cấp giấy phép hoạt động vận tải",
        "Mức độ": "4",
        "Cấp thực hiện": "Tỉnh",
        "Lĩnh vực": "Đường bộ",
        "Cơ quan thực hiện": agency_code,
        "Thời hạn giải quyết": "5",
        "Đơn vị thời hạn": "ngày làm việc",
        "Phí (đồng)": "0",
        "Lệ phí (đồng)": "200.000",
        "Trình tự thực hiện": "Bước 1: Nộp hồ sơ\nBước 2: Nhận kết quả",
        "Thành phần hồ sơ": "Giấy đề nghị; Bản sao giấy đăng ký kinh doanh",
        "Đối tượng thực hiện": "Doanh nghiệp, hợp tác xã",
        "Kết quả thực hiện": "Giấy phép kinh doanh vận tải",
        "Yêu cầu, điều kiện": "",
        "Căn cứ pháp lý": "10/2020/NĐ-CP Nghị định về kinh doanh vận tải",
    }
    values.update(changes)
    return [values[h] for h in IMPORT_HEADERS]


def assert_refused(response, before, *messages):
    assert response.status_code == 200
    assert "confirm_form" not in response.context
    body = body_of(response)
    for message in messages:
        assert message in body, message
    assert catalog_state() == before


@pytest.fixture
def agency():
    return AgencyFactory(code="000.00.06.H56", name="Sở Giao thông vận tải")


def test_good_csv_imports_only_a_draft(admin_client, agency, published):
    """Control for the tests below: a clean file goes through dry run and confirm."""
    content = csv_bytes([good_row("2.000123", agency.code), good_row(published.procedure.national_code, agency.code)])
    before = catalog_state()
    response = post_import(admin_client, "thu-tuc.csv", content, "csv")
    assert response.status_code == 200
    confirm = response.context["confirm_form"]
    assert catalog_state() == before  # the dry run left nothing behind

    response = admin_client.post(PROCESS_URL, {**confirm.initial, "confirm": "Xác nhận"})
    assert response.status_code == 302
    new = ProcedureVersion.objects.get(procedure__national_code="2.000123")
    assert new.status == VersionStatus.DRAFT and not new.is_current
    assert new.fees.get().amount == 200000
    assert services.version_missing_parts(new) == []
    # the published one got a new draft; the published version itself is untouched
    published.refresh_from_db()
    assert published.name == "Đăng ký khai sinh" and published.is_current
    assert published.procedure.versions.filter(status=VersionStatus.DRAFT).count() == 1


def test_garbage_bytes_named_xlsx(admin_client, published):
    before = catalog_state()
    response = post_import(admin_client, "danh-muc.xlsx", b"\x00\x01\x02 not a spreadsheet \xff" * 40, "xlsx")
    assert_refused(response, before, "Không đọc được tệp")


def test_csv_bytes_chosen_as_xlsx(admin_client, agency):
    before = catalog_state()
    response = post_import(admin_client, "danh-muc.xlsx", csv_bytes([good_row("2.000123", agency.code)]), "xlsx")
    assert_refused(response, before, "Không đọc được tệp")


def test_csv_with_unknown_headers(admin_client, published):
    before = catalog_state()
    content = csv_bytes([["1", "2", "3"], ["4", "5", "6"]], headers=["Foo", "Bar", "Baz"])
    response = post_import(admin_client, "la.csv", content, "csv")
    assert_refused(response, before, "Tệp thiếu cột", "Mã thủ tục", "Tên thủ tục")


def test_csv_missing_some_columns(admin_client, published, agency):
    """A partial file would wipe agencies and fees of the draft: it is refused."""
    before = catalog_state()
    headers = ["Mã thủ tục", "Tên thủ tục"]
    content = csv_bytes([[published.procedure.national_code, "Tên mới"]], headers=headers)
    response = post_import(admin_client, "thieu-cot.csv", content, "csv")
    assert_refused(response, before, "Tệp thiếu cột", "Cơ quan thực hiện", "Lệ phí (đồng)")


def test_empty_csv(admin_client, published):
    before = catalog_state()
    response = post_import(admin_client, "rong.csv", b"", "csv")
    assert_refused(response, before)
    assert response.context["form"].errors


def test_csv_with_headers_only(admin_client, published):
    before = catalog_state()
    response = post_import(admin_client, "chi-tieu-de.csv", csv_bytes([]), "csv")
    assert_refused(response, before)
    assert response.context["form"].errors


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"Cấp thực hiện": "Quận"}, "Cấp thực hiện “Quận” không hợp lệ"),
        ({"Cơ quan thực hiện": "000.00.99.H99"}, "Không có cơ quan mang mã 000.00.99.H99"),
        ({"Cơ quan thực hiện": "So GTVT"}, "không đúng dạng 000.00.06.H56"),
        ({"Cơ quan thực hiện": ""}, "Thiếu mã cơ quan thực hiện"),
        ({"Mã thủ tục": "1.23"}, "không đúng dạng d.dddddd"),
        ({"Mã thủ tục": ""}, "Thiếu mã thủ tục"),
        ({"Phí (đồng)": "-5000"}, "không hợp lệ"),
        ({"Lệ phí (đồng)": "abc"}, "không hợp lệ"),
        ({"Mức độ": "5"}, "Mức độ phải là 1, 2, 3 hoặc 4"),
        ({"Thời hạn giải quyết": "năm ngày"}, "phải là một số"),
        ({"Đơn vị thời hạn": "tuần"}, "Đơn vị thời hạn phải là"),
        ({"Tên thủ tục": ""}, "Thiếu tên thủ tục"),
    ],
)
def test_csv_with_one_bad_row_imports_nothing(admin_client, published, agency, changes, message):
    before = catalog_state()
    rows = [
        good_row("2.000123", agency.code),
        good_row(published.procedure.national_code, agency.code, **changes),
    ]
    response = post_import(admin_client, "mot-dong-loi.csv", csv_bytes(rows), "csv")
    assert_refused(response, before, message)
    assert not Procedure.objects.filter(national_code="2.000123").exists()
    assert not published.procedure.versions.filter(status=VersionStatus.DRAFT).exists()


def test_xlsx_with_bad_row_imports_nothing(admin_client, published, agency):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(IMPORT_HEADERS)
    sheet.append(good_row("2.000123", agency.code))
    sheet.append(good_row("2.000124", agency.code, **{"Phí (đồng)": "-5000"}))
    out = io.BytesIO()
    book.save(out)
    before = catalog_state()
    response = post_import(admin_client, "danh-muc.xlsx", out.getvalue(), "xlsx")
    assert_refused(response, before, "Số tiền “-5000” không hợp lệ")


def test_forged_confirm_with_missing_temp_file(admin_client, published):
    before = catalog_state()
    response = admin_client.post(
        PROCESS_URL,
        {"import_file_name": "../../etc/passwd", "original_file_name": "x.csv", "format": "0", "confirm": "1"},
    )
    assert response.status_code in (200, 302, 400, 404)
    assert catalog_state() == before


def test_procedure_code_is_read_only_once_created(client):
    from django.urls import reverse

    from tests.factories import AdminFactory, published_version

    version = published_version()
    client.force_login(AdminFactory())
    url = reverse("admin:procedures_procedure_change", args=[version.procedure.pk])
    response = client.post(url, {"national_code": "9.999999"})
    version.procedure.refresh_from_db()
    assert version.procedure.national_code != "9.999999"
    assert response.status_code in (200, 302)
